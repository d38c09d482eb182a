-- The directory sync from WeCom (lib/wecom/sync/directory.ts, docs/wecom.md "Directory sync"):
-- departments carry WeCom's department id, employees WeCom's member status; both carry when the
-- sync last saw them in WeCom and, once a complete sync no longer finds them, since when they are
-- gone (never deleted here: the portal keeps their history).

ALTER TABLE "departments" ADD COLUMN "wecom_id" INTEGER;
ALTER TABLE "departments" ADD COLUMN "wecom_last_seen_at" TIMESTAMPTZ(3);
ALTER TABLE "departments" ADD COLUMN "wecom_removed_at" TIMESTAMPTZ(3);
CREATE UNIQUE INDEX "departments_wecom_id_key" ON "departments"("wecom_id");

-- 1 active, 2 disabled, 4 not activated, 5 left the company (WeCom's user/get status).
ALTER TABLE "employees" ADD COLUMN "wecom_status" INTEGER;
ALTER TABLE "employees" ADD CONSTRAINT "employees_wecom_status_check" CHECK ("wecom_status" IN (1, 2, 4, 5));
ALTER TABLE "employees" ADD COLUMN "wecom_last_seen_at" TIMESTAMPTZ(3);
ALTER TABLE "employees" ADD COLUMN "wecom_removed_at" TIMESTAMPTZ(3);

-- The sync matches a member without a linked employee by e-mail, case-insensitively, a batch at a
-- time ("lower(email) = ANY(...)").
CREATE INDEX "employees_email_lower_idx" ON "employees" (lower("email"));

-- "Flagged by WeCom" (the directory's filter): disabled, not activated, left, or gone from WeCom.
CREATE INDEX "employees_wecom_flagged_idx" ON "employees" ("name") WHERE "wecom_status" IN (2, 4, 5) OR "wecom_removed_at" IS NOT NULL;
