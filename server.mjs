// Production server: Next.js's request handler behind a plain Node HTTP server, for one reason:
// the client's address. `next start` only fills X-Forwarded-For when the client sent none, so a
// client talking to it directly can claim any address and dodge per-address limits. Here, with no
// trusted proxy in front (TRUSTED_PROXY_HOPS unset or 0), the header is replaced by the socket's
// address; behind N trusted proxies it is left as they wrote it (lib/request-context.ts reads it).
import { createServer } from "node:http";
import next from "next";

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

const server = createServer((req, res) => {
  if (trustedHops === 0) req.headers["x-forwarded-for"] = req.socket.remoteAddress ?? "";
  void handle(req, res);
});
server.listen(port, hostname, () => {
  console.log(`Keysmith ready on http://localhost:${port}`);
});

// Usage counts and "last used" marks are buffered in memory and written about once a second
// (lib/usage.ts, held by lib/api/services.ts on globalThis): write what is pending before exiting,
// once the server has stopped taking requests (or after 5 s, whichever comes first).
let exiting = false;
async function exit() {
  if (exiting) return;
  exiting = true;
  try {
    await globalThis.__keysmithApi?.usage.flush();
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
