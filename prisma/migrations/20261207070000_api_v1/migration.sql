-- /api/v1 (docs/api.md): a token's scopes, optional department scope, note and rate limit; the
-- stored answers of Idempotency-Key requests; the per-token request counters of the rate limit.
ALTER TABLE "api_tokens" ADD COLUMN "scopes" TEXT[] NOT NULL DEFAULT ARRAY[]::TEXT[];
ALTER TABLE "api_tokens" ADD COLUMN "department_id" TEXT;
ALTER TABLE "api_tokens" ADD COLUMN "note" TEXT;
ALTER TABLE "api_tokens" ADD COLUMN "rate_limit" INTEGER NOT NULL DEFAULT 600;
-- Tokens issued before scopes existed were issued for the consent check.
UPDATE "api_tokens" SET "scopes" = ARRAY['consents:read']::TEXT[];

CREATE TABLE "api_idempotency_keys" (
    "token_id" TEXT NOT NULL,
    "key" TEXT NOT NULL,
    "method" TEXT NOT NULL,
    "path" TEXT NOT NULL,
    "request_hash" TEXT NOT NULL,
    "status" INTEGER NOT NULL,
    "headers" JSONB NOT NULL,
    "body" TEXT NOT NULL,
    "created_at" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,

    CONSTRAINT "api_idempotency_keys_pkey" PRIMARY KEY ("token_id","key")
);
CREATE INDEX "api_idempotency_keys_created_at_idx" ON "api_idempotency_keys"("created_at");

CREATE TABLE "api_rate_windows" (
    "token_id" TEXT NOT NULL,
    "window_start" TIMESTAMPTZ(3) NOT NULL,
    "count" INTEGER NOT NULL DEFAULT 0,

    CONSTRAINT "api_rate_windows_pkey" PRIMARY KEY ("token_id","window_start")
);
