-- Work groups (SPEC §4): groups, their administrators and archive records, and the versioned
-- work-group policy (naming rule, archive window, review intervals) with its default.

-- CreateEnum
CREATE TYPE "WorkGroupStatus" AS ENUM ('PENDING_APPROVAL', 'ACTIVE', 'REJECTED', 'WITHDRAWN', 'DISSOLUTION_PENDING', 'DISSOLVED');

-- CreateEnum
CREATE TYPE "WorkGroupPlatform" AS ENUM ('WECOM', 'WECHAT');

-- CreateEnum
CREATE TYPE "WorkGroupKind" AS ENUM ('INTERNAL', 'EXTERNAL');

-- CreateEnum
CREATE TYPE "WorkGroupClassification" AS ENUM ('PUBLIC', 'INTERNAL', 'CONFIDENTIAL', 'SECRET');

-- CreateTable
CREATE TABLE "work_groups" (
    "id" TEXT NOT NULL,
    "name" TEXT NOT NULL,
    "name_parts" JSONB NOT NULL,
    "policy_version" INTEGER NOT NULL,
    "purpose" TEXT NOT NULL,
    "platform" "WorkGroupPlatform" NOT NULL,
    "kind" "WorkGroupKind" NOT NULL,
    "department_id" TEXT NOT NULL,
    "owner_id" TEXT NOT NULL,
    "requester_id" TEXT NOT NULL,
    "classification" "WorkGroupClassification" NOT NULL,
    "expected_size" INTEGER NOT NULL,
    "external_id" TEXT,
    "status" "WorkGroupStatus" NOT NULL DEFAULT 'PENDING_APPROVAL',
    "activated_at" TIMESTAMPTZ(3),
    "review_due_at" TIMESTAMPTZ(3),
    "last_reviewed_at" TIMESTAMPTZ(3),
    "dissolved_at" TIMESTAMPTZ(3),
    "version" INTEGER NOT NULL DEFAULT 1,
    "created_at" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "updated_at" TIMESTAMPTZ(3) NOT NULL,

    CONSTRAINT "work_groups_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "work_group_administrators" (
    "group_id" TEXT NOT NULL,
    "employee_id" TEXT NOT NULL,
    "created_at" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "updated_at" TIMESTAMPTZ(3) NOT NULL,

    CONSTRAINT "work_group_administrators_pkey" PRIMARY KEY ("group_id","employee_id")
);

-- CreateTable
CREATE TABLE "work_group_archives" (
    "id" TEXT NOT NULL,
    "group_id" TEXT NOT NULL,
    "content" TEXT NOT NULL,
    "location" TEXT NOT NULL,
    "exported_on" DATE NOT NULL,
    "recorded_by_id" TEXT NOT NULL,
    "note" TEXT,
    "created_at" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "updated_at" TIMESTAMPTZ(3) NOT NULL,

    CONSTRAINT "work_group_archives_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "work_group_policies" (
    "id" TEXT NOT NULL,
    "version" INTEGER NOT NULL,
    "template" TEXT NOT NULL,
    "max_length" INTEGER NOT NULL,
    "blocked_words" JSONB NOT NULL,
    "archive_window_days" INTEGER NOT NULL,
    "review_days_public" INTEGER NOT NULL,
    "review_days_internal" INTEGER NOT NULL,
    "review_days_confidential" INTEGER NOT NULL,
    "review_days_secret" INTEGER NOT NULL,
    "created_by_id" TEXT,
    "created_at" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "updated_at" TIMESTAMPTZ(3) NOT NULL,

    CONSTRAINT "work_group_policies_pkey" PRIMARY KEY ("id")
);

-- CreateIndex
CREATE INDEX "work_groups_status_review_due_at_idx" ON "work_groups"("status", "review_due_at");

-- CreateIndex
CREATE INDEX "work_groups_department_id_idx" ON "work_groups"("department_id");

-- CreateIndex
CREATE INDEX "work_groups_owner_id_idx" ON "work_groups"("owner_id");

-- CreateIndex
CREATE INDEX "work_groups_requester_id_idx" ON "work_groups"("requester_id");

-- CreateIndex
CREATE INDEX "work_groups_name_idx" ON "work_groups"("name");

-- CreateIndex
CREATE INDEX "work_group_administrators_employee_id_idx" ON "work_group_administrators"("employee_id");

-- CreateIndex
CREATE INDEX "work_group_archives_group_id_exported_on_idx" ON "work_group_archives"("group_id", "exported_on");

-- CreateIndex
CREATE UNIQUE INDEX "work_group_policies_version_key" ON "work_group_policies"("version");

-- AddForeignKey
ALTER TABLE "work_group_administrators" ADD CONSTRAINT "work_group_administrators_group_id_fkey" FOREIGN KEY ("group_id") REFERENCES "work_groups"("id") ON DELETE RESTRICT ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "work_group_archives" ADD CONSTRAINT "work_group_archives_group_id_fkey" FOREIGN KEY ("group_id") REFERENCES "work_groups"("id") ON DELETE RESTRICT ON UPDATE CASCADE;

-- The policy every install starts with (lib/groups/policy.ts DEFAULT_POLICY): the naming rule
-- {部门}-{项目}-{用途} with at most 30 characters, a few blocked words, a 7-day archive window for
-- a dissolution, and reviews every 180 days (PUBLIC, INTERNAL), 90 (CONFIDENTIAL) and 30 (SECRET).
INSERT INTO "work_group_policies" ("id", "version", "template", "max_length", "blocked_words", "archive_window_days",
    "review_days_public", "review_days_internal", "review_days_confidential", "review_days_secret", "updated_at")
VALUES ('wgpolicydefault0000000001', 1, '{部门}-{项目}-{用途}', 30, '["测试", "test", "临时", "tmp", "红包"]'::jsonb, 7,
    180, 180, 90, 30, CURRENT_TIMESTAMP);
