import { randomUUID } from "node:crypto";
import { HOSTILE_DATETIMES, storedText } from "../../test/hostile-values";
import { ApiClient, apiTest as test, expect } from "../support/api";
import { P_DESC, expectFieldError, expectProblem, keyPool, randomIp, strings, wrong } from "./hostile-support";

// Hostile JSON bodies and headers against every /api/v1 endpoint: every body field, the
// Authorization header, Content-Type, size, broken JSON and UTF-8 (see hostile-support.ts).

test.describe("hostile input on the HTTP API", () => {
  test.describe.configure({ timeout: 300_000 });

  test("allowedIps on create and edit: invalid blocks, 101 entries, a 10 KB entry, unicode and wrong types are a 422 naming the field, and nothing is written", async ({ api, rootKey }) => {
    const key = await keyPool(api, rootKey, 2);
    const target = await api.createKey(rootKey, { name: `ips target ${randomUUID()}`, scopes: ["keys:read"] });
    expect((await api.call("PATCH", `/keys/${target.id}`, { key: rootKey, body: { allowedIps: ["192.0.2.0/24"] } })).status).toBe(200);
    const hostile: unknown[] = [
      ["10.0.0.1/8"],
      ["10.0.0.0/33"],
      ["2001:db8::/129"],
      ["fe80::1%eth0"],
      ["10.0.0.1-10.0.0.9"],
      ["example.com"],
      ["１０.0.0.1"],
      ["10.0.0.1\u200b"],
      ["10.0.0.1\u0000"],
      ["' or 1=1 --"],
      [""],
      ["x".repeat(10_240)],
      Array.from({ length: 101 }, (_, i) => `10.0.${i}.0/24`),
      [["10.0.0.0/8"]],
      [42],
      "10.0.0.0/8",
      { "0": "10.0.0.0/8" },
      42,
    ];
    for (const allowedIps of hostile) {
      const name = `ips ${randomUUID()}`;
      const what = `allowedIps=${JSON.stringify(allowedIps).slice(0, 40)}`;
      expectFieldError(await api.call("POST", "/keys", { key: key(), body: { name, scopes: ["keys:read"], allowedIps } }), "allowedIps", `POST /keys ${what}`);
      expectFieldError(await api.call("PATCH", `/keys/${target.id}`, { key: key(), body: { name, allowedIps } }), "allowedIps", `PATCH ${what}`);
      const list = await api.call("GET", "/keys?limit=100", { key: rootKey });
      expect(list.body.data.some((k: { name: string }) => k.name === name), what).toBe(false);
    }
    const after = await api.call("GET", `/keys/${target.id}`, { key: rootKey });
    expect(after.body).toMatchObject({ name: target.body.name, allowedIps: ["192.0.2.0/24"] });
  });

  test("every JSON body field of every endpoint: a 422 naming the field, or the value stored as text", async ({ api, rootKey }) => {
    const key = await keyPool(api, rootKey, 12);

    // POST /keys: name and description are plain text, refused or stored NFC and trimmed.
    for (const [field, max] of [
      ["name", 64],
      ["description", 280],
    ] as const) {
      for (const h of strings(max)) {
        const body = { name: `hostile ${randomUUID()}`, scopes: ["keys:read"], [field]: h.value };
        const res = await api.call("POST", "/keys", { key: key(), body });
        const blankOptional = field === "description" && (h.class === "empty" || h.class === "whitespace");
        if (h.text === "reject" && !blankOptional) {
          expectFieldError(res, field, `POST /keys ${field} ${h.label}`);
        } else {
          expect(res.status, `POST /keys ${field} ${h.label}: ${res.text.slice(0, 200)}`).toBe(201);
          expect(res.body[field]).toBe(blankOptional ? null : storedText(h.value));
          // Deleted at once, which frees the name for the PATCH cells below.
          expect((await api.call("DELETE", `/keys/${res.body.id}`, { key: key() })).status).toBe(200);
        }
      }
      for (const value of wrong.filter((v) => !(field === "description" && v === null))) {
        expectFieldError(await api.call("POST", "/keys", { key: key(), body: { name: "n", scopes: ["keys:read"], [field]: value } }), field, `POST /keys ${field}=${JSON.stringify(value)}`);
      }
    }
    const hostileScopes = [...wrong, ["keys:root"], ["keys:read\u0000"], ["x".repeat(10_000)], Array(51).fill("keys:read"), [["keys:read"]], ["' or 1=1 --"]];
    for (const scopes of hostileScopes) {
      expectFieldError(await api.call("POST", "/keys", { key: key(), body: { name: "n", scopes } }), "scopes", `POST /keys scopes=${JSON.stringify(scopes).slice(0, 40)}`);
    }
    for (const expiresAt of [...HOSTILE_DATETIMES, ...wrong.filter((v) => v !== null)]) {
      const res = await api.call("POST", "/keys", { key: key(), body: { name: `exp ${randomUUID()}`, scopes: ["keys:read"], expiresAt } });
      expectFieldError(res, "expiresAt", `POST /keys expiresAt=${JSON.stringify(expiresAt)}`);
    }

    // PATCH /keys/{id} on a key of the caller's: the same fields, one at a time.
    const target = await api.createKey(rootKey, { name: `target ${randomUUID()}`, scopes: ["keys:read"] });
    for (const h of strings(64)) {
      const res = await api.call("PATCH", `/keys/${target.id}`, { key: key(), body: { name: h.value } });
      if (h.text === "reject") expectFieldError(res, "name", `PATCH name ${h.label}`);
      else {
        expect(res.status, `PATCH name ${h.label}: ${res.text.slice(0, 200)}`).toBe(200);
        expect(res.body.name).toBe(storedText(h.value));
      }
    }
    for (const h of strings(280).filter((s) => s.text === "reject" && s.class !== "empty" && s.class !== "whitespace")) {
      expectFieldError(await api.call("PATCH", `/keys/${target.id}`, { key: key(), body: { description: h.value } }), "description", `PATCH description ${h.label}`);
    }
    for (const [description, stored] of [[P_DESC, P_DESC], ["   ", null], [null, null]] as const) {
      const res = await api.call("PATCH", `/keys/${target.id}`, { key: key(), body: { description } });
      expect(res.body.description, `PATCH description ${JSON.stringify(description)}`).toBe(stored);
    }
    for (const [field, values] of [
      ["name", wrong],
      ["description", wrong.filter((v) => v !== null)],
      ["scopes", hostileScopes],
      ["expiresAt", [...HOSTILE_DATETIMES, ...wrong.filter((v) => v !== null)]],
    ] as const) {
      for (const value of values) {
        expectFieldError(await api.call("PATCH", `/keys/${target.id}`, { key: key(), body: { [field]: value } }), field, `PATCH ${field}=${JSON.stringify(value).slice(0, 40)}`);
      }
    }
    for (const body of [{}, { userId: randomUUID() }, { revokedAt: null }, { keyHash: "x" }, { name: "n", role: "admin" }]) {
      expectProblem(await api.call("PATCH", `/keys/${target.id}`, { key: key(), body }), `PATCH ${JSON.stringify(body)}`, [422]);
    }
    const unchanged = await api.call("GET", `/keys/${target.id}`, { key: key() });
    expect(unchanged.body.scopes).toEqual(["keys:read"]);

    // PATCH /profile: the owner's name. Restored afterwards (the account is shared in this worker).
    const before = (await api.call("GET", "/profile", { key: key() })).body.name as string;
    for (const h of strings(80)) {
      const res = await api.call("PATCH", "/profile", { key: key(), body: { name: h.value } });
      if (h.text === "reject") expectFieldError(res, "name", `PATCH /profile name ${h.label}`);
      else expect(res.body.name, `PATCH /profile ${h.label}`).toBe(storedText(h.value));
    }
    for (const value of wrong) expectFieldError(await api.call("PATCH", "/profile", { key: key(), body: { name: value } }), "name", `PATCH /profile ${JSON.stringify(value)}`);
    expect((await api.call("PATCH", "/profile", { key: key(), body: { name: before } })).status).toBe(200);

    // POST /keys/verify: any text is a key that does not verify; wrong types are refused.
    for (const h of strings(256)) {
      const res = await api.call("POST", "/keys/verify", { key: key(), body: { key: h.value } });
      if (h.value.length > 256 && [...h.value].length > 256) expectFieldError(res, "key", `verify key ${h.label}`);
      else {
        expect(res.status, `verify key ${h.label}: ${res.text.slice(0, 200)}`).toBe(200);
        expect(res.body.valid).toBe(false);
      }
    }
    for (const value of wrong) expectFieldError(await api.call("POST", "/keys/verify", { key: key(), body: { key: value } }), "key", `verify key=${JSON.stringify(value)}`);
    for (const scopes of [...wrong.filter((v) => !Array.isArray(v)), [1], ["x".repeat(65)], Array(51).fill("keys:read")]) {
      expectFieldError(await api.call("POST", "/keys/verify", { key: key(), body: { key: "k", scopes } }), "scopes", `verify scopes=${JSON.stringify(scopes).slice(0, 40)}`);
    }

    // POST /keys/{id}/rotate: the body is read before the id, so nothing is rotated here.
    for (const grace of [...wrong, "", "1H", "8d", "none\u0000", "<script>", "x".repeat(10_000)]) {
      expectFieldError(await api.call("POST", `/keys/${randomUUID()}/rotate`, { key: key(), body: { grace } }), "grace", `rotate grace=${JSON.stringify(grace).slice(0, 30)}`);
    }

    // POST /keys/revoke-leaked (no key; 10 reports a minute per address, so a fresh one each).
    const reports: unknown[] = [
      ...wrong,
      {},
      { keys: [] },
      { keys: "ksk_x" },
      { keys: [1] },
      { keys: Array(101).fill("k") },
      { keys: ["k".repeat(257)] },
      { keys: ["k"], extra: 1 },
      [{ token: 1 }],
      [{ token: "t", source: "github\u0000" }],
      [{ token: "t", url: "u".repeat(2049) }],
    ];
    for (const body of reports) {
      const res = await new ApiClient(api.request, randomIp()).call("POST", "/keys/revoke-leaked", { body });
      expectProblem(res, `revoke-leaked ${JSON.stringify(body).slice(0, 40)}`, [422]);
    }
    const ok = await new ApiClient(api.request, randomIp()).call("POST", "/keys/revoke-leaked", { body: { keys: ["<script>alert(1)</script>", "'; drop table api_keys; --", "\u202e"] } });
    expect(ok.status).toBe(202);
  });

  test("headers and bodies: Authorization, Content-Type, size, broken JSON and UTF-8", async ({ api, rootKey, request }) => {
    const key = await keyPool(api, rootKey, 4);
    // Each malformed credential from its own address (failed authentications are limited per address).
    const authorizations = [
      "",
      "Bearer",
      "Bearer ",
      "Basic dXNlcjpwYXNzd29yZA==",
      "Bearer a b",
      "Bearer ksk_" + "A".repeat(36),
      "Bearer " + "a".repeat(300),
      "Bearer " + "a".repeat(8_000),
      "Token abc",
      "Bearer\tabc",
      "Bearer ÿþ",
      "Bearer ' or 1=1 --",
      "Bearer <script>",
    ];
    for (const authorization of authorizations) {
      const res = await new ApiClient(request, randomIp()).call("GET", "/me", { headers: { Authorization: authorization } });
      expectProblem(res, `Authorization: ${authorization.slice(0, 30)}`, [401]);
      expect(res.headers["www-authenticate"]).toMatch(/^Bearer/);
    }

    const bodyEndpoints: [("POST" | "PATCH"), string][] = [
      ["POST", "/keys"],
      ["PATCH", `/keys/${randomUUID()}`],
      ["PATCH", "/profile"],
      ["POST", "/keys/verify"],
      ["POST", `/keys/${randomUUID()}/rotate`],
      ["POST", "/keys/revoke-leaked"],
    ];
    const twoMb = Buffer.alloc(2 * 1024 * 1024, "a");
    const brokenJson: [string, string | Buffer][] = [
      ["empty", ""],
      ["truncated", '{"name":'],
      ["a bare word", "name"],
      ["single quotes", "{'name':'x'}"],
      ["a byte order mark", "\ufeff{}"],
      ["trailing comma", '{"name":"x",}'],
      ["NaN", '{"name":NaN}'],
      ["deep nesting", "[".repeat(20_000) + "]".repeat(20_000)],
      ["invalid UTF-8", Buffer.from([0x7b, 0x22, 0x6e, 0x61, 0x6d, 0x65, 0x22, 0x3a, 0x22, 0xff, 0xfe, 0xc0, 0xaf, 0x22, 0x7d])],
      ["an overlong UTF-8 NUL", Buffer.from([0x7b, 0x22, 0x6e, 0x22, 0x3a, 0x22, 0xc0, 0x80, 0x22, 0x7d])],
      ["a UTF-16 body", Buffer.from('{"name":"x"}', "utf16le")],
    ];
    for (const [method, path] of bodyEndpoints) {
      const client = path.endsWith("revoke-leaked") ? () => new ApiClient(request, randomIp()) : () => api;
      const call = (options: Parameters<ApiClient["call"]>[2]) => client().call(method, path, { key: key(), ...options });
      expectProblem(await call({ raw: twoMb, headers: { "Content-Type": "application/json" } }), `${path} 2 MB`, [413]);
      for (const contentType of [undefined, "text/plain", "application/x-www-form-urlencoded", "multipart/form-data; boundary=x", "application/jsonx", "", "application/xml"]) {
        const headers: Record<string, string> = contentType === undefined ? {} : { "Content-Type": contentType };
        expectProblem(await call({ raw: '{"name":"x"}', headers }), `${path} Content-Type ${contentType}`, [415]);
      }
      for (const [label, raw] of brokenJson) {
        const res = await call({ raw, headers: { "Content-Type": "application/json" } });
        // Rotate reads its body before the id: a body that parses to no options (a BOM is
        // skipped by the UTF-8 decoder) then finds no key with the made-up id (404).
        expectProblem(res, `${path} ${label}`, [400, 413, 422, ...(path.endsWith("/rotate") ? [404] : [])]);
      }
    }
  });
});
