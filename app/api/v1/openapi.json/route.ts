// GET /api/v1/openapi.json: the API's OpenAPI 3.1 document (public).
import { methodNotAllowed } from "@/lib/api/http";
import { openApiDocument } from "@/lib/api/openapi";
import { requestOrigin } from "@/lib/request-context";

export function GET(request: Request) {
  return new Response(JSON.stringify(openApiDocument(requestOrigin(request.headers)), null, 2), {
    headers: { "Content-Type": "application/json; charset=utf-8", "Cache-Control": "public, max-age=300" },
  });
}

const notAllowed = methodNotAllowed("GET");
export const POST = notAllowed;
export const PUT = notAllowed;
export const PATCH = notAllowed;
export const DELETE = notAllowed;
