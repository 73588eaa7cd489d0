// POST /api/v1/keys/revoke-leaked: for secret scanners. No key needed (a leaked key is reported
// by whoever found it); rate limited per address; the answer never says which keys were real,
// by its content or by its timing (the revocations run after the response: lib/api/leak-report.ts).
import { after } from "next/server";
import { getDb } from "@/db";
import { handler, methodNotAllowed, readJson } from "@/lib/api/http";
import { acceptLeakReport } from "@/lib/api/leak-report";
import { apiServices } from "@/lib/api/services";
import { reportLeakedKeys } from "@/lib/commands/keys";
import { AppError } from "@/lib/errors";
import { clientIp, contextFromHeaders } from "@/lib/request-context";
import { leakReportBody } from "@/lib/validation/api.schema";

const REPORTS_PER_MINUTE = 10;

export const POST = handler("keys.revokeLeaked", async (request: Request) => {
  const db = await getDb();
  const limit = await apiServices().reports.take(db, `leak:${clientIp(request.headers) ?? "unknown"}`, REPORTS_PER_MINUTE);
  if (!limit.ok) {
    throw new AppError("rate_limited", {
      message: "Too many reports from this address. Wait and retry.",
      headers: { "Retry-After": String(limit.retryAfterSeconds) },
    });
  }
  const body = await readJson(request, leakReportBody);
  const context = contextFromHeaders(request.headers);
  return acceptLeakReport(body, {
    defer: (task) => after(task),
    revoke: (candidates, source) => reportLeakedKeys(db, candidates, context, source),
  });
});

const notAllowed = methodNotAllowed("POST");
export const GET = notAllowed;
export const PUT = notAllowed;
export const PATCH = notAllowed;
export const DELETE = notAllowed;
