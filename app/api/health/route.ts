// GET /api/health: liveness. The process is up and serving; touches nothing else, so a load
// balancer can poll it cheaply (and the benchmark uses it as the framework's own ceiling).
export function GET() {
  return new Response('{"status":"ok"}', {
    headers: { "Content-Type": "application/json; charset=utf-8", "Cache-Control": "no-store" },
  });
}
