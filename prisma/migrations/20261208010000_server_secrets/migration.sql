-- Secrets the server makes for itself once and every process shares (lib/server/server-secrets.ts):
-- the /api/v1 cursor signing key when neither API_CURSOR_SECRET nor AUTH_SECRET is set, so a
-- cursor stays valid across processes and restarts. Written once (INSERT … ON CONFLICT DO NOTHING),
-- never changed.
CREATE TABLE "server_secrets" (
    "name" TEXT NOT NULL,
    "value" TEXT NOT NULL,
    "created_at" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,

    CONSTRAINT "server_secrets_pkey" PRIMARY KEY ("name")
);
