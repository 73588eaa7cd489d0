import { DrizzleQueryError } from "drizzle-orm/errors";
import { afterEach, describe, expect, it, vi } from "vitest";
import { generateKey } from "../keys/format";
import { acceptLeakReport, type LeakReportDeps } from "./leak-report";

function harness(revoke: LeakReportDeps["revoke"] = async (c) => c.length) {
  const deferred: (() => Promise<void>)[] = [];
  const calls: string[][] = [];
  const deps: LeakReportDeps = {
    defer: (task) => void deferred.push(task),
    revoke: async (candidates, source) => {
      calls.push(candidates);
      return revoke(candidates, source);
    },
  };
  return { deps, deferred, calls, runDeferred: () => Promise.all(deferred.map((t) => t())) };
}

afterEach(() => {
  vi.restoreAllMocks();
});

describe("acceptLeakReport", () => {
  it("answers before any lookup, identically whether or not the keys exist", async () => {
    const real = harness(async () => 1);
    const fake = harness(async () => 0);
    const a = acceptLeakReport({ keys: [generateKey(), "not a key"] }, real.deps);
    const b = acceptLeakReport({ keys: [generateKey(), "not a key"] }, fake.deps);
    // The response exists and no revocation has started: the work waits for the deferred run.
    expect(real.calls).toEqual([]);
    expect(fake.calls).toEqual([]);
    expect(a.status).toBe(202);
    expect(b.status).toBe(202);
    expect(await a.text()).toBe(await b.text());
    expect(real.deferred).toHaveLength(1);
    await real.runDeferred();
    expect(real.calls).toHaveLength(1);
  });

  it("checks format and checksum first and reports each distinct key once", async () => {
    const { deps, calls, deferred, runDeferred } = harness();
    const key = generateKey();
    const badChecksum = key.slice(0, -1) + (key.endsWith("A") ? "B" : "A");
    const response = acceptLeakReport([{ token: key }, { token: key }, { token: badChecksum }, { token: "ksk_short" }], deps);
    expect(await response.json()).toEqual({ received: 4 });
    await runDeferred();
    expect(calls).toEqual([[key]]);

    const none = harness();
    acceptLeakReport({ keys: ["garbage"] }, none.deps);
    expect(none.deferred).toHaveLength(0);
    expect(deferred).toHaveLength(1);
  });

  it("logs a failure of the deferred work without the keys or their digests", async () => {
    const error = vi.spyOn(console, "error").mockImplementation(() => {});
    const key = generateKey();
    const digest = "9f".repeat(32);
    const { deps, runDeferred } = harness(async () => {
      throw new DrizzleQueryError("update api_keys set ... where key_hash = $1", [digest], new Error("connection reset"));
    });
    acceptLeakReport({ keys: [key] }, deps);
    await runDeferred();
    expect(error).toHaveBeenCalledTimes(1);
    const line = String(error.mock.calls[0]![0]);
    expect(JSON.parse(line)).toMatchObject({ event: "leak_report.failed", candidates: 1, message: "connection reset" });
    expect(line).not.toContain(key);
    expect(line).not.toContain(digest);
  });
});
