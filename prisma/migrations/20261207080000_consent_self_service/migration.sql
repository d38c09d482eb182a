-- Consents the customer gives, sees and withdraws themselves (issue 19; docs/privacy.md "Consent
-- links and the privacy center"). consent_submissions is the evidence of a self-service consent:
-- its choices never change and a
-- confirmed one keeps its grants (trigger); it is never deleted.

CREATE TABLE "consent_links" (
    "id" TEXT NOT NULL,
    "notice_id" TEXT NOT NULL,
    "purposes" JSONB NOT NULL,
    "separate_consents" JSONB NOT NULL,
    "collector_id" TEXT NOT NULL,
    "account_id" TEXT NOT NULL,
    "label" TEXT,
    "expires_at" TIMESTAMPTZ(3) NOT NULL,
    "revoked_at" TIMESTAMPTZ(3),
    "revoked_by_id" TEXT,
    "created_at" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,

    CONSTRAINT "consent_links_pkey" PRIMARY KEY ("id")
);
CREATE INDEX "consent_links_collector_id_created_at_idx" ON "consent_links"("collector_id", "created_at");

CREATE TABLE "consent_submissions" (
    "id" TEXT NOT NULL,
    "link_id" TEXT NOT NULL,
    "notice_id" TEXT NOT NULL,
    "notice_hash" TEXT NOT NULL,
    "choices" JSONB NOT NULL,
    "name" TEXT NOT NULL,
    "phone_cipher" TEXT NOT NULL,
    "phone_hash" TEXT NOT NULL,
    "phone_mask" TEXT NOT NULL,
    "subject_minor" BOOLEAN NOT NULL DEFAULT false,
    "guardian_name" TEXT,
    "guardian_relation" TEXT,
    "guardian_consent" BOOLEAN NOT NULL DEFAULT false,
    "user_agent" TEXT,
    "ip" TEXT,
    "challenge_id" TEXT NOT NULL,
    "status" TEXT NOT NULL DEFAULT 'PENDING',
    "subject_id" TEXT,
    "grant_ids" JSONB,
    "confirmed_at" TIMESTAMPTZ(3),
    "created_at" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,

    CONSTRAINT "consent_submissions_pkey" PRIMARY KEY ("id"),
    CONSTRAINT "consent_submissions_status_check" CHECK ("status" IN ('PENDING', 'CONFIRMED')),
    -- A minor's consent is given by the guardian (PIPL Art. 31): never stored without one.
    CONSTRAINT "consent_submissions_minor_check" CHECK (NOT "subject_minor" OR ("guardian_consent" AND "guardian_name" IS NOT NULL AND "guardian_relation" IS NOT NULL))
);
CREATE INDEX "consent_submissions_link_id_idx" ON "consent_submissions"("link_id");
CREATE INDEX "consent_submissions_subject_id_idx" ON "consent_submissions"("subject_id");
ALTER TABLE "consent_submissions" ADD CONSTRAINT "consent_submissions_link_id_fkey" FOREIGN KEY ("link_id") REFERENCES "consent_links"("id") ON DELETE RESTRICT ON UPDATE CASCADE;

CREATE FUNCTION consent_submissions_guard() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
  IF TG_OP = 'DELETE' THEN
    RAISE EXCEPTION 'consent_submissions is evidence: rows are never deleted';
  END IF;
  -- The choices, the notice version and the link never change; a confirmed submission keeps its
  -- subject, grants and time. (The phone's token and hash may be rewritten by a key rotation.)
  IF NEW."choices" <> OLD."choices" OR NEW."notice_hash" <> OLD."notice_hash" OR NEW."notice_id" <> OLD."notice_id"
     OR NEW."link_id" <> OLD."link_id" OR NEW."subject_minor" <> OLD."subject_minor" OR NEW."user_agent" IS DISTINCT FROM OLD."user_agent"
     OR NEW."ip" IS DISTINCT FROM OLD."ip"
     OR (OLD."status" = 'CONFIRMED' AND (NEW."status" <> 'CONFIRMED' OR NEW."grant_ids" IS DISTINCT FROM OLD."grant_ids"
         OR NEW."confirmed_at" IS DISTINCT FROM OLD."confirmed_at" OR NEW."subject_id" IS DISTINCT FROM OLD."subject_id")) THEN
    RAISE EXCEPTION 'consent_submissions is evidence: its choices, notice, link and confirmation never change';
  END IF;
  RETURN NEW;
END $$;
CREATE TRIGGER "consent_submissions_guard" BEFORE UPDATE OR DELETE ON "consent_submissions"
  FOR EACH ROW EXECUTE FUNCTION consent_submissions_guard();

CREATE TABLE "otp_challenges" (
    "id" TEXT NOT NULL,
    "purpose" TEXT NOT NULL,
    "phone_hash" TEXT NOT NULL,
    "phone_mask" TEXT NOT NULL,
    "code_hash" TEXT NOT NULL,
    "ip" TEXT,
    "link_id" TEXT,
    "attempts" INTEGER NOT NULL DEFAULT 0,
    "expires_at" TIMESTAMPTZ(3) NOT NULL,
    "consumed_at" TIMESTAMPTZ(3),
    "sms_status" TEXT,
    "created_at" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,

    CONSTRAINT "otp_challenges_pkey" PRIMARY KEY ("id"),
    CONSTRAINT "otp_challenges_purpose_check" CHECK ("purpose" IN ('CONSENT', 'CENTER'))
);
CREATE INDEX "otp_challenges_phone_hash_created_at_idx" ON "otp_challenges"("phone_hash", "created_at");
CREATE INDEX "otp_challenges_ip_created_at_idx" ON "otp_challenges"("ip", "created_at");
CREATE INDEX "otp_challenges_link_id_created_at_idx" ON "otp_challenges"("link_id", "created_at");

CREATE TABLE "privacy_center_sessions" (
    "id" TEXT NOT NULL,
    "token_hash" TEXT NOT NULL,
    "subject_id" TEXT NOT NULL,
    "phone_mask" TEXT NOT NULL,
    "ip" TEXT,
    "expires_at" TIMESTAMPTZ(3) NOT NULL,
    "ended_at" TIMESTAMPTZ(3),
    "created_at" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,

    CONSTRAINT "privacy_center_sessions_pkey" PRIMARY KEY ("id")
);
CREATE UNIQUE INDEX "privacy_center_sessions_token_hash_key" ON "privacy_center_sessions"("token_hash");
CREATE INDEX "privacy_center_sessions_subject_id_idx" ON "privacy_center_sessions"("subject_id");
