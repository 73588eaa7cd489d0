import { describe, expect, it } from "vitest";
import { apiFetch } from "./app";

// The router's own answers: what it says for paths and methods before any operation runs (the
// operations themselves are walked over HTTP by the e2e suites, on the production server).

const call = (method: string, path: string) => apiFetch(new Request(`http://localhost${path}`, { method }), () => {});

describe("the /api/v1 router", () => {
  it("answers an unknown path with the JSON not_found, whatever the method", async () => {
    for (const method of ["GET", "POST", "PUT", "PATCH", "DELETE"]) {
      const response = await call(method, "/api/v1/no-such-endpoint");
      expect(response.status).toBe(404);
      expect(response.headers.get("content-type")).toMatch(/^application\/json/);
      expect((await response.json()).error.code).toBe("not_found");
    }
    expect((await call("GET", "/api/v1")).status).toBe(404);
    expect((await call("GET", "/api/v1/keys/1/2/3")).status).toBe(404);
  });

  it("answers a known path's other methods with 405 naming the ones it serves", async () => {
    const response = await call("PUT", "/api/v1/keys/0b0b2c6e-4d0a-4b43-9a3f-55d3f1c7b0a1");
    expect(response.status).toBe(405);
    expect(response.headers.get("allow")).toBe("GET, PATCH, DELETE, OPTIONS");
    expect((await response.json()).error.code).toBe("method_not_allowed");
    expect((await call("DELETE", "/api/v1/me")).headers.get("allow")).toBe("GET, OPTIONS");
  });

  it("never reads a fixed path as a key id: GET /keys/verify is a 405, not a lookup of the key 'verify'", async () => {
    for (const path of ["/api/v1/keys/verify", "/api/v1/keys/revoke-leaked"]) {
      const response = await call("GET", path);
      expect(response.status).toBe(405);
      expect(response.headers.get("allow")).toBe("POST, OPTIONS");
    }
  });

  it("answers OPTIONS with the methods of the path and HEAD like GET without a body", async () => {
    const options = await call("OPTIONS", "/api/v1/keys");
    expect(options.status).toBe(204);
    expect(options.headers.get("allow")).toBe("GET, POST, OPTIONS");
    const head = await call("HEAD", "/api/v1/openapi.json");
    expect(head.status).toBe(200);
    expect(await head.text()).toBe("");
  });

  it("serves the OpenAPI document, with the request's origin as its server", async () => {
    const headers = { "x-forwarded-host": "keys.example.test", "x-forwarded-proto": "https" };
    const response = await apiFetch(new Request("http://localhost/api/v1/openapi.json", { headers }), () => {});
    expect(response.status).toBe(200);
    const document = await response.json();
    expect(document.openapi).toBe("3.1.0");
    expect(document.servers[0].url).toBe("https://keys.example.test/api/v1");
  });

  it("is strict about paths: a trailing slash is another path", async () => {
    expect((await call("GET", "/api/v1/openapi.json/")).status).toBe(404);
  });
});
