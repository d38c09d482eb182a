-- Issue 15 (items 4, 6, 7): WeCom unassigned leavers, sensitive-word intercept rules, chat-archive consent.

-- 4. WeCom's list of leavers' unassigned customers (externalcontact/get_unassigned_list), as last read
-- (issue 15 item 4, lib/wecom/unassigned.ts, docs/wecom.md "Unassigned leavers"). The customer's
-- external_userid is personal information: a lib/pii token, its keyed hash and a mask.

CREATE TABLE "wecom_unassigned_customers" (
    "id" TEXT NOT NULL,
    "handover_userid" TEXT NOT NULL,
    "external_id_cipher" TEXT NOT NULL,
    "external_id_hash" TEXT NOT NULL,
    "external_id_mask" TEXT NOT NULL,
    "dimission_time" TIMESTAMPTZ(3),
    "employee_id" TEXT,
    "first_seen_at" TIMESTAMPTZ(3) NOT NULL,
    "last_seen_at" TIMESTAMPTZ(3) NOT NULL,

    CONSTRAINT "wecom_unassigned_customers_pkey" PRIMARY KEY ("id")
);

CREATE UNIQUE INDEX "wecom_unassigned_customers_handover_userid_external_id_hash_key" ON "wecom_unassigned_customers"("handover_userid", "external_id_hash");
CREATE INDEX "wecom_unassigned_customers_employee_id_idx" ON "wecom_unassigned_customers"("employee_id");


-- 6. The content rules' words published to WeCom as sensitive-word intercept rules
-- (lib/wecom/intercept.ts, docs/wecom.md "Content rules in WeCom"): one row per WeCom rule the
-- portal made (slot 1..n, so a re-publish updates the same rules), and one row per push.
CREATE TABLE "wecom_intercept_rules" (
    "slot" INTEGER NOT NULL,
    "rule_id" TEXT NOT NULL,
    "rule_name" TEXT NOT NULL,
    "word_count" INTEGER NOT NULL,
    "intercept_type" INTEGER NOT NULL,
    "department_wecom_ids" INTEGER[] NOT NULL DEFAULT ARRAY[]::INTEGER[],
    "updated_at" TIMESTAMPTZ(3) NOT NULL,

    CONSTRAINT "wecom_intercept_rules_pkey" PRIMARY KEY ("slot"),
    CONSTRAINT "wecom_intercept_rules_intercept_type_check" CHECK ("intercept_type" IN (1, 2))
);
CREATE UNIQUE INDEX "wecom_intercept_rules_rule_id_key" ON "wecom_intercept_rules"("rule_id");

CREATE TABLE "wecom_intercept_pushes" (
    "id" TEXT NOT NULL,
    "actor_id" TEXT,
    "status" TEXT NOT NULL,
    "intercept_type" INTEGER NOT NULL,
    "department_ids" TEXT[] NOT NULL,
    "words" INTEGER NOT NULL DEFAULT 0,
    "results" JSONB NOT NULL DEFAULT '[]',
    "refused" JSONB NOT NULL DEFAULT '[]',
    "created_at" TIMESTAMPTZ(3) NOT NULL,
    "finished_at" TIMESTAMPTZ(3),

    CONSTRAINT "wecom_intercept_pushes_pkey" PRIMARY KEY ("id"),
    CONSTRAINT "wecom_intercept_pushes_status_check" CHECK ("status" IN ('RUNNING', 'DONE', 'PARTIAL', 'FAILED'))
);
-- One push at a time.
CREATE UNIQUE INDEX "wecom_intercept_pushes_one_running" ON "wecom_intercept_pushes"("status") WHERE "status" = 'RUNNING';
CREATE INDEX "wecom_intercept_pushes_created_at_idx" ON "wecom_intercept_pushes"("created_at");

-- 7. Customers' agreement to chat archiving (会话内容存档) as WeCom reports it
-- (msgaudit/check_single_agree, check_room_agree; lib/privacy/wecom-archive.ts, docs/privacy.md):
-- the latest answer per customer (a data subject) and member (SINGLE) or group chat (ROOM); the
-- consent register gets its GRANT and WITHDRAW events from the changes.
CREATE TABLE "wecom_archive_agreements" (
    "id" TEXT NOT NULL,
    "subject_id" TEXT NOT NULL,
    "scope" TEXT NOT NULL,
    "context" TEXT NOT NULL,
    "status" TEXT NOT NULL,
    "changed_at" TIMESTAMPTZ(3) NOT NULL,
    "consent_id" TEXT,
    "first_read_at" TIMESTAMPTZ(3) NOT NULL,
    "last_read_at" TIMESTAMPTZ(3) NOT NULL,

    CONSTRAINT "wecom_archive_agreements_pkey" PRIMARY KEY ("id"),
    CONSTRAINT "wecom_archive_agreements_scope_check" CHECK ("scope" IN ('SINGLE', 'ROOM')),
    CONSTRAINT "wecom_archive_agreements_status_check" CHECK ("status" IN ('AGREE', 'DISAGREE'))
);
CREATE UNIQUE INDEX "wecom_archive_agreements_subject_id_scope_context_key" ON "wecom_archive_agreements"("subject_id", "scope", "context");
CREATE INDEX "wecom_archive_agreements_status_changed_at_idx" ON "wecom_archive_agreements"("status", "changed_at");
ALTER TABLE "wecom_archive_agreements" ADD CONSTRAINT "wecom_archive_agreements_subject_id_fkey" FOREIGN KEY ("subject_id") REFERENCES "privacy_subjects"("id") ON DELETE RESTRICT ON UPDATE CASCADE;
