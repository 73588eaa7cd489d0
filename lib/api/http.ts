import "server-only";
import { randomUUID } from "node:crypto";
import type { z } from "zod";
import { AppError, isDatabaseUnavailable } from "../errors";
import { errorFields, log } from "../log";
import { fieldErrorsOf } from "../validation/common";

export const MAX_BODY_BYTES = 64 * 1024;

/** Every API response: JSON, never cached (some carry secrets, all carry account data). */
export function json(data: unknown, init: { status?: number; headers?: Record<string, string> } = {}): Response {
  return new Response(JSON.stringify(data), {
    status: init.status ?? 200,
    headers: {
      "Content-Type": "application/json; charset=utf-8",
      "Cache-Control": "no-store",
      ...init.headers,
    },
  });
}

export function apiError(
  status: number,
  code: string,
  message: string,
  extra: { headers?: Record<string, string>; details?: Record<string, unknown> } = {},
): Response {
  return json({ error: { code, message, ...(extra.details ? { details: extra.details } : {}) } }, { status, headers: extra.headers });
}

/** For the methods a route does not serve: a JSON 405 naming the ones it does (Next's own 405 has no body). */
export function methodNotAllowed(...allow: string[]) {
  return () =>
    apiError(405, "method_not_allowed", `This endpoint accepts ${allow.join(", ")}.`, { headers: { Allow: [...allow, "OPTIONS"].join(", ") } });
}

/** Thrown inside handlers to answer with a specific error response. */
export class ApiProblem extends Error {
  constructor(readonly response: Response) {
    super("api problem");
  }
}

/** Reads a JSON body: 415 for another content type, 413 past the size cap, 400 for broken JSON, 422 for a body the schema refuses. */
export async function readJson<S extends z.ZodType>(request: Request, schema: S): Promise<z.output<S>> {
  const type = request.headers.get("content-type") ?? "";
  if (!/^application\/json\b/i.test(type)) {
    throw new ApiProblem(apiError(415, "unsupported_media_type", "Send the body as JSON with Content-Type: application/json."));
  }
  const declared = Number(request.headers.get("content-length") ?? 0);
  if (declared > MAX_BODY_BYTES) throw new ApiProblem(tooLarge());
  const text = await readCapped(request);
  let raw: unknown;
  try {
    raw = JSON.parse(text);
  } catch {
    throw new ApiProblem(apiError(400, "invalid_json", "The request body is not valid JSON."));
  }
  const parsed = schema.safeParse(raw);
  if (!parsed.success) {
    throw new ApiProblem(
      apiError(422, "validation_failed", "Some fields are invalid; see details.", { details: { fields: fieldErrorsOf(parsed.error) } }),
    );
  }
  return parsed.data;
}

function tooLarge() {
  return apiError(413, "payload_too_large", `The body must be at most ${MAX_BODY_BYTES / 1024} KB.`);
}

async function readCapped(request: Request): Promise<string> {
  if (!request.body) return "";
  const reader = request.body.getReader();
  const chunks: Uint8Array[] = [];
  let size = 0;
  for (;;) {
    let chunk: ReadableStreamReadResult<Uint8Array>;
    try {
      chunk = await reader.read();
    } catch {
      // The client stopped sending before its Content-Length: nobody to blame on our side.
      throw new ApiProblem(apiError(400, "incomplete_body", "The request body ended before its declared length."));
    }
    const { done, value } = chunk;
    if (done) break;
    size += value.byteLength;
    if (size > MAX_BODY_BYTES) {
      await reader.cancel();
      throw new ApiProblem(tooLarge());
    }
    chunks.push(value);
  }
  // Invalid UTF-8 is refused (400), not silently turned into U+FFFD and stored.
  try {
    return new TextDecoder("utf-8", { fatal: true }).decode(Buffer.concat(chunks));
  } catch {
    throw new ApiProblem(apiError(400, "invalid_json", "The request body is not valid UTF-8."));
  }
}

/**
 * Wraps every /api/v1 handler: known problems become their response, an unreachable database a
 * 503 with Retry-After, anything else a 500 with a correlation id and no detail (logged here).
 */
export function handler<A extends unknown[]>(name: string, fn: (...args: A) => Promise<Response>) {
  return async (...args: A): Promise<Response> => {
    try {
      return await fn(...args);
    } catch (error) {
      if (error instanceof ApiProblem) return error.response;
      if (error instanceof AppError && error.status < 500) {
        return apiError(error.status, error.code.replace(/:.*/, ""), error.message);
      }
      const requestId = randomUUID();
      if (isDatabaseUnavailable(error)) {
        log.error("api.db_unavailable", { route: name, requestId, ...errorFields(error) });
        return apiError(503, "service_unavailable", "The service is briefly unavailable. Retry shortly.", {
          headers: { "Retry-After": "5" },
          details: { requestId },
        });
      }
      log.error("api.failed", { route: name, requestId, ...errorFields(error) });
      return apiError(500, "internal_error", "Something went wrong on our side. Retry, and quote the request id if it persists.", {
        details: { requestId },
      });
    }
  };
}
