import { NextResponse, type NextRequest } from "next/server";
import { NONCE_HEADER, PATH_HEADER, pageHeaders } from "@/lib/server/page-headers.mjs";

// The security headers of a page (a fresh CSP nonce, which Next.js reads from the request's CSP
// header and puts on its own scripts; HSTS; the path header) for a request that did not come
// through scripts/serve.mjs's gate: `next dev`, or a bare `next start`. In production the gate
// sets the same headers from the same definition (lib/server/page-headers.mjs) and marks the
// request, and the matcher below skips it: Next.js's proxy round costs more than the work itself.
export function proxy(request: NextRequest) {
  const get = (name: string) => request.headers.get(name);
  const { nonce, csp, hsts, path } = pageHeaders(get, {
    pathAndQuery: `${request.nextUrl.pathname}${request.nextUrl.search}`,
    http: request.nextUrl.protocol === "http:",
    dev: process.env.NODE_ENV === "development",
  });
  const requestHeaders = new Headers(request.headers);
  requestHeaders.set(NONCE_HEADER, nonce);
  requestHeaders.set(PATH_HEADER, path);
  requestHeaders.set("Content-Security-Policy", csp);
  const response = NextResponse.next({ request: { headers: requestHeaders } });
  response.headers.set("Content-Security-Policy", csp);
  if (hsts) response.headers.set("Strict-Transport-Security", hsts);
  return response;
}

// Static files, the image optimiser and the favicon get none (wantsPageHeaders in
// lib/server/page-headers.mjs says the same for the gate), nor router prefetches, nor what the
// gate already did.
export const config = {
  matcher: [
    {
      source: "/((?!_next/static|_next/image|favicon.ico).*)",
      missing: [
        { type: "header", key: "next-router-prefetch" },
        { type: "header", key: "purpose", value: "prefetch" },
        { type: "header", key: "x-wegovern-gated" },
      ],
    },
  ],
};
