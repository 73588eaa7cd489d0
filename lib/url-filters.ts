import "server-only";
import { redirect } from "next/navigation";
import type { z } from "zod";

type SearchParams = Record<string, string | string[] | undefined>;

/** URLSearchParams-like object -> plain record (first value of each key). */
function paramsRecord(params: SearchParams | URLSearchParams): Record<string, string> {
  if (params instanceof URLSearchParams) return Object.fromEntries(params);
  const out: Record<string, string> = {};
  for (const [k, v] of Object.entries(params)) {
    const value = Array.isArray(v) ? v[0] : v;
    if (typeof value === "string") out[k] = value;
  }
  return out;
}

/** The non-default filters, for links that must keep them (pagination, export, canonical URL). */
export function activeParams(values: Record<string, string | number | undefined>): Record<string, string> {
  const out: Record<string, string> = {};
  for (const [k, v] of Object.entries(values)) if (v !== undefined && v !== "" && k !== "page") out[k] = String(v);
  return out;
}

/**
 * A page's filters from its URL, through a strict schema whose fields each fall back to their
 * default. So the only failure is an unknown parameter: the page then redirects to the URL of
 * what it really shows, instead of quietly ignoring a misspelt filter.
 */
export function readFilters<S extends z.ZodObject>(schema: S, params: SearchParams, path: string): z.output<S> {
  const raw = paramsRecord(params);
  const parsed = schema.safeParse(raw);
  if (parsed.success) return parsed.data;
  const known = schema.strip().parse(raw) as Record<string, string | number | undefined>;
  const query = new URLSearchParams(activeParams(known));
  if (typeof known.page === "number" && known.page > 1) query.set("page", String(known.page));
  redirect(query.size ? `${path}?${query}` : path);
}

/**
 * A place to send the browser back to after signing in or confirming who you are: a same-site
 * relative path only (an absolute or protocol-relative URL would be an open redirect), else `fallback`.
 */
export function sameSitePath(next: unknown, fallback: string): string {
  return typeof next === "string" && /^\/(?!\/)[\w\-/?=&.%]*$/.test(next) ? next : fallback;
}
