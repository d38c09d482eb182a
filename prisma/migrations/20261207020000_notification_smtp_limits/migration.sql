-- Notifications (issue 16, docs/notifications.md): an e-mail whose worker stopped mid-send is
-- UNCERTAIN (never resent blindly); SMTP configured in the portal (the password a lib/pii token).

ALTER TYPE "DeliveryStatus" ADD VALUE 'UNCERTAIN';

CREATE TABLE "smtp_settings" (
    "id" TEXT NOT NULL DEFAULT 'default',
    "host" TEXT NOT NULL,
    "port" INTEGER NOT NULL,
    "tls_mode" TEXT NOT NULL,
    "username" TEXT NOT NULL DEFAULT '',
    "password_cipher" TEXT,
    "from_address" TEXT NOT NULL,
    "version" INTEGER NOT NULL DEFAULT 1,
    "updated_by_id" TEXT,
    "created_at" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "updated_at" TIMESTAMPTZ(3) NOT NULL,

    CONSTRAINT "smtp_settings_pkey" PRIMARY KEY ("id"),
    CONSTRAINT "smtp_settings_tls_mode_check" CHECK ("tls_mode" IN ('NONE', 'STARTTLS', 'TLS'))
);

-- WeCom's daily per-app total is counted by channel and sent_at (lib/notifications/deliver.ts).
CREATE INDEX "notification_deliveries_channel_sent_at_idx" ON "notification_deliveries"("channel", "sent_at");
