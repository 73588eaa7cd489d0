// GET /api/health: liveness. The process is up and serving; touches nothing else, so a load
// balancer can poll it cheaply. (The benchmark's baseline is GET /api/bench/static, not this.)
export function GET() {
  return new Response('{"status":"ok"}', {
    headers: { "Content-Type": "application/json; charset=utf-8", "Cache-Control": "no-store" },
  });
}
