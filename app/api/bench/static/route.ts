// GET /api/bench/static: the benchmark's baseline (`npm run bench`), a route handler of the same
// build that returns fixed JSON and touches nothing, i.e. the framework's own ceiling. It answers
// only when the server runs with KEYSMITH_BENCH=1 (the bench sets it); otherwise it is the same
// JSON 404 as any unknown API path, so a production server exposes nothing new.
import { config } from "@/lib/config";

export const dynamic = "force-dynamic";

const HEADERS = { "Content-Type": "application/json; charset=utf-8", "Cache-Control": "no-store" };

export function GET() {
  if (!config.bench) {
    return new Response('{"error":{"code":"not_found","message":"No such endpoint. See /api/v1/openapi.json."}}', {
      status: 404,
      headers: HEADERS,
    });
  }
  return new Response('{"status":"ok","owner":{"id":"static","email":"static@example.test"}}', { headers: HEADERS });
}
