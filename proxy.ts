import { NextResponse, type NextRequest } from "next/server";
import { requestIsHttps } from "@/lib/server/client-ip";
import { PATH_HEADER } from "@/lib/url-header";

/** Strict-Transport-Security for a request that reached us over HTTPS (through a trusted proxy:
 * the app itself serves plain HTTP). HSTS_MAX_AGE in seconds, one year unless set; "off" sends
 * none (0 tells browsers to forget the rule). docs/security.md. */
export function hstsHeader(headers: Headers): string | null {
  const setting = (process.env.HSTS_MAX_AGE ?? "").trim();
  if (setting.toLowerCase() === "off" || !requestIsHttps(headers)) return null;
  const maxAge = /^\d+$/.test(setting) ? Number(setting) : 31_536_000;
  return `max-age=${maxAge}${process.env.HSTS_INCLUDE_SUBDOMAINS === "1" ? "; includeSubDomains" : ""}`;
}

// A fresh nonce per request; Next.js reads it from the request's CSP header and puts it on its
// own scripts. Framing is limited to the portal itself (WeCom's workbench opens the portal as a
// page, not in a frame).
export function proxy(request: NextRequest) {
  const nonce = Buffer.from(crypto.randomUUID()).toString("base64");
  const dev = process.env.NODE_ENV === "development";
  const csp = [
    "default-src 'self'",
    `script-src 'self' 'nonce-${nonce}' 'strict-dynamic'${dev ? " 'unsafe-eval'" : ""}`,
    `style-src 'self' 'nonce-${nonce}'`,
    "img-src 'self' blob: data:",
    "font-src 'self'",
    "connect-src 'self'",
    "object-src 'none'",
    "base-uri 'self'",
    "form-action 'self'",
    "frame-ancestors 'self'",
    ...(dev || request.nextUrl.protocol === "http:" ? [] : ["upgrade-insecure-requests"]),
  ].join("; ");

  const requestHeaders = new Headers(request.headers);
  requestHeaders.set("x-nonce", nonce);
  requestHeaders.set(PATH_HEADER, `${request.nextUrl.pathname}${request.nextUrl.search}`);
  requestHeaders.set("Content-Security-Policy", csp);
  const response = NextResponse.next({ request: { headers: requestHeaders } });
  response.headers.set("Content-Security-Policy", csp);
  const hsts = hstsHeader(request.headers);
  if (hsts) response.headers.set("Strict-Transport-Security", hsts);
  return response;
}

export const config = {
  matcher: [
    {
      source: "/((?!_next/static|_next/image|favicon.ico).*)",
      missing: [
        { type: "header", key: "next-router-prefetch" },
        { type: "header", key: "purpose", value: "prefetch" },
      ],
    },
  ],
};
