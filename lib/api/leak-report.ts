import "server-only";
import type { z } from "zod";
import { isWellFormedKey } from "../keys/format";
import { errorFields, log } from "../log";
import type { leakReportBody } from "../validation/api.schema";
import { json } from "./http";

export type LeakReport = z.output<typeof leakReportBody>;

export type LeakReportDeps = {
  /** Runs a task after the response has been sent: Next's after() in the route. */
  defer: (task: () => Promise<void>) => void;
  /** Looks up and revokes the candidates; resolves to how many were real. */
  revoke: (candidates: string[], source: string) => Promise<number>;
};

/**
 * Answers a leak report before doing anything that depends on whether the reported keys exist.
 * Format and checksum are checked here (pure computation, the same for real and made-up keys);
 * the lookups and revocations run only after the response is sent. Awaiting them first made
 * reports of real keys measurably slower than reports of fake ones (a key-existence oracle for
 * anyone, since this endpoint needs no key). The answer is a constant 202 either way.
 */
export function acceptLeakReport(report: LeakReport, deps: LeakReportDeps): Response {
  const tokens = Array.isArray(report) ? report.map((t) => t.token) : report.keys;
  const source = Array.isArray(report) ? (report[0]?.source ?? "scanner") : "report";
  const candidates = [...new Set(tokens.filter(isWellFormedKey))];
  if (candidates.length > 0) {
    deps.defer(async () => {
      try {
        await deps.revoke(candidates, source);
      } catch (error) {
        // errorFields never carries query parameters (keys' digests); the keys themselves are not passed.
        log.error("leak_report.failed", { candidates: candidates.length, ...errorFields(error) });
      }
    });
  }
  return json({ received: tokens.length }, { status: 202 });
}
