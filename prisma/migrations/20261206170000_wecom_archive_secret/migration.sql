-- The chat-archive app's secret (会话内容存档 Secret): WeCom answers the msgaudit APIs only with it
-- (lib/wecom/settings.ts; encrypted with lib/pii like the other secrets).
ALTER TABLE "wecom_settings" ADD COLUMN "archive_secret_cipher" TEXT;
ALTER TABLE "wecom_settings" ADD COLUMN "archive_secret_last4" TEXT;
