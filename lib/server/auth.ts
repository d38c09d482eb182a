import "server-only";
import NextAuth, { CredentialsSignin } from "next-auth";
import Credentials from "next-auth/providers/credentials";
import { z } from "zod";
import { attemptSignIn } from "@/lib/auth/sign-in";
import { redeemSignIn } from "@/lib/auth/sso";
import { clientIp } from "./client-ip";
import { db } from "./db";
import { sessionClaims, sessionJwt } from "./session";

/** Carries the time the person may try again; Auth.js puts `code` on the thrown error. */
class BlockedSignIn extends CredentialsSignin {
  constructor(kind: "locked" | "throttled", until: Date) {
    super();
    this.code = `${kind}:${until.toISOString()}`;
  }
}

const credentialsSchema = z.object({
  email: z.string().trim().max(320),
  password: z.string().max(1024),
});

const maxAge = Math.round(Number(process.env.SESSION_MAX_AGE_HOURS ?? 8) * 3600);

export const { handlers, auth, signIn, signOut } = NextAuth({
  // Self-hosted behind whatever the company puts in front; the host header is trusted.
  trustHost: true,
  session: { strategy: "jwt", maxAge, updateAge: Math.min(3600, maxAge) },
  jwt: { maxAge },
  pages: { signIn: "/login", error: "/login" },
  // A wrong password is an expected outcome (recorded in login_attempts), not a server error.
  logger: {
    error(error) {
      if ((error as { type?: string }).type === "CredentialsSignin") return;
      console.error("[auth]", error);
    },
  },
  // Secure cookies in production (Chromium and Firefox accept them on http://localhost too);
  // AUTH_INSECURE_COOKIES=1 is only for a plain-http deployment someone knowingly runs.
  useSecureCookies: process.env.NODE_ENV === "production" && process.env.AUTH_INSECURE_COOKIES !== "1",
  providers: [
    Credentials({
      credentials: { email: {}, password: {} },
      async authorize(raw, request) {
        const parsed = credentialsSchema.safeParse(raw);
        if (!parsed.success) return null;
        const outcome = await attemptSignIn(parsed.data.email, parsed.data.password, clientIp(request.headers), request.headers.get("user-agent"));
        if (outcome.ok) return outcome.employee;
        if (outcome.reason === "LOCKED") throw new BlockedSignIn("locked", outcome.until);
        if (outcome.reason === "THROTTLED") throw new BlockedSignIn("throttled", outcome.until);
        return null;
      },
    }),
    // WeCom (in the client and by QR) and OIDC are Auth.js providers of our own: their redirect
    // legs run in /api/auth/wecom/* and /api/auth/oidc/* (WeCom is not OAuth 2; OIDC needs the
    // settings from the database and the ID token verified here), which end by handing the
    // provider a single-use grant that never leaves the server (lib/auth/flows.ts, docs/sign-in.md).
    Credentials({
      id: "wecom",
      name: "WeCom",
      credentials: { grant: {} },
      authorize: (raw, request) => redeemSignIn(db(), raw?.grant, ["WECOM_OAUTH", "WECOM_QR"], { ip: clientIp(request.headers), userAgent: request.headers.get("user-agent") }),
    }),
    Credentials({
      id: "oidc",
      name: "OpenID Connect",
      credentials: { grant: {} },
      authorize: (raw, request) => redeemSignIn(db(), raw?.grant, ["OIDC"], { ip: clientIp(request.headers), userAgent: request.headers.get("user-agent") }),
    }),
  ],
  callbacks: {
    // The cookie carries the person's session version from sign-in and the session's row;
    // getActor checks both on every request (lib/server/session.ts).
    jwt({ token, user }) {
      return sessionJwt(token, user);
    },
    session({ session, token }) {
      const claims = sessionClaims(token);
      if (claims) {
        session.user.id = claims.id;
        session.sessionVersion = claims.sessionVersion;
        session.sessionId = claims.sessionId;
        if (typeof token.exp === "number") session.tokenExpires = token.exp;
      }
      return session;
    },
  },
});
