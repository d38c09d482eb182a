// Auth.js's own endpoints (session, CSRF token, credentials callback, sign-out). Its
// credentials callback runs the same authorize() as the sign-in form: lock-out included.
import { handlers } from "@/lib/server/auth";

export const { GET, POST } = handlers;
