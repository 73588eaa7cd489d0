// Auth.js endpoints (session, CSRF token, sign-in callback, sign-out).
import { handlers } from "@/lib/auth/config";

export const { GET, POST } = handlers;
