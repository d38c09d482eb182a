import { z } from "zod";

// Every setting the server reads, parsed once. README's "Configuration" lists the same names.
const schema = z.object({
  // Read by lib/server/db.ts itself; optional here so scripts and tests that pass their own client can load the rest.
  DATABASE_URL: z.string().optional(),
  DB_POOL_MAX: z.coerce.number().int().min(1).max(100).default(5),
  // How long one interactive transaction may run (lib/server/transaction-limits.ts).
  DB_TRANSACTION_TIMEOUT_MS: z.coerce.number().int().min(1_000).max(3_600_000).default(20_000),
  SESSION_MAX_AGE_HOURS: z.coerce.number().positive().max(24 * 30).default(8),
  LOGIN_MAX_FAILURES: z.coerce.number().int().min(1).default(5),
  LOGIN_WINDOW_MINUTES: z.coerce.number().int().min(1).default(15),
  LOGIN_LOCK_MINUTES: z.coerce.number().int().min(1).default(15),
  LOGIN_MAX_FAILURES_PER_ADDRESS: z.coerce.number().int().min(1).default(20),
  // WeCom's sign-in pages (docs/sign-in.md). The real hosts unless set: only a test points them
  // elsewhere (the simulator), never a setting an ADMIN can change from the portal.
  WECOM_OAUTH_BASE_URL: z.url({ protocol: /^https?$/ }).default("https://open.weixin.qq.com"),
  WECOM_SSO_BASE_URL: z.url({ protocol: /^https?$/ }).default("https://login.work.weixin.qq.com"),
  NODE_ENV: z.enum(["development", "production", "test"]).default("development"),
});

export type ServerEnv = z.infer<typeof schema>;

let cached: ServerEnv | undefined;

export function serverEnv(): ServerEnv {
  cached ??= schema.parse(process.env);
  return cached;
}
