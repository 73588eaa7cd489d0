import "server-only";
import { randomUUID } from "node:crypto";
import type { z } from "zod";
import { AppError, isDatabaseUnavailable, type ErrorCode } from "../errors";
import { errorFields, log } from "../log";
import type { LimitState } from "../rate-limit";
import { fieldErrorsOf } from "../validation/common";
import { operationErrors, type OperationId } from "./operations";

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

/**
 * The JSON error response for an AppError: `{ error: { code, message, details? } }`, with the
 * code's status from lib/errors.ts. Field errors travel as details.fields.
 */
export function errorResponse(error: AppError): Response {
  const details = error.fieldErrors ? { ...error.details, fields: error.fieldErrors } : error.details;
  return json({ error: { code: error.code, message: error.message, ...(details ? { details } : {}) } }, { status: error.status, headers: error.headers });
}

/** For the methods a route does not serve: a JSON 405 naming the ones it does (Next's own 405 has no body). */
export function methodNotAllowed(...allow: string[]) {
  return () =>
    errorResponse(
      new AppError("method_not_allowed", {
        message: `This endpoint accepts ${allow.join(", ")}.`,
        headers: { Allow: [...allow, "OPTIONS"].join(", ") },
      }),
    );
}

/** Reads a JSON body: 415 for another content type, 413 past the size cap, 400 for broken JSON, 422 for a body the schema refuses. */
export async function readJson<S extends z.ZodType>(request: Request, schema: S): Promise<z.output<S>> {
  const type = request.headers.get("content-type") ?? "";
  if (!/^application\/json\b/i.test(type)) {
    throw new AppError("unsupported_media_type");
  }
  const declared = Number(request.headers.get("content-length") ?? 0);
  if (declared > MAX_BODY_BYTES) throw new AppError("payload_too_large");
  const text = await readCapped(request);
  let raw: unknown;
  try {
    raw = JSON.parse(text);
  } catch {
    throw new AppError("invalid_json");
  }
  const parsed = schema.safeParse(raw);
  if (!parsed.success) {
    throw new AppError("validation_failed", { message: "Some fields are invalid; see details.", fieldErrors: fieldErrorsOf(parsed.error) });
  }
  return parsed.data;
}

async function readCapped(request: Request): Promise<string> {
  if (!request.body) return "";
  const declared = request.headers.get("content-length");
  // A declared length (readJson has refused one over the cap): the body is read in one piece. On
  // server.mjs's direct path that is @hono/node-server's fast read from the socket, without the
  // Web stream a reader would build around it (a large share of a small POST's cost). HTTP framing
  // makes the body exactly that long; the size is checked again all the same.
  if (declared !== null && /^\d+$/.test(declared)) {
    let body: ArrayBuffer;
    try {
      body = await request.arrayBuffer();
    } catch {
      throw new AppError("incomplete_body");
    }
    if (body.byteLength > MAX_BODY_BYTES) throw new AppError("payload_too_large");
    return decodeUtf8(new Uint8Array(body));
  }
  const reader = request.body.getReader();
  const chunks: Uint8Array[] = [];
  let size = 0;
  for (;;) {
    let chunk: ReadableStreamReadResult<Uint8Array>;
    try {
      chunk = await reader.read();
    } catch {
      // The client stopped sending before its Content-Length: nobody to blame on our side.
      throw new AppError("incomplete_body");
    }
    const { done, value } = chunk;
    if (done) break;
    size += value.byteLength;
    if (size > MAX_BODY_BYTES) {
      await reader.cancel();
      throw new AppError("payload_too_large");
    }
    chunks.push(value);
  }
  return decodeUtf8(Buffer.concat(chunks));
}

function decodeUtf8(bytes: Uint8Array): string {
  // Invalid UTF-8 is refused (400), not silently turned into U+FFFD and stored.
  try {
    return new TextDecoder("utf-8", { fatal: true }).decode(bytes);
  } catch {
    throw new AppError("invalid_json", { message: "The request body is not valid UTF-8." });
  }
}

// The calling key's limit, noted by authenticate() and sent on every answer to the request
// (success or error) by handler(): IETF RateLimit fields, and GitHub's X-RateLimit-* that many
// clients read. Costs nothing: the limiter already holds the numbers.
const rateStates = new WeakMap<Request, LimitState>();

export function noteRateLimit(request: Request, state: LimitState): void {
  rateStates.set(request, state);
}

export function rateLimitHeaders(state: LimitState, now = Date.now()): Record<string, string> {
  return {
    "RateLimit-Policy": `"per-key";q=${state.limit};w=${state.windowSeconds}`,
    RateLimit: `"per-key";r=${state.remaining};t=${state.resetSeconds}`,
    "X-RateLimit-Limit": String(state.limit),
    "X-RateLimit-Remaining": String(state.remaining),
    "X-RateLimit-Reset": String(Math.ceil(now / 1000) + state.resetSeconds),
  };
}

function withRateLimit(request: unknown, response: Response): Response {
  const state = request instanceof Request ? rateStates.get(request) : undefined;
  if (state) for (const [name, value] of Object.entries(rateLimitHeaders(state))) response.headers.set(name, value);
  return response;
}

/** Parses query parameters with a schema, or answers 422 naming the fields. */
export function readQuery<S extends z.ZodType>(request: Request, schema: S, message: string): z.output<S> {
  const parsed = schema.safeParse(Object.fromEntries(new URL(request.url).searchParams));
  if (!parsed.success) throw new AppError("validation_failed", { message, fieldErrors: fieldErrorsOf(parsed.error) });
  return parsed.data;
}

/**
 * Wraps every /api/v1 handler: an AppError becomes its response, an unreachable database a 503
 * with Retry-After, anything else a 500 with a correlation id and no detail (logged here). An
 * AppError whose code the operation does not declare (lib/api/operations.ts, which the OpenAPI
 * document is built from) is still answered, and logged as `api.undocumented_error`: the e2e
 * suite fails on any such line (scripts/secret-hygiene.ts reads the server logs).
 */
export function handler<A extends unknown[]>(operation: OperationId, fn: (...args: A) => Promise<Response>) {
  const documented = new Set<ErrorCode>(operationErrors(operation));
  return async (...args: A): Promise<Response> => withRateLimit(args[0], await answer(...args));
  async function answer(...args: A): Promise<Response> {
    try {
      return await fn(...args);
    } catch (error) {
      if (error instanceof AppError && error.status < 500) {
        if (!documented.has(error.code)) log.error("api.undocumented_error", { route: operation, code: error.code });
        return errorResponse(error);
      }
      const requestId = randomUUID();
      if (isDatabaseUnavailable(error)) {
        log.error("api.db_unavailable", { route: operation, requestId, ...errorFields(error) });
        return errorResponse(
          new AppError("service_unavailable", {
            message: "The service is briefly unavailable. Retry shortly.",
            headers: { "Retry-After": "5" },
            details: { requestId },
          }),
        );
      }
      log.error("api.failed", { route: operation, requestId, ...errorFields(error) });
      return errorResponse(
        new AppError("internal_error", {
          message: "Something went wrong on our side. Retry, and quote the request id if it persists.",
          details: { requestId },
        }),
      );
    }
  }
}
