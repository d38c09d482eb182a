import "next-auth";
import "next-auth/jwt";

declare module "next-auth" {
  interface Session {
    user: { id: string; name?: string | null; email?: string | null };
    /** The employee's session version when this session began (lib/server/session.ts). */
    sessionVersion?: number;
    /** The session's row in auth_sessions. */
    sessionId?: string;
    /** When the cookie's token expires (seconds since the epoch): how long lib/server/actor.ts may
     * keep its decoded claims. */
    tokenExpires?: number;
  }
  interface User {
    sessionVersion?: number;
    sessionId?: string;
  }
}

declare module "next-auth/jwt" {
  interface JWT {
    sv?: number;
    sid?: string;
  }
}
