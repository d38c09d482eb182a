-- Notification delivery: WeCom app messages, e-mail and group robots, per-person preferences
-- (prisma/schema/notifications.prisma, docs/notifications.md).

CREATE TYPE "NotificationChannel" AS ENUM ('WECOM', 'EMAIL', 'ROBOT');
CREATE TYPE "DeliveryStatus" AS ENUM ('PENDING', 'SENDING', 'SENT', 'FAILED', 'SKIPPED');

CREATE TABLE "notification_deliveries" (
    "id" TEXT NOT NULL,
    "dedupe_key" TEXT NOT NULL,
    "notification_id" TEXT,
    "recipient_id" TEXT,
    "robot_id" TEXT,
    "channel" "NotificationChannel" NOT NULL,
    "kind" TEXT NOT NULL,
    "message_key" TEXT NOT NULL,
    "params" JSONB,
    "href" TEXT,
    "deadline" TIMESTAMPTZ(3),
    "urgent" BOOLEAN NOT NULL DEFAULT false,
    "digest" BOOLEAN NOT NULL DEFAULT false,
    "locale" TEXT NOT NULL DEFAULT 'zh-CN',
    "target" TEXT,
    "status" "DeliveryStatus" NOT NULL DEFAULT 'PENDING',
    "not_before" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "attempts" INTEGER NOT NULL DEFAULT 0,
    "detail" TEXT,
    "provider_id" TEXT,
    "sent_at" TIMESTAMPTZ(3),
    "created_at" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "updated_at" TIMESTAMPTZ(3) NOT NULL,

    CONSTRAINT "notification_deliveries_pkey" PRIMARY KEY ("id")
);
CREATE UNIQUE INDEX "notification_deliveries_dedupe_key_key" ON "notification_deliveries"("dedupe_key");
CREATE INDEX "notification_deliveries_status_not_before_idx" ON "notification_deliveries"("status", "not_before");
CREATE INDEX "notification_deliveries_channel_target_sent_at_idx" ON "notification_deliveries"("channel", "target", "sent_at");
CREATE INDEX "notification_deliveries_created_at_idx" ON "notification_deliveries"("created_at");

CREATE TABLE "notification_preferences" (
    "employee_id" TEXT NOT NULL,
    "locale" TEXT NOT NULL DEFAULT 'zh-CN',
    "quiet_hours" BOOLEAN NOT NULL DEFAULT true,
    "digest" BOOLEAN NOT NULL DEFAULT false,
    "channels" JSONB NOT NULL DEFAULT '{}',
    "created_at" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "updated_at" TIMESTAMPTZ(3) NOT NULL,

    CONSTRAINT "notification_preferences_pkey" PRIMARY KEY ("employee_id")
);

CREATE TABLE "notification_robots" (
    "id" TEXT NOT NULL,
    "scope_type" TEXT NOT NULL,
    "scope_id" TEXT NOT NULL,
    "name" TEXT NOT NULL,
    "key_cipher" TEXT NOT NULL,
    "key_last4" TEXT NOT NULL,
    "kinds" TEXT[] NOT NULL DEFAULT ARRAY[]::TEXT[],
    "active" BOOLEAN NOT NULL DEFAULT true,
    "created_at" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "updated_at" TIMESTAMPTZ(3) NOT NULL,

    CONSTRAINT "notification_robots_pkey" PRIMARY KEY ("id"),
    CONSTRAINT "notification_robots_scope_type_check" CHECK ("scope_type" IN ('DEPARTMENT', 'TEAM'))
);
CREATE UNIQUE INDEX "notification_robots_scope_type_scope_id_key" ON "notification_robots"("scope_type", "scope_id");
