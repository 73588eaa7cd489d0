// Production server: Next.js's request handler behind a plain Node HTTP server, for one reason:
// the client's address. `next start` only fills X-Forwarded-For when the client sent none, so a
// client talking to it directly can claim any address and dodge per-address limits. Here, with no
// trusted proxy in front (TRUSTED_PROXY_HOPS unset or 0), the header is replaced by the socket's
// address; behind N trusted proxies it is left as they wrote it (lib/request-context.ts reads it).
import { createServer } from "node:http";
import { getRequestListener } from "@hono/node-server";
import next from "next";
import { API_CSP, securityHeaders } from "./lib/security/headers.mjs";

const port = Number(process.env.PORT ?? 3000);
const hostname = process.env.HOSTNAME ?? "0.0.0.0";
const trustedHops = Number(process.env.TRUSTED_PROXY_HOPS ?? 0) || 0;

// Until instrumentation.ts takes over the console (lib/log.ts captureConsole), what Next prints
// while it loads is put on JSON lines here, so the whole log is one JSON object per line.
for (const method of ["log", "info", "warn", "error"]) {
  const stream = method === "log" || method === "info" ? process.stdout : process.stderr;
  console[method] = (...args) => {
    const text = args.map((a) => (a instanceof Error ? `${a.name}: ${a.message}` : String(a))).join(" ").replace(/\x1b\[[0-9;]*m/g, "");
    const line = text.startsWith("{") && !text.includes("\n") ? text : JSON.stringify({ time: new Date().toISOString(), level: method === "log" ? "info" : method, event: "console", text });
    stream.write(`${line}\n`);
  };
}

const app = next({ dev: false, hostname, port });
const handle = app.getRequestHandler();
await app.prepare();

// Methods the app answers. Next.js throws on others it does not know (TRACE: a 500), and
// WebDAV-style ones (LOCK, SEARCH) would reach pages; they get 405 here instead.
const METHODS = new Set(["GET", "HEAD", "POST", "PUT", "PATCH", "DELETE", "OPTIONS"]);
// Next.js's default serverActions.bodySizeLimit. Past it Next.js answers a server action with a
// 500 (its action handler turns the 413 it raises into one), so a larger form is refused here.
const ACTION_BODY_LIMIT = 1024 * 1024;
const CODES = { 400: "bad_request", 405: "method_not_allowed", 411: "length_required", 413: "payload_too_large" };

// The headers next.config.ts puts on every response (with the API's load-nothing CSP), for the
// refusals answered here before Next.js sees the request.
const SECURITY_HEADERS = { ...securityHeaders(process.env.NODE_ENV === "production"), "Content-Security-Policy": API_CSP };

/** A refusal before Next.js: a JSON problem under /api, like every API error, else plain text. */
function refuse(req, res, status, message, headers = {}) {
  const api = (req.url ?? "").startsWith("/api/");
  const code = CODES[status] ?? "bad_request";
  const body = api ? JSON.stringify({ error: { code, message } }) : `${message}\n`;
  res.writeHead(status, {
    "Content-Type": api ? "application/json; charset=utf-8" : "text/plain; charset=utf-8",
    "Cache-Control": "no-store",
    ...SECURITY_HEADERS,
    ...headers,
  });
  res.end(req.method === "HEAD" ? undefined : body);
}

/** A path Next.js can decode: a malformed %-escape in a dynamic segment is otherwise a 500. */
function decodablePath(url) {
  try {
    decodeURIComponent((url ?? "/").split("?")[0]);
    return true;
  } catch {
    return false;
  }
}

/**
 * Every server action of this app returns a typed state and never throws (lib/action.ts), so a
 * 500 on an action request means Next.js refused what the client sent before any action ran: a
 * body that is no valid React reply (not JSON, not an array, a reference to a part that is not
 * there, over 1,000 arguments). That is the client's error, so it is answered as one: 400. Next.js
 * still logs the cause.
 */
function refuseUndecodableActions(res) {
  const writeHead = res.writeHead;
  res.writeHead = function (status, ...rest) {
    return writeHead.call(this, status === 500 ? 400 : status, ...rest);
  };
}

// /api/v1 is answered here, by the router instrumentation.ts registers (lib/api/app.ts), before
// Next.js: the API and the verification path other services call do not pay for the dashboard's
// framework (page routing, proxy, render pipeline). The refusals above still apply to it, and it
// sends the same security headers. KEYSMITH_API_VIA_NEXT=1 leaves it to Next.js's catch-all route
// (same router, same answers), to compare the two.
const viaNext = process.env.KEYSMITH_API_VIA_NEXT === "1";
const apiFetch = viaNext ? null : await registeredApi();
if (!apiFetch && !viaNext) console.warn("The /api/v1 router was not registered by instrumentation.ts; Next.js answers /api/v1.");

/** Next.js runs instrumentation.ts's register() beside prepare(), not before it returns: wait for it. */
async function registeredApi() {
  const key = Symbol.for("keysmith.apiFetch");
  for (let waited = 0; !globalThis[key] && waited < 30_000; waited += 20) await new Promise((resolve) => setTimeout(resolve, 20));
  return globalThis[key];
}
const apiListener =
  apiFetch && !viaNext
    ? getRequestListener((request) => apiFetch(request, deferAfterResponse), { overrideGlobalObjects: false, errorHandler: apiCrashed })
    : null;
const api = apiListener
  ? (req, res) => {
      for (const [name, value] of Object.entries(SECURITY_HEADERS)) res.setHeader(name, value);
      return apiListener(req, res);
    }
  : null;

/** Work a handler leaves for after its response (leak reports' revocations): the next turn of the event loop. */
function deferAfterResponse(task) {
  setImmediate(() => void task().catch((error) => console.error(JSON.stringify({ time: new Date().toISOString(), level: "error", event: "api.deferred_failed", message: String(error?.message ?? error) }))));
}

/** The router answers every error itself (lib/api/http.ts handler()); this is for what escapes it. */
function apiCrashed() {
  return new Response(JSON.stringify({ error: { code: "internal_error", message: "Something went wrong on our side. Retry shortly." } }), {
    status: 500,
    headers: { "Content-Type": "application/json; charset=utf-8", "Cache-Control": "no-store" },
  });
}

const server = createServer((req, res) => {
  if (!METHODS.has(req.method ?? "")) {
    return refuse(req, res, 405, `The ${req.method} method is not supported.`, { Allow: [...METHODS].join(", ") });
  }
  if (!decodablePath(req.url)) return refuse(req, res, 400, "The URL path has a malformed %-escape.");
  // Node keeps the first of two Authorization headers and a proxy may keep the last: two
  // credentials in one request are refused rather than resolved differently by each hop.
  if (req.rawHeaders.filter((h, i) => i % 2 === 0 && h.toLowerCase() === "authorization").length > 1) {
    return refuse(req, res, 400, "Send one Authorization header.");
  }
  // Everything posted outside /api is a server action (a form): its size must be known and small.
  const url = req.url ?? "/";
  if (!url.startsWith("/api/") && !["GET", "HEAD", "OPTIONS"].includes(req.method ?? "")) {
    const length = req.headers["content-length"];
    if (length === undefined && req.headers["transfer-encoding"]) return refuse(req, res, 411, "Send forms with a Content-Length.");
    if (Number(length) > ACTION_BODY_LIMIT) return refuse(req, res, 413, "The form is larger than 1 MB.");
  }
  if (req.headers["next-action"]) refuseUndecodableActions(res);
  if (trustedHops === 0) req.headers["x-forwarded-for"] = req.socket.remoteAddress ?? "";
  if (api && (url === "/api/v1" || url.startsWith("/api/v1/") || url.startsWith("/api/v1?"))) return void api(req, res);
  void handle(req, res);
});
// Idle keep-alive connections stay open longer than the usual load balancer's 60 s: a server that
// closes first races a client reusing the socket, which then sees ECONNRESET on a request it sent
// (Node's default is 5 s). The headers timeout must outlast it.
server.keepAliveTimeout = 65_000;
server.headersTimeout = 66_000;
server.listen(port, hostname, () => {
  console.log(`Keysmith ready on http://localhost:${port}`);
});

// Prometheus metrics (lib/metrics.ts), for operators only: off unless METRICS_PORT is set, on
// 127.0.0.1 unless METRICS_HOST says otherwise, and behind METRICS_TOKEN (a Bearer token) when
// set. A separate listener, so the public port never serves them whatever a proxy forwards.
const metricsPort = Number(process.env.METRICS_PORT ?? 0) || 0;
if (metricsPort) {
  const metricsToken = process.env.METRICS_TOKEN ?? "";
  const metricsServer = createServer(async (req, res) => {
    const path = (req.url ?? "/").split("?")[0];
    if (req.method !== "GET" || path !== "/metrics") {
      res.writeHead(404, { "Content-Type": "text/plain; charset=utf-8" });
      return res.end("Not found. Metrics are at GET /metrics.\n");
    }
    if (metricsToken && req.headers.authorization !== `Bearer ${metricsToken}`) {
      res.writeHead(401, { "Content-Type": "text/plain; charset=utf-8", "WWW-Authenticate": 'Bearer realm="metrics"' });
      return res.end("Send Authorization: Bearer <METRICS_TOKEN>.\n");
    }
    const registry = globalThis.__keysmithMetrics?.registry;
    if (!registry) {
      res.writeHead(503, { "Content-Type": "text/plain; charset=utf-8", "Retry-After": "5" });
      return res.end("The app is still starting.\n");
    }
    try {
      const body = await registry.metrics();
      res.writeHead(200, { "Content-Type": registry.contentType, "Cache-Control": "no-store" });
      res.end(body);
    } catch (error) {
      res.writeHead(500, { "Content-Type": "text/plain; charset=utf-8" });
      res.end("Collecting metrics failed.\n");
      console.error(JSON.stringify({ time: new Date().toISOString(), level: "error", event: "metrics.failed", error: String(error?.name) }));
    }
  });
  metricsServer.listen(metricsPort, process.env.METRICS_HOST ?? "127.0.0.1");
}

// Usage counts and "last used" marks are buffered in memory and written about once a second
// (lib/usage.ts, held by lib/api/services.ts on globalThis): write what is pending before exiting,
// once the server has stopped taking requests (or after 5 s, whichever comes first). The per-key
// limiter's unsent counts go too, so a restart does not hand a key a fresh allowance.
let exiting = false;
async function exit() {
  if (exiting) return;
  exiting = true;
  try {
    // Background jobs under way get 4 s to finish; one cut off is taken again once its lease runs out (lib/jobs).
    await Promise.all([globalThis.__keysmithApi?.usage.flush(), globalThis.__keysmithApi?.keyLimiter.sync(), globalThis.__keysmithJobs?.stop(4_000)]);
  } catch (error) {
    console.error(JSON.stringify({ time: new Date().toISOString(), level: "error", event: "usage.final_flush_failed", error: String(error?.name) }));
  }
  process.exit(0);
}

for (const signal of ["SIGTERM", "SIGINT"]) {
  process.once(signal, () => {
    server.close(() => void exit());
    setTimeout(() => void exit(), 5_000).unref();
  });
}
