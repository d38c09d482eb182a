-- Customer service time targets (SLA, SPEC §8): policies, cases, pauses, complaint escalations,
-- staged CSV imports, and the default policy set.

-- CreateEnum
CREATE TYPE "ServiceChannel" AS ENUM ('WECOM_CONTACT', 'WECHAT_OA', 'WECHAT_GROUP', 'MINI_PROGRAM', 'PHONE');
CREATE TYPE "ServiceCaseType" AS ENUM ('INQUIRY', 'COMPLAINT', 'SUGGESTION');
CREATE TYPE "ServicePriority" AS ENUM ('LOW', 'NORMAL', 'HIGH', 'URGENT');
CREATE TYPE "SlaClock" AS ENUM ('BUSINESS', 'CALENDAR');
CREATE TYPE "ServiceCaseStatus" AS ENUM ('OPEN', 'WAITING_CUSTOMER', 'RESOLVED', 'CLOSED');
CREATE TYPE "ServiceTarget" AS ENUM ('FIRST_RESPONSE', 'RESOLUTION');
CREATE TYPE "ServiceClosure" AS ENUM ('CONFIRMED', 'NO_ANSWER');
CREATE TYPE "ServiceImportStatus" AS ENUM ('READY', 'CONFIRMED', 'DISCARDED');

-- CreateTable
CREATE TABLE "sla_policies" (
    "id" TEXT NOT NULL,
    "name" TEXT NOT NULL,
    "name_en" TEXT NOT NULL,
    "position" INTEGER NOT NULL,
    "channel" "ServiceChannel",
    "case_type" "ServiceCaseType",
    "priority" "ServicePriority",
    "first_response_minutes" INTEGER NOT NULL,
    "resolution_minutes" INTEGER NOT NULL,
    "clock" "SlaClock" NOT NULL DEFAULT 'BUSINESS',
    "calendar_id" TEXT,
    "active" BOOLEAN NOT NULL DEFAULT true,
    "version" INTEGER NOT NULL DEFAULT 1,
    "created_at" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "updated_at" TIMESTAMPTZ(3) NOT NULL,

    CONSTRAINT "sla_policies_pkey" PRIMARY KEY ("id"),
    CONSTRAINT "sla_policies_targets_positive" CHECK ("first_response_minutes" > 0 AND "resolution_minutes" > 0 AND "first_response_minutes" <= "resolution_minutes")
);

-- CreateTable
CREATE TABLE "service_cases" (
    "id" TEXT NOT NULL,
    "title" TEXT NOT NULL,
    "description" TEXT,
    "customer_name" TEXT NOT NULL,
    "customer_ref" TEXT,
    "channel" "ServiceChannel" NOT NULL,
    "case_type" "ServiceCaseType" NOT NULL,
    "priority" "ServicePriority" NOT NULL,
    "team_id" TEXT NOT NULL,
    "assignee_id" TEXT,
    "policy_id" TEXT,
    "policy_name" TEXT NOT NULL,
    "clock" "SlaClock" NOT NULL,
    "calendar_id" TEXT NOT NULL,
    "first_response_minutes" INTEGER NOT NULL,
    "resolution_minutes" INTEGER NOT NULL,
    "received_at" TIMESTAMPTZ(3) NOT NULL,
    "first_response_due_at" TIMESTAMPTZ(3) NOT NULL,
    "resolution_due_at" TIMESTAMPTZ(3) NOT NULL,
    "first_response_at" TIMESTAMPTZ(3),
    "resolved_at" TIMESTAMPTZ(3),
    "closed_at" TIMESTAMPTZ(3),
    "first_response_seconds" INTEGER,
    "resolution_seconds" INTEGER,
    "status" "ServiceCaseStatus" NOT NULL DEFAULT 'OPEN',
    "paused_at" TIMESTAMPTZ(3),
    "next_due_at" TIMESTAMPTZ(3),
    "next_target" "ServiceTarget",
    "resolution" TEXT,
    "closure" "ServiceClosure",
    "confirmed_at" TIMESTAMPTZ(3),
    "confirmation_note" TEXT,
    "follow_up_at" TIMESTAMPTZ(3),
    "follow_up_note" TEXT,
    "created_by_id" TEXT NOT NULL,
    "import_id" TEXT,
    "version" INTEGER NOT NULL DEFAULT 1,
    "created_at" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "updated_at" TIMESTAMPTZ(3) NOT NULL,

    CONSTRAINT "service_cases_pkey" PRIMARY KEY ("id"),
    -- Nothing happens to a case before it was received.
    CONSTRAINT "service_cases_times_order" CHECK (
        ("first_response_at" IS NULL OR "first_response_at" >= "received_at")
        AND ("resolved_at" IS NULL OR "resolved_at" >= "received_at")
        AND ("closed_at" IS NULL OR "resolved_at" IS NOT NULL)
    ),
    -- Closed means the loop is closed: the customer confirmed, or a follow-up was documented.
    CONSTRAINT "service_cases_closed_loop" CHECK (
        "status" <> 'CLOSED' OR "case_type" <> 'COMPLAINT'
        OR ("closure" = 'CONFIRMED' AND "confirmed_at" IS NOT NULL)
        OR ("closure" = 'NO_ANSWER' AND "follow_up_at" IS NOT NULL AND "follow_up_note" IS NOT NULL)
    )
);

-- CreateTable
CREATE TABLE "service_case_pauses" (
    "id" TEXT NOT NULL,
    "case_id" TEXT NOT NULL,
    "paused_at" TIMESTAMPTZ(3) NOT NULL,
    "resumed_at" TIMESTAMPTZ(3),
    "created_at" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,

    CONSTRAINT "service_case_pauses_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "service_escalations" (
    "id" TEXT NOT NULL,
    "case_id" TEXT NOT NULL,
    "target" "ServiceTarget" NOT NULL,
    "due_at" TIMESTAMPTZ(3) NOT NULL,
    "recipient_ids" JSONB NOT NULL,
    "escalated_at" TIMESTAMPTZ(3) NOT NULL,
    "source" TEXT NOT NULL,

    CONSTRAINT "service_escalations_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "service_case_imports" (
    "id" TEXT NOT NULL,
    "created_by_id" TEXT NOT NULL,
    "file_name" TEXT NOT NULL,
    "status" "ServiceImportStatus" NOT NULL DEFAULT 'READY',
    "total_rows" INTEGER NOT NULL,
    "valid_count" INTEGER NOT NULL,
    "invalid_count" INTEGER NOT NULL,
    "rows" JSONB NOT NULL,
    "confirmed_at" TIMESTAMPTZ(3),
    "created_at" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "updated_at" TIMESTAMPTZ(3) NOT NULL,

    CONSTRAINT "service_case_imports_pkey" PRIMARY KEY ("id")
);

-- CreateIndex
CREATE INDEX "sla_policies_position_idx" ON "sla_policies"("position");
CREATE INDEX "service_cases_status_next_due_at_idx" ON "service_cases"("status", "next_due_at");
CREATE INDEX "service_cases_assignee_id_status_idx" ON "service_cases"("assignee_id", "status");
CREATE INDEX "service_cases_team_id_status_idx" ON "service_cases"("team_id", "status");
CREATE INDEX "service_cases_received_at_idx" ON "service_cases"("received_at");
CREATE INDEX "service_case_pauses_case_id_idx" ON "service_case_pauses"("case_id");
CREATE UNIQUE INDEX "service_escalations_case_id_target_key" ON "service_escalations"("case_id", "target");
CREATE INDEX "service_escalations_escalated_at_idx" ON "service_escalations"("escalated_at");
CREATE INDEX "service_case_imports_created_by_id_created_at_idx" ON "service_case_imports"("created_by_id", "created_at");

-- AddForeignKey
ALTER TABLE "service_case_pauses" ADD CONSTRAINT "service_case_pauses_case_id_fkey" FOREIGN KEY ("case_id") REFERENCES "service_cases"("id") ON DELETE RESTRICT ON UPDATE CASCADE;
ALTER TABLE "service_escalations" ADD CONSTRAINT "service_escalations_case_id_fkey" FOREIGN KEY ("case_id") REFERENCES "service_cases"("id") ON DELETE RESTRICT ON UPDATE CASCADE;

-- The default policy set (first match wins; ADMIN edits it on /settings/sla). Minutes are
-- working minutes of the default business calendar.
INSERT INTO "sla_policies" ("id", "name", "name_en", "position", "channel", "case_type", "priority", "first_response_minutes", "resolution_minutes", "clock", "updated_at") VALUES
  ('slapolicy0urgentcomplaint01', '紧急投诉', 'Urgent complaint', 10, NULL, 'COMPLAINT', 'URGENT', 10, 240, 'BUSINESS', CURRENT_TIMESTAMP),
  ('slapolicy0complaint00000001', '投诉', 'Complaint', 20, NULL, 'COMPLAINT', NULL, 30, 960, 'BUSINESS', CURRENT_TIMESTAMP),
  ('slapolicy0urgent0000000001', '紧急', 'Urgent', 30, NULL, NULL, 'URGENT', 15, 480, 'BUSINESS', CURRENT_TIMESTAMP),
  ('slapolicy0high000000000001', '高优先级', 'High priority', 40, NULL, NULL, 'HIGH', 20, 960, 'BUSINESS', CURRENT_TIMESTAMP),
  ('slapolicy0normalinquiry001', '普通咨询', 'Normal inquiry', 50, NULL, 'INQUIRY', 'NORMAL', 30, 1440, 'BUSINESS', CURRENT_TIMESTAMP),
  ('slapolicy0default000000001', '默认', 'Default', 1000, NULL, NULL, NULL, 60, 2400, 'BUSINESS', CURRENT_TIMESTAMP);
