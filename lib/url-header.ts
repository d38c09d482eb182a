/** The request's path and query, which proxy.ts copies into the request headers so a page can
 * send a signed-out person to sign-in and back (lib/server/actor.ts). Set only by the proxy: it
 * overwrites any copy a client sends. */
export const PATH_HEADER = "x-wegovern-path";
