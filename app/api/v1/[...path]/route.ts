// Anything else under /api/v1: a JSON 404 rather than the HTML not-found page.
import { errorResponse } from "@/lib/api/http";
import { AppError } from "@/lib/errors";

function notFound() {
  return errorResponse(new AppError("not_found", { message: "No such endpoint. See /api/v1/openapi.json." }));
}

export const GET = notFound;
export const POST = notFound;
export const PUT = notFound;
export const PATCH = notFound;
export const DELETE = notFound;
