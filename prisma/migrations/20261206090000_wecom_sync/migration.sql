-- The WeCom sync's runs and their steps' checkpoints (prisma/schema/wecom.prisma,
-- lib/wecom/sync/runner.ts), what a leaver reported by WeCom gets, and the pacing budget read per
-- API (WeCom limits each API per company; docs/wecom.md).

ALTER TABLE "wecom_settings" ADD COLUMN "leaver_action" TEXT NOT NULL DEFAULT 'OPEN_CASE';
ALTER TABLE "wecom_settings" ADD CONSTRAINT "wecom_settings_leaver_action_check" CHECK ("leaver_action" IN ('OPEN_CASE', 'HR_TASK'));
ALTER TABLE "wecom_settings" ALTER COLUMN "calls_per_minute" SET DEFAULT 9000;
UPDATE "wecom_settings" SET "calls_per_minute" = 9000 WHERE "calls_per_minute" = 1200;

-- CreateTable
CREATE TABLE "wecom_sync_runs" (
    "id" TEXT NOT NULL,
    "status" TEXT NOT NULL DEFAULT 'RUNNING',
    "trigger" TEXT NOT NULL,
    "started_by_id" TEXT,
    "started_at" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "finished_at" TIMESTAMPTZ(3),
    "lease_token" TEXT,
    "lease_until" TIMESTAMPTZ(3),
    "attempts" INTEGER NOT NULL DEFAULT 0,
    "counts" JSONB NOT NULL DEFAULT '{}',
    "warnings" JSONB NOT NULL DEFAULT '[]',
    "warning_count" INTEGER NOT NULL DEFAULT 0,
    "error_code" TEXT,
    "error_params" JSONB,
    "created_at" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "updated_at" TIMESTAMPTZ(3) NOT NULL,

    CONSTRAINT "wecom_sync_runs_pkey" PRIMARY KEY ("id"),
    CONSTRAINT "wecom_sync_runs_status_check" CHECK ("status" IN ('RUNNING', 'SUCCEEDED', 'FAILED')),
    CONSTRAINT "wecom_sync_runs_trigger_check" CHECK ("trigger" IN ('MANUAL', 'SCHEDULE'))
);

-- At most one run at a time: a second start finds this one (two workers, two admins, a schedule).
CREATE UNIQUE INDEX "wecom_sync_runs_one_running" ON "wecom_sync_runs" ("status") WHERE "status" = 'RUNNING';

-- CreateIndex
CREATE INDEX "wecom_sync_runs_started_at_idx" ON "wecom_sync_runs"("started_at");

-- CreateTable
CREATE TABLE "wecom_sync_steps" (
    "run_id" TEXT NOT NULL,
    "step" TEXT NOT NULL,
    "status" TEXT NOT NULL DEFAULT 'PENDING',
    "checkpoint" JSONB,
    "rows" INTEGER NOT NULL DEFAULT 0,
    "total" INTEGER,
    "commits" INTEGER NOT NULL DEFAULT 0,
    "calls" INTEGER NOT NULL DEFAULT 0,
    "counts" JSONB NOT NULL DEFAULT '{}',
    "started_at" TIMESTAMPTZ(3),
    "finished_at" TIMESTAMPTZ(3),
    "updated_at" TIMESTAMPTZ(3) NOT NULL,

    CONSTRAINT "wecom_sync_steps_pkey" PRIMARY KEY ("run_id", "step"),
    CONSTRAINT "wecom_sync_steps_status_check" CHECK ("status" IN ('PENDING', 'RUNNING', 'DONE', 'FAILED'))
);

-- AddForeignKey
ALTER TABLE "wecom_sync_steps" ADD CONSTRAINT "wecom_sync_steps_run_id_fkey" FOREIGN KEY ("run_id") REFERENCES "wecom_sync_runs"("id") ON DELETE RESTRICT ON UPDATE CASCADE;


-- An employee's WeCom userid: how the directory sync and the customer-contact sync find them.
ALTER TABLE "employees" ADD COLUMN "wecom_userid" TEXT;
CREATE UNIQUE INDEX "employees_wecom_userid_key" ON "employees"("wecom_userid");
