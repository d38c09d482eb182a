-- The compliance dashboard: targets per figure, weekly snapshots per department, refresh log.

-- CreateEnum
CREATE TYPE "DashboardSnapshotSource" AS ENUM ('JOB', 'GENERATED');

-- CreateTable
CREATE TABLE "dashboard_targets" (
    "figure_key" TEXT NOT NULL,
    "green" DOUBLE PRECISION NOT NULL,
    "amber" DOUBLE PRECISION NOT NULL,
    "updated_by_id" TEXT,
    "version" INTEGER NOT NULL DEFAULT 1,
    "created_at" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "updated_at" TIMESTAMPTZ(3) NOT NULL,

    CONSTRAINT "dashboard_targets_pkey" PRIMARY KEY ("figure_key")
);

-- CreateTable
CREATE TABLE "dashboard_snapshots" (
    "week_start" DATE NOT NULL,
    "figure_key" TEXT NOT NULL,
    "department_id" TEXT NOT NULL,
    "value" DOUBLE PRECISION NOT NULL,
    "total" DOUBLE PRECISION NOT NULL,
    "source" "DashboardSnapshotSource" NOT NULL DEFAULT 'JOB',
    "computed_at" TIMESTAMPTZ(3) NOT NULL,

    CONSTRAINT "dashboard_snapshots_pkey" PRIMARY KEY ("week_start","figure_key","department_id")
);

-- CreateTable
CREATE TABLE "dashboard_refreshes" (
    "id" TEXT NOT NULL,
    "week_start" DATE NOT NULL,
    "trigger" TEXT NOT NULL,
    "rows" INTEGER NOT NULL DEFAULT 0,
    "started_at" TIMESTAMPTZ(3) NOT NULL,
    "finished_at" TIMESTAMPTZ(3),

    CONSTRAINT "dashboard_refreshes_pkey" PRIMARY KEY ("id")
);

-- CreateIndex
CREATE INDEX "dashboard_snapshots_figure_key_week_start_idx" ON "dashboard_snapshots"("figure_key", "week_start");
CREATE INDEX "dashboard_refreshes_finished_at_idx" ON "dashboard_refreshes"("finished_at");

-- A target is a pair of thresholds in the figure's own unit; green never beyond amber (the
-- direction depends on the figure, so the application checks the order).
ALTER TABLE "dashboard_targets" ADD CONSTRAINT "dashboard_targets_finite" CHECK ("green" = "green" AND "amber" = "amber" AND "green" >= 0 AND "amber" >= 0);

-- The dashboard's work-group figures count per department from indexes alone (index-only scans):
-- review dates, and the newest archive's day, which a trigger keeps on the group.
ALTER TABLE "work_groups" ADD COLUMN "last_archived_on" DATE;
UPDATE "work_groups" g SET "last_archived_on" = a.newest
  FROM (SELECT "group_id", max("exported_on") AS newest FROM "work_group_archives" GROUP BY "group_id") a
 WHERE a."group_id" = g."id";

CREATE FUNCTION "work_group_archives_keep_newest"() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
  UPDATE "work_groups" SET "last_archived_on" = NEW."exported_on"
   WHERE "id" = NEW."group_id" AND ("last_archived_on" IS NULL OR "last_archived_on" < NEW."exported_on");
  RETURN NEW;
END;
$$;

CREATE TRIGGER "work_group_archives_newest"
  AFTER INSERT ON "work_group_archives"
  FOR EACH ROW EXECUTE FUNCTION "work_group_archives_keep_newest"();

CREATE INDEX "work_groups_status_department_id_review_due_at_idx" ON "work_groups"("status", "department_id", "review_due_at");
CREATE INDEX "work_groups_status_department_id_last_archived_on_idx" ON "work_groups"("status", "department_id", "last_archived_on");
