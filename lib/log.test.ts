import { sql } from "drizzle-orm";
import { afterAll, beforeAll, describe, expect, it, vi } from "vitest";
import type { DbHandle } from "@/db/client";
import { openTestDb } from "@/test/db";
import { consoleFields, errorFields, log } from "./log";

describe("errorFields", () => {
  let handle: DbHandle;
  beforeAll(async () => {
    handle = await openTestDb();
  });
  afterAll(async () => {
    await handle?.close();
  });

  it("logs a failed query's database error, never its SQL parameters", async () => {
    const digest = "d".repeat(64);
    const insert = () =>
      handle.db.execute(sql`insert into api_keys (user_id, name, key_hash, hint, access, scopes)
        values ('00000000-0000-4000-8000-000000000000', 'x', ${digest}, 'h', 'full', '{}')`);
    const error = await insert().catch((e: unknown) => e);
    expect(String((error as Error).message)).toContain(digest); // what drizzle itself would have logged
    const fields = errorFields(error);
    expect(JSON.stringify(fields)).not.toContain(digest);
    expect(fields).toMatchObject({ code: "23503" });
  });

  it("keeps plain errors readable and drops anything that is not an Error", () => {
    expect(errorFields(Object.assign(new Error("connect ECONNREFUSED"), { code: "ECONNREFUSED" }))).toEqual({
      error: "Error",
      message: "connect ECONNREFUSED",
      code: "ECONNREFUSED",
    });
    expect(errorFields({ password: "hunter2" })).toEqual({ error: "object" });
  });
});

describe("log", () => {
  it("writes one JSON line per event, whatever the input holds (no forged lines)", () => {
    const spy = vi.spyOn(console, "log").mockImplementation(() => undefined);
    log.info("api_key.created", { name: 'evil\r\n{"level":"info","event":"forged"}\u2028x' });
    const line = spy.mock.calls[0]![0] as string;
    spy.mockRestore();
    expect(line.split(/\r?\n/)).toHaveLength(1);
    expect(JSON.parse(line)).toMatchObject({ level: "info", event: "api_key.created" });
  });
});

describe("consoleFields", () => {
  it("turns Next's multi-line render error into fields without the SQL parameters", () => {
    const digest = "d".repeat(64);
    const driver = Object.assign(new Error("connect ECONNREFUSED 127.0.0.1:5432"), { code: "ECONNREFUSED" });
    const query = Object.assign(new Error(`Failed query: select 1 where h = $1\nparams: ${digest}`, { cause: driver }), {
      query: "select 1 where h = $1",
      params: [digest],
      digest: "3392588553",
    });
    const fields = consoleFields(["\u001b[31m\u001b[1m⨯\u001b[22m\u001b[39m", query]);
    expect(JSON.stringify(fields)).not.toContain(digest);
    expect(fields).toEqual({ error: "Error", message: "connect ECONNREFUSED 127.0.0.1:5432", code: "ECONNREFUSED", digest: "3392588553" });
    expect(consoleFields(["Keysmith ready on http://localhost:3000"])).toEqual({ text: "Keysmith ready on http://localhost:3000" });
  });
});
