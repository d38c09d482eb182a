-- Personal information and consent (SPEC §7, PIPL; docs/privacy.md): notice versions, data
-- subjects (identifiers encrypted, lib/pii), the append-only consent register, data-subject
-- requests, incidents, the consent import's staging and the personal access tokens of /api/v1.

-- CreateEnum
CREATE TYPE "NoticeStatus" AS ENUM ('DRAFT', 'PUBLISHED', 'RETIRED');
CREATE TYPE "SubjectKind" AS ENUM ('CUSTOMER', 'EMPLOYEE');
CREATE TYPE "ConsentEventKind" AS ENUM ('GRANT', 'RENEW', 'WITHDRAW', 'EXPIRE');
CREATE TYPE "ConsentChannel" AS ENUM ('WECOM', 'WECHAT', 'MINI_PROGRAM', 'PAPER', 'PHONE');
CREATE TYPE "PrivacyRequestType" AS ENUM ('ACCESS', 'COPY', 'CORRECTION', 'DELETION', 'WITHDRAWAL', 'EXPLANATION');
CREATE TYPE "PrivacyRequestStatus" AS ENUM ('RECEIVED', 'VERIFIED', 'COMPLETED', 'REFUSED');
CREATE TYPE "IncidentSeverity" AS ENUM ('GENERAL', 'SERIOUS', 'MAJOR', 'CRITICAL');
CREATE TYPE "IncidentStatus" AS ENUM ('OPEN', 'CLOSED');
CREATE TYPE "ConsentImportStatus" AS ENUM ('READY', 'CONFIRMED', 'EXPIRED');

-- CreateTable
CREATE TABLE "privacy_notices" (
    "id" TEXT NOT NULL,
    "notice_key" TEXT NOT NULL,
    "notice_version" INTEGER NOT NULL,
    "status" "NoticeStatus" NOT NULL DEFAULT 'DRAFT',
    "title" TEXT NOT NULL,
    "processor_name" TEXT,
    "processor_contact" TEXT,
    "purposes" JSONB NOT NULL,
    "purpose_codes" JSONB NOT NULL,
    "methods" TEXT,
    "categories" JSONB NOT NULL,
    "retention_days" INTEGER,
    "rights_text" TEXT,
    "separate_consents" JSONB NOT NULL,
    "created_by_id" TEXT NOT NULL,
    "published_at" TIMESTAMPTZ(3),
    "published_by_id" TEXT,
    "retired_at" TIMESTAMPTZ(3),
    "retired_by_id" TEXT,
    "version" INTEGER NOT NULL DEFAULT 1,
    "created_at" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "updated_at" TIMESTAMPTZ(3) NOT NULL,

    CONSTRAINT "privacy_notices_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "privacy_subjects" (
    "id" TEXT NOT NULL,
    "kind" "SubjectKind" NOT NULL DEFAULT 'CUSTOMER',
    "name" TEXT NOT NULL,
    "phone_cipher" TEXT,
    "phone_hash" TEXT,
    "phone_mask" TEXT,
    "wecom_id_cipher" TEXT,
    "wecom_id_hash" TEXT,
    "wecom_id_mask" TEXT,
    "email_cipher" TEXT,
    "email_hash" TEXT,
    "email_mask" TEXT,
    "employee_id" TEXT,
    "created_by_id" TEXT NOT NULL,
    "erased_at" TIMESTAMPTZ(3),
    "version" INTEGER NOT NULL DEFAULT 1,
    "created_at" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "updated_at" TIMESTAMPTZ(3) NOT NULL,

    CONSTRAINT "privacy_subjects_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "consent_events" (
    "id" TEXT NOT NULL,
    "kind" "ConsentEventKind" NOT NULL,
    "consent_id" TEXT,
    "subject_id" TEXT NOT NULL,
    "notice_id" TEXT,
    "purposes" JSONB,
    "categories" JSONB,
    "separate_consents" JSONB,
    "channel" "ConsentChannel",
    "method" TEXT,
    "evidence_ref" TEXT,
    "collected_by_id" TEXT,
    "occurred_at" TIMESTAMPTZ(3) NOT NULL,
    "expires_at" TIMESTAMPTZ(3),
    "subject_minor" BOOLEAN NOT NULL DEFAULT false,
    "guardian_name" TEXT,
    "guardian_relation" TEXT,
    "guardian_consent" BOOLEAN NOT NULL DEFAULT false,
    "note" TEXT,
    "source" TEXT NOT NULL DEFAULT 'FORM',
    "import_id" TEXT,
    "dedupe_key" TEXT,
    "created_at" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,

    CONSTRAINT "consent_events_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "privacy_requests" (
    "id" TEXT NOT NULL,
    "subject_id" TEXT NOT NULL,
    "type" "PrivacyRequestType" NOT NULL,
    "channel" "ConsentChannel",
    "details" TEXT,
    "received_at" TIMESTAMPTZ(3) NOT NULL,
    "due_at" TIMESTAMPTZ(3) NOT NULL,
    "status" "PrivacyRequestStatus" NOT NULL DEFAULT 'RECEIVED',
    "assignee_id" TEXT,
    "identity_method" TEXT,
    "identity_verified_at" TIMESTAMPTZ(3),
    "identity_verified_by_id" TEXT,
    "resolution" TEXT,
    "refusal_reason" TEXT,
    "erasure" JSONB,
    "closed_at" TIMESTAMPTZ(3),
    "closed_by_id" TEXT,
    "created_by_id" TEXT NOT NULL,
    "version" INTEGER NOT NULL DEFAULT 1,
    "created_at" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "updated_at" TIMESTAMPTZ(3) NOT NULL,

    CONSTRAINT "privacy_requests_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "privacy_incidents" (
    "id" TEXT NOT NULL,
    "title" TEXT NOT NULL,
    "description" TEXT NOT NULL,
    "detected_at" TIMESTAMPTZ(3) NOT NULL,
    "severity" "IncidentSeverity" NOT NULL,
    "data_categories" TEXT NOT NULL,
    "affected_subjects" INTEGER NOT NULL,
    "cause" TEXT,
    "remedial_actions" TEXT,
    "regulator_notified_at" TIMESTAMPTZ(3),
    "individuals_notified_at" TIMESTAMPTZ(3),
    "individuals_notice" TEXT,
    "status" "IncidentStatus" NOT NULL DEFAULT 'OPEN',
    "closed_at" TIMESTAMPTZ(3),
    "reported_by_id" TEXT NOT NULL,
    "version" INTEGER NOT NULL DEFAULT 1,
    "created_at" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "updated_at" TIMESTAMPTZ(3) NOT NULL,

    CONSTRAINT "privacy_incidents_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "consent_imports" (
    "id" TEXT NOT NULL,
    "created_by_id" TEXT NOT NULL,
    "file_name" TEXT NOT NULL,
    "status" "ConsentImportStatus" NOT NULL DEFAULT 'READY',
    "total_rows" INTEGER NOT NULL,
    "valid_rows" INTEGER NOT NULL,
    "invalid_rows" INTEGER NOT NULL,
    "inserted_count" INTEGER,
    "confirmed_at" TIMESTAMPTZ(3),
    "created_at" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "updated_at" TIMESTAMPTZ(3) NOT NULL,

    CONSTRAINT "consent_imports_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "consent_import_rows" (
    "import_id" TEXT NOT NULL,
    "row_number" INTEGER NOT NULL,
    "valid" BOOLEAN NOT NULL,
    "reasons" TEXT NOT NULL DEFAULT '',
    "summary" TEXT NOT NULL,
    "data" JSONB,

    CONSTRAINT "consent_import_rows_pkey" PRIMARY KEY ("import_id","row_number")
);

-- CreateTable
CREATE TABLE "api_tokens" (
    "id" TEXT NOT NULL,
    "name" TEXT NOT NULL,
    "token_hash" TEXT NOT NULL,
    "prefix" TEXT NOT NULL,
    "owner_id" TEXT NOT NULL,
    "created_by_id" TEXT NOT NULL,
    "expires_at" TIMESTAMPTZ(3),
    "last_used_at" TIMESTAMPTZ(3),
    "revoked_at" TIMESTAMPTZ(3),
    "revoked_by_id" TEXT,
    "created_at" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "updated_at" TIMESTAMPTZ(3) NOT NULL,

    CONSTRAINT "api_tokens_pkey" PRIMARY KEY ("id")
);

-- CreateIndex
CREATE UNIQUE INDEX "privacy_notices_notice_key_notice_version_key" ON "privacy_notices"("notice_key", "notice_version");
CREATE INDEX "privacy_notices_status_idx" ON "privacy_notices"("status");
CREATE UNIQUE INDEX "privacy_subjects_phone_hash_key" ON "privacy_subjects"("phone_hash");
CREATE UNIQUE INDEX "privacy_subjects_wecom_id_hash_key" ON "privacy_subjects"("wecom_id_hash");
CREATE UNIQUE INDEX "privacy_subjects_email_hash_key" ON "privacy_subjects"("email_hash");
CREATE INDEX "privacy_subjects_name_idx" ON "privacy_subjects"("name");
CREATE UNIQUE INDEX "consent_events_dedupe_key_key" ON "consent_events"("dedupe_key");
CREATE INDEX "consent_events_subject_id_kind_idx" ON "consent_events"("subject_id", "kind");
CREATE INDEX "consent_events_consent_id_idx" ON "consent_events"("consent_id");
CREATE INDEX "consent_events_kind_expires_at_idx" ON "consent_events"("kind", "expires_at");
CREATE INDEX "consent_events_notice_id_idx" ON "consent_events"("notice_id");
CREATE INDEX "consent_events_collected_by_id_idx" ON "consent_events"("collected_by_id");
CREATE INDEX "privacy_requests_status_due_at_idx" ON "privacy_requests"("status", "due_at");
CREATE INDEX "privacy_requests_subject_id_idx" ON "privacy_requests"("subject_id");
CREATE INDEX "privacy_incidents_severity_regulator_notified_at_idx" ON "privacy_incidents"("severity", "regulator_notified_at");
CREATE INDEX "privacy_incidents_status_detected_at_idx" ON "privacy_incidents"("status", "detected_at");
CREATE INDEX "consent_imports_created_by_id_created_at_idx" ON "consent_imports"("created_by_id", "created_at");
CREATE UNIQUE INDEX "api_tokens_token_hash_key" ON "api_tokens"("token_hash");
CREATE INDEX "api_tokens_owner_id_idx" ON "api_tokens"("owner_id");

-- AddForeignKey
ALTER TABLE "consent_events" ADD CONSTRAINT "consent_events_consent_id_fkey" FOREIGN KEY ("consent_id") REFERENCES "consent_events"("id") ON DELETE RESTRICT ON UPDATE CASCADE;
ALTER TABLE "consent_events" ADD CONSTRAINT "consent_events_subject_id_fkey" FOREIGN KEY ("subject_id") REFERENCES "privacy_subjects"("id") ON DELETE RESTRICT ON UPDATE CASCADE;
ALTER TABLE "consent_events" ADD CONSTRAINT "consent_events_notice_id_fkey" FOREIGN KEY ("notice_id") REFERENCES "privacy_notices"("id") ON DELETE RESTRICT ON UPDATE CASCADE;
ALTER TABLE "privacy_requests" ADD CONSTRAINT "privacy_requests_subject_id_fkey" FOREIGN KEY ("subject_id") REFERENCES "privacy_subjects"("id") ON DELETE RESTRICT ON UPDATE CASCADE;
ALTER TABLE "consent_import_rows" ADD CONSTRAINT "consent_import_rows_import_id_fkey" FOREIGN KEY ("import_id") REFERENCES "consent_imports"("id") ON DELETE CASCADE ON UPDATE CASCADE;

-- Not expressible in schema.prisma ------------------------------------------------------------

-- The consent register is append-only: grant, renew, withdraw and expire are new rows; the
-- database refuses to change or remove one, whoever connects.
CREATE FUNCTION "consent_events_refuse_change"() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
  RAISE EXCEPTION 'consent_events is append-only: % refused', TG_OP USING ERRCODE = 'insufficient_privilege';
END;
$$;

CREATE TRIGGER "consent_events_no_update_delete"
  BEFORE UPDATE OR DELETE ON "consent_events"
  FOR EACH ROW EXECUTE FUNCTION "consent_events_refuse_change"();

CREATE TRIGGER "consent_events_no_truncate"
  BEFORE TRUNCATE ON "consent_events"
  FOR EACH STATEMENT EXECUTE FUNCTION "consent_events_refuse_change"();

-- A published notice version never changes: only PUBLISHED -> RETIRED (with who and when) is
-- allowed, and no version but a draft may be removed.
CREATE FUNCTION "privacy_notices_guard"() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
  IF TG_OP = 'DELETE' THEN
    IF OLD."status" <> 'DRAFT' THEN
      RAISE EXCEPTION 'privacy notice % is %: it cannot be deleted', OLD."id", OLD."status" USING ERRCODE = 'insufficient_privilege';
    END IF;
    RETURN OLD;
  END IF;
  IF OLD."status" = 'DRAFT' THEN
    RETURN NEW;
  END IF;
  IF OLD."status" = 'PUBLISHED' AND NEW."status" = 'RETIRED'
     AND (NEW."notice_key", NEW."notice_version", NEW."title", NEW."processor_name", NEW."processor_contact", NEW."purposes", NEW."purpose_codes",
          NEW."methods", NEW."categories", NEW."retention_days", NEW."rights_text", NEW."separate_consents", NEW."published_at", NEW."published_by_id", NEW."created_by_id")
         IS NOT DISTINCT FROM
         (OLD."notice_key", OLD."notice_version", OLD."title", OLD."processor_name", OLD."processor_contact", OLD."purposes", OLD."purpose_codes",
          OLD."methods", OLD."categories", OLD."retention_days", OLD."rights_text", OLD."separate_consents", OLD."published_at", OLD."published_by_id", OLD."created_by_id") THEN
    RETURN NEW;
  END IF;
  RAISE EXCEPTION 'privacy notice % is %: a published version never changes (publish a new version)', OLD."id", OLD."status" USING ERRCODE = 'insufficient_privilege';
END;
$$;

CREATE TRIGGER "privacy_notices_immutable"
  BEFORE UPDATE OR DELETE ON "privacy_notices"
  FOR EACH ROW EXECUTE FUNCTION "privacy_notices_guard"();

-- A minor's consent carries the guardian's name, relation and consent (PIPL Art. 31).
ALTER TABLE "consent_events" ADD CONSTRAINT "consent_events_minor_guardian" CHECK (
  "kind" <> 'GRANT' OR NOT "subject_minor" OR ("guardian_consent" AND "guardian_name" IS NOT NULL AND "guardian_relation" IS NOT NULL)
);
