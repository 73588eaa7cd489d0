import net from "node:net";
import type { AddressInfo } from "node:net";
import { WebSocketServer } from "ws";

/**
 * A minimal WebSocket-to-TCP proxy: what Neon's edge does in front of Postgres. It lets the
 * @neondatabase/serverless driver talk to a local Postgres in tests. Only loopback targets are
 * allowed, so it can never be used to reach anything else.
 */
export async function startNeonWsProxy(port = 0): Promise<{ url: string; close: () => Promise<void> }> {
  const wss = new WebSocketServer({ host: "127.0.0.1", port });
  wss.on("connection", (socket, request) => {
    const address = new URL(request.url ?? "/", "http://x").searchParams.get("address") ?? "";
    const [host, portText] = address.split(":");
    if (!host || !["localhost", "127.0.0.1", "::1"].includes(host) || !portText) {
      socket.close(1008, "only loopback targets");
      return;
    }
    const tcp = net.connect(Number(portText), host === "localhost" ? "127.0.0.1" : host);
    const pending: Buffer[] = [];
    tcp.on("connect", () => {
      for (const chunk of pending.splice(0)) tcp.write(chunk);
    });
    socket.on("message", (data: Buffer) => {
      if (tcp.connecting) pending.push(data);
      else tcp.write(data);
    });
    tcp.on("data", (chunk) => socket.readyState === socket.OPEN && socket.send(chunk));
    const end = () => {
      tcp.destroy();
      if (socket.readyState === socket.OPEN) socket.close();
    };
    tcp.on("error", end);
    tcp.on("close", end);
    socket.on("close", () => tcp.destroy());
    socket.on("error", () => tcp.destroy());
  });
  await new Promise<void>((resolve) => wss.once("listening", () => resolve()));
  const { port: actual } = wss.address() as AddressInfo;
  return {
    url: `127.0.0.1:${actual}/v1`,
    close: () =>
      new Promise<void>((resolve) => {
        for (const client of wss.clients) client.terminate();
        wss.close(() => resolve());
      }),
  };
}

// Run directly: `tsx test/neon-ws-proxy.ts [port]` (used by the e2e run on the Neon driver).
if (process.argv[1] && import.meta.url.endsWith(process.argv[1].replace(/^.*\//, ""))) {
  const proxy = await startNeonWsProxy(Number(process.argv[2] ?? 0));
  console.log(`neon ws proxy listening: NEON_WS_PROXY=${proxy.url}`);
}
