import type { NextConfig } from "next";

// cacheComponents stays off: every page is per person and dynamic, and the nonce-based CSP
// (proxy.ts) needs dynamic rendering anyway (docs/decisions/0001-dynamic-rendering.md).
const nextConfig: NextConfig = {
  poweredByHeader: false,
  // Responses are compressed by the production server (scripts/serve.mjs → scripts/compress.mjs)
  // at a cheaper gzip level than Next.js's built-in compression (zlib's default, 6): the floor of
  // every page (docs/performance.md, "The floor").
  compress: false,
  reactStrictMode: true,
  // `npm test` checks types once, in its typecheck stage (`next typegen && tsc`: the same check with
  // the route types), and sets this for its build stage; every other build checks them itself.
  typescript: { ignoreBuildErrors: process.env.WEGOVERN_TYPES_CHECKED === "1" },
  experimental: {
    authInterrupts: true,
    // Above the largest field any form accepts, so an oversized value reaches the zod schema and
    // gets a message beside its field instead of a bare 413.
    serverActions: { bodySizeLimit: "2mb" },
  },
  serverExternalPackages: ["@node-rs/argon2", "@electric-sql/pglite"],
  async headers() {
    // Headers for every response, static files included; the CSP itself is set per request in
    // proxy.ts because it carries a fresh nonce.
    return [
      {
        source: "/:path*",
        headers: [
          { key: "X-Content-Type-Options", value: "nosniff" },
          { key: "Referrer-Policy", value: "strict-origin-when-cross-origin" },
          { key: "X-Frame-Options", value: "SAMEORIGIN" },
          { key: "Permissions-Policy", value: "camera=(), microphone=(), geolocation=(), payment=()" },
          { key: "Cross-Origin-Opener-Policy", value: "same-origin" },
        ],
      },
    ];
  },
  turbopack: {
    rules: {
      "*.css": {
        loaders: ["@tailwindcss/turbopack"],
        as: "*.css",
      },
    },
  },
};

export default nextConfig;
