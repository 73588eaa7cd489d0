import { describe, expect, it } from "vitest";
import { z } from "zod";
import { AppError } from "../errors";
import { MAX_BODY_BYTES, readJson } from "./http";

// readJson has two ways to read a body: in one piece when its length is declared (the direct
// server's fast read), and as a capped stream when it is not (chunked). Both must refuse the same.

const schema = z.object({ name: z.string() });
const post = (body: BodyInit, headers: Record<string, string>) =>
  new Request("http://localhost/api/v1/keys", { method: "POST", body, headers, duplex: "half" } as RequestInit);
const streamOf = (...parts: Uint8Array[]) =>
  new ReadableStream<Uint8Array>({
    start(controller) {
      for (const part of parts) controller.enqueue(part);
      controller.close();
    },
  });
const codeOf = (promise: Promise<unknown>) =>
  promise.then(
    () => "ok",
    (e: unknown) => (e instanceof AppError ? e.code : `crash: ${String(e)}`),
  );
const json = { "content-type": "application/json" };
const bytes = (text: string) => new TextEncoder().encode(text);

describe("readJson", () => {
  it("reads a body of declared length and one sent in chunks alike", async () => {
    const text = '{"name":"ci"}';
    expect(await readJson(post(text, { ...json, "content-length": String(bytes(text).length) }), schema)).toEqual({ name: "ci" });
    expect(await readJson(post(streamOf(bytes('{"na'), bytes('me":"ci"}')), json), schema)).toEqual({ name: "ci" });
  });

  it("refuses invalid UTF-8 either way (400), never turning it into replacement characters", async () => {
    const bad = Uint8Array.from([0x7b, 0x22, 0x6e, 0x61, 0x6d, 0x65, 0x22, 0x3a, 0x22, 0xff, 0x22, 0x7d]);
    expect(await codeOf(readJson(post(bad, { ...json, "content-length": String(bad.length) }), schema))).toBe("invalid_json");
    expect(await codeOf(readJson(post(streamOf(bad), json), schema))).toBe("invalid_json");
  });

  it("refuses a body over the cap (413): declared, undeclared, or longer than declared", async () => {
    const big = new Uint8Array(MAX_BODY_BYTES + 1).fill(0x61);
    expect(await codeOf(readJson(post(big, { ...json, "content-length": String(big.length) }), schema))).toBe("payload_too_large");
    expect(await codeOf(readJson(post(streamOf(big.subarray(0, 40_000), big.subarray(40_000)), json), schema))).toBe("payload_too_large");
    // A Request made in-process can carry a header that understates its body; the size is checked on what was read.
    expect(await codeOf(readJson(post(big, { ...json, "content-length": "10" }), schema))).toBe("payload_too_large");
  });

  it("answers broken JSON with 400 and a body the schema refuses with 422", async () => {
    expect(await codeOf(readJson(post('{"name":', { ...json, "content-length": "8" }), schema))).toBe("invalid_json");
    expect(await codeOf(readJson(post('{"name":1}', { ...json, "content-length": "10" }), schema))).toBe("validation_failed");
    expect(await codeOf(readJson(post("{}", { "content-type": "text/plain" }), schema))).toBe("unsupported_media_type");
  });
});
