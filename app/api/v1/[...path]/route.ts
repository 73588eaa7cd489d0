// Anything else under /api/v1: a JSON 404 rather than the HTML not-found page.
import { apiError } from "@/lib/api/http";

function notFound() {
  return apiError(404, "not_found", "No such endpoint. See /api/v1/openapi.json.");
}

export const GET = notFound;
export const POST = notFound;
export const PUT = notFound;
export const PATCH = notFound;
export const DELETE = notFound;
