-- Accounts as company assets, their customer contacts and transfers, and offboarding handover.

-- CreateEnum
CREATE TYPE "AccountType" AS ENUM ('WECOM_MEMBER', 'WECHAT_PERSONAL', 'OFFICIAL_ACCOUNT', 'VIDEO_CHANNEL', 'MINI_PROGRAM');

-- CreateEnum
CREATE TYPE "AccountStatus" AS ENUM ('REQUESTED', 'ACTIVE', 'SUSPENDED', 'HANDOVER', 'DISSOLUTION_PENDING', 'DISSOLVED', 'REASSIGNED', 'REJECTED', 'WITHDRAWN');

-- CreateEnum
CREATE TYPE "ContactStatus" AS ENUM ('ACTIVE', 'TRANSFERRED', 'REMOVED');

-- CreateEnum
CREATE TYPE "TransferStatus" AS ENUM ('WAITING', 'DONE', 'REFUSED', 'FAILED');

-- CreateEnum
CREATE TYPE "OffboardingStatus" AS ENUM ('OPEN', 'CLOSED', 'CANCELLED');

-- CreateEnum
CREATE TYPE "HandoverItemKind" AS ENUM ('ACCOUNT', 'CONTACT', 'GROUP');

-- CreateEnum
CREATE TYPE "HandoverItemStatus" AS ENUM ('PENDING', 'TRANSFERRING', 'DONE', 'REFUSED', 'FAILED', 'WAIVED');

-- CreateTable
CREATE TABLE "accounts" (
    "id" TEXT NOT NULL,
    "type" "AccountType" NOT NULL,
    "display_name" TEXT NOT NULL,
    "platform_id_cipher" TEXT NOT NULL,
    "platform_id_hash" TEXT NOT NULL,
    "platform_id_mask" TEXT NOT NULL,
    "phone_cipher" TEXT,
    "phone_hash" TEXT,
    "phone_mask" TEXT,
    "holder_id" TEXT,
    "custodian_department_id" TEXT NOT NULL,
    "status" "AccountStatus" NOT NULL DEFAULT 'REQUESTED',
    "requested_by_id" TEXT NOT NULL,
    "note" TEXT,
    "version" INTEGER NOT NULL DEFAULT 1,
    "created_at" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "updated_at" TIMESTAMPTZ(3) NOT NULL,

    CONSTRAINT "accounts_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "customer_contacts" (
    "id" TEXT NOT NULL,
    "account_id" TEXT NOT NULL,
    "external_id" TEXT NOT NULL,
    "name" TEXT NOT NULL,
    "company" TEXT,
    "added_at" TIMESTAMPTZ(3) NOT NULL,
    "status" "ContactStatus" NOT NULL DEFAULT 'ACTIVE',
    "version" INTEGER NOT NULL DEFAULT 1,
    "created_at" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "updated_at" TIMESTAMPTZ(3) NOT NULL,

    CONSTRAINT "customer_contacts_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "contact_transfers" (
    "id" TEXT NOT NULL,
    "contact_id" TEXT NOT NULL,
    "external_id" TEXT NOT NULL,
    "from_account_id" TEXT NOT NULL,
    "to_employee_id" TEXT NOT NULL,
    "handover_item_id" TEXT,
    "status" "TransferStatus" NOT NULL DEFAULT 'WAITING',
    "started_at" TIMESTAMPTZ(3) NOT NULL,
    "due_at" TIMESTAMPTZ(3) NOT NULL,
    "finished_at" TIMESTAMPTZ(3),
    "created_at" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "updated_at" TIMESTAMPTZ(3) NOT NULL,

    CONSTRAINT "contact_transfers_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "offboarding_cases" (
    "id" TEXT NOT NULL,
    "employee_id" TEXT NOT NULL,
    "last_working_day" DATE NOT NULL,
    "status" "OffboardingStatus" NOT NULL DEFAULT 'OPEN',
    "opened_by_id" TEXT NOT NULL,
    "departed_at" TIMESTAMPTZ(3),
    "closed_at" TIMESTAMPTZ(3),
    "closed_by_id" TEXT,
    "version" INTEGER NOT NULL DEFAULT 1,
    "created_at" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "updated_at" TIMESTAMPTZ(3) NOT NULL,

    CONSTRAINT "offboarding_cases_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "handover_items" (
    "id" TEXT NOT NULL,
    "case_id" TEXT NOT NULL,
    "kind" "HandoverItemKind" NOT NULL,
    "account_id" TEXT,
    "contact_id" TEXT,
    "group_id" TEXT,
    "label" TEXT NOT NULL,
    "successor_id" TEXT,
    "status" "HandoverItemStatus" NOT NULL DEFAULT 'PENDING',
    "outcome" TEXT,
    "approval_request_id" TEXT,
    "transfer_started_at" TIMESTAMPTZ(3),
    "transfer_due_at" TIMESTAMPTZ(3),
    "completed_at" TIMESTAMPTZ(3),
    "failure_reason" TEXT,
    "waiver_reason" TEXT,
    "waived_by_hr_id" TEXT,
    "waived_by_admin_id" TEXT,
    "version" INTEGER NOT NULL DEFAULT 1,
    "created_at" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "updated_at" TIMESTAMPTZ(3) NOT NULL,

    CONSTRAINT "handover_items_pkey" PRIMARY KEY ("id")
);

-- CreateIndex
CREATE INDEX "accounts_holder_id_idx" ON "accounts"("holder_id");
CREATE INDEX "accounts_custodian_department_id_idx" ON "accounts"("custodian_department_id");
CREATE INDEX "accounts_status_idx" ON "accounts"("status");
CREATE INDEX "accounts_phone_hash_idx" ON "accounts"("phone_hash");
CREATE UNIQUE INDEX "accounts_type_platform_id_hash_key" ON "accounts"("type", "platform_id_hash");
CREATE INDEX "customer_contacts_external_id_idx" ON "customer_contacts"("external_id");
CREATE INDEX "customer_contacts_account_id_status_name_idx" ON "customer_contacts"("account_id", "status", "name");
CREATE UNIQUE INDEX "customer_contacts_account_id_external_id_key" ON "customer_contacts"("account_id", "external_id");
CREATE INDEX "contact_transfers_external_id_status_finished_at_idx" ON "contact_transfers"("external_id", "status", "finished_at");
CREATE INDEX "contact_transfers_status_due_at_idx" ON "contact_transfers"("status", "due_at");
CREATE INDEX "offboarding_cases_employee_id_idx" ON "offboarding_cases"("employee_id");
CREATE INDEX "offboarding_cases_status_last_working_day_idx" ON "offboarding_cases"("status", "last_working_day");
CREATE INDEX "handover_items_case_id_kind_status_idx" ON "handover_items"("case_id", "kind", "status");
CREATE INDEX "handover_items_contact_id_idx" ON "handover_items"("contact_id");
CREATE INDEX "handover_items_status_transfer_due_at_idx" ON "handover_items"("status", "transfer_due_at");
CREATE INDEX "handover_items_successor_id_status_idx" ON "handover_items"("successor_id", "status");

-- AddForeignKey
ALTER TABLE "customer_contacts" ADD CONSTRAINT "customer_contacts_account_id_fkey" FOREIGN KEY ("account_id") REFERENCES "accounts"("id") ON DELETE RESTRICT ON UPDATE CASCADE;
ALTER TABLE "contact_transfers" ADD CONSTRAINT "contact_transfers_contact_id_fkey" FOREIGN KEY ("contact_id") REFERENCES "customer_contacts"("id") ON DELETE RESTRICT ON UPDATE CASCADE;
ALTER TABLE "handover_items" ADD CONSTRAINT "handover_items_case_id_fkey" FOREIGN KEY ("case_id") REFERENCES "offboarding_cases"("id") ON DELETE RESTRICT ON UPDATE CASCADE;
