/** The request's path and query, which the gate (scripts/serve.mjs) or proxy.ts copies into the
 * request headers so a page can send a signed-out person to sign-in and back
 * (lib/server/actor.ts). Set only there: they overwrite any copy a client sends. */
export { PATH_HEADER } from "./server/page-headers.mjs";
