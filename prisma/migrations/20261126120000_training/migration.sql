-- Training and policy acknowledgement (SPEC §9).

-- CreateEnum
CREATE TYPE "TrainingAudienceKind" AS ENUM ('EVERYONE', 'ROLES', 'DEPARTMENTS');

-- CreateEnum
CREATE TYPE "TrainingRecurrence" AS ENUM ('NONE', 'YEARLY', 'MONTHS');

-- CreateEnum
CREATE TYPE "TrainingAssignmentStatus" AS ENUM ('ASSIGNED', 'COMPLETED');

-- CreateEnum
CREATE TYPE "TrainingAssignmentSource" AS ENUM ('AUDIENCE', 'MANUAL');

-- CreateEnum
CREATE TYPE "TrainingCompletionMethod" AS ENUM ('QUIZ', 'OUTSIDE');

-- CreateTable
CREATE TABLE "training_courses" (
    "id" TEXT NOT NULL,
    "code" TEXT NOT NULL,
    "title_zh" TEXT NOT NULL,
    "title_en" TEXT NOT NULL,
    "category" TEXT NOT NULL,
    "content_version" INTEGER NOT NULL DEFAULT 1,
    "content" TEXT NOT NULL,
    "quiz" JSONB NOT NULL,
    "passing_score" INTEGER NOT NULL,
    "audience_kind" "TrainingAudienceKind" NOT NULL,
    "audience" JSONB NOT NULL,
    "recurrence" "TrainingRecurrence" NOT NULL DEFAULT 'NONE',
    "recurrence_months" INTEGER,
    "due_working_days" INTEGER NOT NULL,
    "active" BOOLEAN NOT NULL DEFAULT true,
    "created_by_id" TEXT,
    "version" INTEGER NOT NULL DEFAULT 1,
    "created_at" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "updated_at" TIMESTAMPTZ(3) NOT NULL,

    CONSTRAINT "training_courses_pkey" PRIMARY KEY ("id"),
    CONSTRAINT "training_courses_passing_score_check" CHECK ("passing_score" BETWEEN 1 AND 100),
    CONSTRAINT "training_courses_due_check" CHECK ("due_working_days" BETWEEN 1 AND 250),
    CONSTRAINT "training_courses_recurrence_check" CHECK (("recurrence" = 'MONTHS') = ("recurrence_months" IS NOT NULL) AND ("recurrence_months" IS NULL OR "recurrence_months" BETWEEN 1 AND 60))
);

-- CreateTable
CREATE TABLE "training_assignments" (
    "id" TEXT NOT NULL,
    "course_id" TEXT NOT NULL,
    "employee_id" TEXT NOT NULL,
    "cycle" INTEGER NOT NULL DEFAULT 1,
    "current" BOOLEAN NOT NULL DEFAULT true,
    "status" "TrainingAssignmentStatus" NOT NULL DEFAULT 'ASSIGNED',
    "source" "TrainingAssignmentSource" NOT NULL DEFAULT 'AUDIENCE',
    "course_version" INTEGER NOT NULL,
    "assigned_at" TIMESTAMPTZ(3) NOT NULL,
    "due_at" TIMESTAMPTZ(3) NOT NULL,
    "attempts" INTEGER NOT NULL DEFAULT 0,
    "score" INTEGER,
    "completed_at" TIMESTAMPTZ(3),
    "method" "TrainingCompletionMethod",
    "evidence" TEXT,
    "recorded_by_id" TEXT,
    "renew_at" TIMESTAMPTZ(3),
    "assigned_by_id" TEXT,
    "version" INTEGER NOT NULL DEFAULT 1,
    "created_at" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "updated_at" TIMESTAMPTZ(3) NOT NULL,

    CONSTRAINT "training_assignments_pkey" PRIMARY KEY ("id"),
    -- A completion says how and when; one recorded outside the portal carries its evidence.
    CONSTRAINT "training_assignments_completion_check" CHECK (("status" = 'COMPLETED') = ("completed_at" IS NOT NULL AND "method" IS NOT NULL)),
    CONSTRAINT "training_assignments_evidence_check" CHECK ("method" IS DISTINCT FROM 'OUTSIDE' OR ("evidence" IS NOT NULL AND "recorded_by_id" IS NOT NULL))
);

-- CreateTable
CREATE TABLE "training_attempts" (
    "id" TEXT NOT NULL,
    "assignment_id" TEXT NOT NULL,
    "attempt_no" INTEGER NOT NULL,
    "score" INTEGER NOT NULL,
    "passed" BOOLEAN NOT NULL,
    "answers" JSONB NOT NULL,
    "created_at" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,

    CONSTRAINT "training_attempts_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "policy_documents" (
    "id" TEXT NOT NULL,
    "code" TEXT NOT NULL,
    "title_zh" TEXT NOT NULL,
    "title_en" TEXT NOT NULL,
    "current_version_no" INTEGER,
    "version" INTEGER NOT NULL DEFAULT 1,
    "created_at" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "updated_at" TIMESTAMPTZ(3) NOT NULL,

    CONSTRAINT "policy_documents_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "policy_versions" (
    "id" TEXT NOT NULL,
    "document_id" TEXT NOT NULL,
    "version_no" INTEGER NOT NULL,
    "body" TEXT NOT NULL,
    "summary" TEXT,
    "due_working_days" INTEGER NOT NULL,
    "published_at" TIMESTAMPTZ(3) NOT NULL,
    "published_by_id" TEXT,
    "created_at" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,

    CONSTRAINT "policy_versions_pkey" PRIMARY KEY ("id"),
    CONSTRAINT "policy_versions_due_check" CHECK ("due_working_days" BETWEEN 1 AND 250)
);

-- CreateTable
CREATE TABLE "policy_acknowledgements" (
    "id" TEXT NOT NULL,
    "version_id" TEXT NOT NULL,
    "document_id" TEXT NOT NULL,
    "employee_id" TEXT NOT NULL,
    "current" BOOLEAN NOT NULL DEFAULT true,
    "asked_at" TIMESTAMPTZ(3) NOT NULL,
    "due_at" TIMESTAMPTZ(3) NOT NULL,
    "acknowledged_at" TIMESTAMPTZ(3),
    "created_at" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "updated_at" TIMESTAMPTZ(3) NOT NULL,

    CONSTRAINT "policy_acknowledgements_pkey" PRIMARY KEY ("id")
);

-- CreateIndex
CREATE UNIQUE INDEX "training_courses_code_key" ON "training_courses"("code");

-- CreateIndex
CREATE UNIQUE INDEX "training_assignments_course_id_employee_id_cycle_key" ON "training_assignments"("course_id", "employee_id", "cycle");

-- CreateIndex
CREATE INDEX "training_assignments_employee_id_current_idx" ON "training_assignments"("employee_id", "current");

-- CreateIndex
CREATE INDEX "training_assignments_course_id_current_status_idx" ON "training_assignments"("course_id", "current", "status");

-- CreateIndex
CREATE INDEX "training_assignments_status_due_at_idx" ON "training_assignments"("status", "due_at");

-- CreateIndex
CREATE INDEX "training_assignments_renew_at_idx" ON "training_assignments"("renew_at");

-- CreateIndex
CREATE UNIQUE INDEX "training_attempts_assignment_id_attempt_no_key" ON "training_attempts"("assignment_id", "attempt_no");

-- CreateIndex
CREATE UNIQUE INDEX "policy_documents_code_key" ON "policy_documents"("code");

-- CreateIndex
CREATE UNIQUE INDEX "policy_versions_document_id_version_no_key" ON "policy_versions"("document_id", "version_no");

-- CreateIndex
CREATE UNIQUE INDEX "policy_acknowledgements_version_id_employee_id_key" ON "policy_acknowledgements"("version_id", "employee_id");

-- CreateIndex
CREATE INDEX "policy_acknowledgements_employee_id_current_idx" ON "policy_acknowledgements"("employee_id", "current");

-- CreateIndex
CREATE INDEX "policy_acknowledgements_document_id_current_idx" ON "policy_acknowledgements"("document_id", "current");

-- CreateIndex
CREATE INDEX "policy_acknowledgements_current_acknowledged_at_due_at_idx" ON "policy_acknowledgements"("current", "acknowledged_at", "due_at");

-- AddForeignKey
ALTER TABLE "training_assignments" ADD CONSTRAINT "training_assignments_course_id_fkey" FOREIGN KEY ("course_id") REFERENCES "training_courses"("id") ON DELETE RESTRICT ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "training_attempts" ADD CONSTRAINT "training_attempts_assignment_id_fkey" FOREIGN KEY ("assignment_id") REFERENCES "training_assignments"("id") ON DELETE RESTRICT ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "policy_versions" ADD CONSTRAINT "policy_versions_document_id_fkey" FOREIGN KEY ("document_id") REFERENCES "policy_documents"("id") ON DELETE RESTRICT ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "policy_acknowledgements" ADD CONSTRAINT "policy_acknowledgements_version_id_fkey" FOREIGN KEY ("version_id") REFERENCES "policy_versions"("id") ON DELETE RESTRICT ON UPDATE CASCADE;

-- Quiz attempts and published policy versions are records: the database refuses to change them.
CREATE FUNCTION "training_refuse_change"() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
  RAISE EXCEPTION '% is append-only', TG_TABLE_NAME USING ERRCODE = 'insufficient_privilege';
END;
$$;

CREATE TRIGGER "training_attempts_append_only" BEFORE UPDATE OR DELETE ON "training_attempts"
  FOR EACH ROW EXECUTE FUNCTION "training_refuse_change"();

CREATE TRIGGER "policy_versions_append_only" BEFORE UPDATE OR DELETE ON "policy_versions"
  FOR EACH ROW EXECUTE FUNCTION "training_refuse_change"();
