-- Approvals: chains per request type, requests with a snapshot of their chain's steps, and the
-- default chains of SPEC §3.

-- CreateEnum
CREATE TYPE "ApprovalRequestType" AS ENUM ('GROUP_CREATE', 'GROUP_DISSOLVE', 'ACCOUNT_CREATE', 'ACCOUNT_DISSOLVE');

-- CreateEnum
CREATE TYPE "ApprovalStepKind" AS ENUM ('DEPARTMENT_MANAGER', 'ROLE', 'PERSON');

-- CreateEnum
CREATE TYPE "ApprovalRequestStatus" AS ENUM ('PENDING', 'APPROVED', 'REJECTED', 'WITHDRAWN');

-- CreateEnum
CREATE TYPE "ApprovalStepStatus" AS ENUM ('WAITING', 'PENDING', 'APPROVED', 'REJECTED', 'SKIPPED', 'CANCELLED');

-- CreateTable
CREATE TABLE "approval_chains" (
    "id" TEXT NOT NULL,
    "request_type" "ApprovalRequestType" NOT NULL,
    "overdue_working_days" INTEGER NOT NULL DEFAULT 2,
    "calendar_id" TEXT,
    "version" INTEGER NOT NULL DEFAULT 1,
    "created_at" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "updated_at" TIMESTAMPTZ(3) NOT NULL,

    CONSTRAINT "approval_chains_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "approval_chain_steps" (
    "id" TEXT NOT NULL,
    "chain_id" TEXT NOT NULL,
    "position" INTEGER NOT NULL,
    "kind" "ApprovalStepKind" NOT NULL,
    "role" "Role",
    "person_id" TEXT,
    "condition" JSONB,
    "created_at" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "updated_at" TIMESTAMPTZ(3) NOT NULL,

    CONSTRAINT "approval_chain_steps_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "approval_requests" (
    "id" TEXT NOT NULL,
    "type" "ApprovalRequestType" NOT NULL,
    "subject_type" TEXT NOT NULL,
    "subject_id" TEXT NOT NULL,
    "title" TEXT NOT NULL,
    "requester_id" TEXT NOT NULL,
    "facts" JSONB NOT NULL,
    "payload" JSONB,
    "status" "ApprovalRequestStatus" NOT NULL DEFAULT 'PENDING',
    "chain_id" TEXT NOT NULL,
    "chain_version" INTEGER NOT NULL,
    "calendar_id" TEXT NOT NULL,
    "overdue_working_days" INTEGER NOT NULL,
    "closed_at" TIMESTAMPTZ(3),
    "version" INTEGER NOT NULL DEFAULT 1,
    "created_at" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "updated_at" TIMESTAMPTZ(3) NOT NULL,

    CONSTRAINT "approval_requests_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "approval_request_steps" (
    "id" TEXT NOT NULL,
    "request_id" TEXT NOT NULL,
    "position" INTEGER NOT NULL,
    "kind" "ApprovalStepKind" NOT NULL,
    "role" "Role",
    "person_id" TEXT,
    "approver_id" TEXT,
    "condition" JSONB,
    "resolution" JSONB,
    "status" "ApprovalStepStatus" NOT NULL DEFAULT 'WAITING',
    "decided_by_id" TEXT,
    "decided_at" TIMESTAMPTZ(3),
    "comment" TEXT,
    "activated_at" TIMESTAMPTZ(3),
    "due_at" TIMESTAMPTZ(3),
    "version" INTEGER NOT NULL DEFAULT 1,
    "created_at" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "updated_at" TIMESTAMPTZ(3) NOT NULL,

    CONSTRAINT "approval_request_steps_pkey" PRIMARY KEY ("id")
);

-- CreateIndex
CREATE UNIQUE INDEX "approval_chains_request_type_key" ON "approval_chains"("request_type");

-- CreateIndex
CREATE UNIQUE INDEX "approval_chain_steps_chain_id_position_key" ON "approval_chain_steps"("chain_id", "position");

-- CreateIndex
CREATE INDEX "approval_requests_requester_id_created_at_idx" ON "approval_requests"("requester_id", "created_at");

-- CreateIndex
CREATE INDEX "approval_requests_subject_type_subject_id_idx" ON "approval_requests"("subject_type", "subject_id");

-- CreateIndex
CREATE INDEX "approval_requests_status_created_at_idx" ON "approval_requests"("status", "created_at");

-- CreateIndex
CREATE INDEX "approval_requests_type_status_idx" ON "approval_requests"("type", "status");

-- CreateIndex
CREATE INDEX "approval_request_steps_approver_id_status_due_at_idx" ON "approval_request_steps"("approver_id", "status", "due_at");

-- CreateIndex
CREATE INDEX "approval_request_steps_role_status_due_at_idx" ON "approval_request_steps"("role", "status", "due_at");

-- CreateIndex
CREATE INDEX "approval_request_steps_decided_by_id_decided_at_idx" ON "approval_request_steps"("decided_by_id", "decided_at");

-- CreateIndex
CREATE UNIQUE INDEX "approval_request_steps_request_id_position_key" ON "approval_request_steps"("request_id", "position");

-- AddForeignKey
ALTER TABLE "approval_chain_steps" ADD CONSTRAINT "approval_chain_steps_chain_id_fkey" FOREIGN KEY ("chain_id") REFERENCES "approval_chains"("id") ON DELETE RESTRICT ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "approval_requests" ADD CONSTRAINT "approval_requests_chain_id_fkey" FOREIGN KEY ("chain_id") REFERENCES "approval_chains"("id") ON DELETE RESTRICT ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "approval_request_steps" ADD CONSTRAINT "approval_request_steps_request_id_fkey" FOREIGN KEY ("request_id") REFERENCES "approval_requests"("id") ON DELETE RESTRICT ON UPDATE CASCADE;

-- The default chains (SPEC §3). Overdue after 2 working days of the default calendar (calendar_id
-- NULL). The PRIVACY_OFFICER step applies only to CONFIDENTIAL and SECRET subjects.
INSERT INTO "approval_chains" ("id", "request_type", "overdue_working_days", "calendar_id", "updated_at") VALUES
  ('apprchaingroupcreate000001', 'GROUP_CREATE', 2, NULL, CURRENT_TIMESTAMP),
  ('apprchaingroupdissolve0001', 'GROUP_DISSOLVE', 2, NULL, CURRENT_TIMESTAMP),
  ('apprchainaccountcreate0001', 'ACCOUNT_CREATE', 2, NULL, CURRENT_TIMESTAMP),
  ('apprchainaccountdissolve01', 'ACCOUNT_DISSOLVE', 2, NULL, CURRENT_TIMESTAMP);

INSERT INTO "approval_chain_steps" ("id", "chain_id", "position", "kind", "role", "person_id", "condition", "updated_at") VALUES
  ('apprstepgroupcreate0000001', 'apprchaingroupcreate000001', 1, 'DEPARTMENT_MANAGER', NULL, NULL, NULL, CURRENT_TIMESTAMP),
  ('apprstepgroupcreate0000002', 'apprchaingroupcreate000001', 2, 'ROLE', 'PRIVACY_OFFICER', NULL, '{"classifications":["CONFIDENTIAL","SECRET"]}'::jsonb, CURRENT_TIMESTAMP),
  ('apprstepgroupcreate0000003', 'apprchaingroupcreate000001', 3, 'ROLE', 'ADMIN', NULL, NULL, CURRENT_TIMESTAMP),
  ('apprstepgroupdissolve00001', 'apprchaingroupdissolve0001', 1, 'DEPARTMENT_MANAGER', NULL, NULL, NULL, CURRENT_TIMESTAMP),
  ('apprstepgroupdissolve00002', 'apprchaingroupdissolve0001', 2, 'ROLE', 'PRIVACY_OFFICER', NULL, '{"classifications":["CONFIDENTIAL","SECRET"]}'::jsonb, CURRENT_TIMESTAMP),
  ('apprstepgroupdissolve00003', 'apprchaingroupdissolve0001', 3, 'ROLE', 'ADMIN', NULL, NULL, CURRENT_TIMESTAMP),
  ('apprstepaccountcreate00001', 'apprchainaccountcreate0001', 1, 'DEPARTMENT_MANAGER', NULL, NULL, NULL, CURRENT_TIMESTAMP),
  ('apprstepaccountcreate00002', 'apprchainaccountcreate0001', 2, 'ROLE', 'ADMIN', NULL, NULL, CURRENT_TIMESTAMP),
  ('apprstepaccountdissolve001', 'apprchainaccountdissolve01', 1, 'ROLE', 'HR', NULL, NULL, CURRENT_TIMESTAMP),
  ('apprstepaccountdissolve002', 'apprchainaccountdissolve01', 2, 'ROLE', 'ADMIN', NULL, NULL, CURRENT_TIMESTAMP);
