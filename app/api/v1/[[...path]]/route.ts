// /api/v1 inside Next.js: under `next dev` and on platforms that run only Next.js. In production
// server.mjs hands these requests to the same router before Next.js sees them (lib/api/app.ts).
import { after } from "next/server";
import { apiFetch } from "@/lib/api/app";

function serve(request: Request): Promise<Response> {
  return apiFetch(request, (task) => after(task));
}

export { serve as DELETE, serve as GET, serve as HEAD, serve as OPTIONS, serve as PATCH, serve as POST, serve as PUT };
