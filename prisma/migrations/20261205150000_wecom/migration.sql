-- The WeCom connector: settings, the shared access-token cache, the API call record, the
-- callback's nonce guard and received events (prisma/schema/wecom.prisma).

-- CreateTable
CREATE TABLE "wecom_settings" (
    "id" TEXT NOT NULL DEFAULT 'default',
    "corp_id" TEXT NOT NULL DEFAULT '',
    "agent_id" TEXT NOT NULL DEFAULT '',
    "api_base_url" TEXT NOT NULL DEFAULT 'https://qyapi.weixin.qq.com',
    "contact_secret_cipher" TEXT,
    "contact_secret_last4" TEXT,
    "customer_secret_cipher" TEXT,
    "customer_secret_last4" TEXT,
    "callback_token_cipher" TEXT,
    "callback_token_last4" TEXT,
    "encoding_aes_key_cipher" TEXT,
    "encoding_aes_key_last4" TEXT,
    "calls_per_minute" INTEGER NOT NULL DEFAULT 1200,
    "version" INTEGER NOT NULL DEFAULT 1,
    "updated_by_id" TEXT,
    "created_at" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "updated_at" TIMESTAMPTZ(3) NOT NULL,

    CONSTRAINT "wecom_settings_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "wecom_access_tokens" (
    "cache_key" TEXT NOT NULL,
    "token_cipher" TEXT NOT NULL,
    "expires_at" TIMESTAMPTZ(3) NOT NULL,
    "fetched_at" TIMESTAMPTZ(3) NOT NULL,

    CONSTRAINT "wecom_access_tokens_pkey" PRIMARY KEY ("cache_key")
);

-- CreateTable
CREATE TABLE "wecom_api_calls" (
    "id" BIGSERIAL NOT NULL,
    "at" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "app" TEXT NOT NULL,
    "method" TEXT NOT NULL,
    "path" TEXT NOT NULL,
    "errcode" INTEGER,
    "failure" TEXT,
    "http_status" INTEGER,
    "duration_ms" INTEGER NOT NULL,
    "retries" INTEGER NOT NULL DEFAULT 0,

    CONSTRAINT "wecom_api_calls_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "wecom_callback_nonces" (
    "nonce" TEXT NOT NULL,
    "timestamp" TEXT NOT NULL,
    "received_at" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,

    CONSTRAINT "wecom_callback_nonces_pkey" PRIMARY KEY ("nonce","timestamp")
);

-- CreateTable
CREATE TABLE "wecom_callback_events" (
    "id" TEXT NOT NULL,
    "received_at" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "event" TEXT NOT NULL,
    "change_type" TEXT,
    "payload_cipher" TEXT NOT NULL,
    "job_id" TEXT,
    "processed_at" TIMESTAMPTZ(3),

    CONSTRAINT "wecom_callback_events_pkey" PRIMARY KEY ("id")
);

-- CreateIndex
CREATE INDEX "wecom_api_calls_at_idx" ON "wecom_api_calls"("at");
CREATE INDEX "wecom_callback_nonces_received_at_idx" ON "wecom_callback_nonces"("received_at");
CREATE INDEX "wecom_callback_events_received_at_idx" ON "wecom_callback_events"("received_at");
