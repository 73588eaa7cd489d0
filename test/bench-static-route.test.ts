import { afterEach, describe, expect, it, vi } from "vitest";
import { GET } from "@/app/api/bench/static/route";

describe("GET /api/bench/static (the benchmark's baseline)", () => {
  afterEach(() => vi.unstubAllEnvs());

  it("is a JSON 404 unless the server runs with KEYSMITH_BENCH=1", async () => {
    vi.stubEnv("KEYSMITH_BENCH", "");
    const response = GET();
    expect(response.status).toBe(404);
    expect(await response.json()).toMatchObject({ error: { code: "not_found" } });
  });

  it("answers fixed JSON, not cacheable, when enabled", async () => {
    vi.stubEnv("KEYSMITH_BENCH", "1");
    const response = GET();
    expect(response.status).toBe(200);
    expect(response.headers.get("cache-control")).toBe("no-store");
    expect(await response.json()).toMatchObject({ status: "ok" });
  });
});
