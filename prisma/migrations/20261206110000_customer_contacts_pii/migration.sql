-- Customer contacts from WeCom (issue 14, item 3): external userids become personal information at
-- rest (lib/pii: AES-256-GCM token, keyed hash, stored mask), and a contact carries WeCom's
-- follow-up remark, tags and when the sync last saw it. docs/pii-encryption.md ("Customer
-- contacts' external ids") and docs/wecom.md ("Customer contacts").
--
-- The data move. SQL cannot encrypt with the application's key, so this migration only makes room:
-- the new columns are added, the mask (a pure function of the value) is computed here, and the
-- plain column becomes nullable. The TypeScript backfill (lib/pii/backfill.ts), which
-- lib/server/migrate.ts runs after the SQL migrations on every migrate, encrypts and hashes each
-- row still holding a plain value and clears that value in the same UPDATE, a batch per
-- transaction, idempotently. A later migration drops the emptied plain columns (it refuses while a
-- plain value remains). Until then each row is either plain (not yet backfilled) or protected,
-- never both (the CHECK constraints below).

-- Mask as lib/pii's maskIdentifier: trimmed, NFC, first two and last two characters, six or fewer
-- fully masked.
CREATE FUNCTION "pg_temp"."mask_identifier"(v TEXT) RETURNS TEXT LANGUAGE sql IMMUTABLE AS $$
  SELECT CASE WHEN char_length(s) <= 6 THEN '****' ELSE left(s, 2) || '****' || right(s, 2) END
  FROM (SELECT normalize(btrim(v, E' \t\r\n\f\v'), NFC) AS s) x
$$;

-- customer_contacts ----------------------------------------------------------------------------
ALTER TABLE "customer_contacts"
    ALTER COLUMN "external_id" DROP NOT NULL,
    ADD COLUMN "external_id_cipher" TEXT,
    ADD COLUMN "external_id_hash" TEXT,
    ADD COLUMN "external_id_mask" TEXT,
    ADD COLUMN "remark" TEXT,
    ADD COLUMN "tags" TEXT[] NOT NULL DEFAULT ARRAY[]::TEXT[],
    ADD COLUMN "wecom_last_seen_at" TIMESTAMPTZ(3);

UPDATE "customer_contacts" SET "external_id_mask" = "pg_temp"."mask_identifier"("external_id");
ALTER TABLE "customer_contacts" ALTER COLUMN "external_id_mask" SET NOT NULL;
ALTER TABLE "customer_contacts" ADD CONSTRAINT "customer_contacts_external_id_protected_check"
    CHECK (("external_id" IS NULL) = ("external_id_cipher" IS NOT NULL AND "external_id_hash" IS NOT NULL));

DROP INDEX "customer_contacts_external_id_idx";
DROP INDEX "customer_contacts_account_id_external_id_key";
-- One contact per account and customer, by the keyed hash (the sync's and the import's upsert key).
CREATE UNIQUE INDEX "customer_contacts_account_id_external_id_hash_key" ON "customer_contacts"("account_id", "external_id_hash");
-- Plain rows not yet backfilled stay unique as before, and the backfill finds them at once.
CREATE UNIQUE INDEX "customer_contacts_legacy_external_id_key" ON "customer_contacts"("account_id", "external_id") WHERE "external_id" IS NOT NULL;

-- contact_transfers: the 90-day count is by hash across accounts --------------------------------
ALTER TABLE "contact_transfers"
    ALTER COLUMN "external_id" DROP NOT NULL,
    ADD COLUMN "external_id_cipher" TEXT,
    ADD COLUMN "external_id_hash" TEXT,
    ADD COLUMN "external_id_mask" TEXT;

UPDATE "contact_transfers" SET "external_id_mask" = "pg_temp"."mask_identifier"("external_id");
ALTER TABLE "contact_transfers" ALTER COLUMN "external_id_mask" SET NOT NULL;
ALTER TABLE "contact_transfers" ADD CONSTRAINT "contact_transfers_external_id_protected_check"
    CHECK (("external_id" IS NULL) = ("external_id_cipher" IS NOT NULL AND "external_id_hash" IS NOT NULL));

DROP INDEX "contact_transfers_external_id_status_finished_at_idx";
CREATE INDEX "contact_transfers_external_id_hash_status_finished_at_idx" ON "contact_transfers"("external_id_hash", "status", "finished_at");
CREATE INDEX "contact_transfers_legacy_external_id_idx" ON "contact_transfers"("id") WHERE "external_id" IS NOT NULL;

-- accounts: a member account the sync creates was requested by no one (requested_by_id NULL), and
-- the sync records when it last read the member's complete contact list (what "no longer in
-- WeCom" is decided against).
ALTER TABLE "accounts"
    ALTER COLUMN "requested_by_id" DROP NOT NULL,
    ADD COLUMN "wecom_contacts_synced_at" TIMESTAMPTZ(3);

-- contact_import_rows: a staged row keeps the protected value, not the plain one. Staged rows of
-- imports not yet confirmed hold plain values that cannot be encrypted here: those imports expire
-- (the file is uploaded again); the rows kept for confirmed imports' reports show the mask.
UPDATE "contact_imports" SET "status" = 'EXPIRED' WHERE "status" IN ('STAGING', 'READY');
DELETE FROM "contact_import_rows" r USING "contact_imports" i WHERE i."id" = r."import_id" AND i."status" <> 'CONFIRMED';
UPDATE "contact_import_rows" SET "raw_external_id" = "pg_temp"."mask_identifier"("raw_external_id") WHERE "raw_external_id" <> '';
ALTER TABLE "contact_import_rows"
    DROP COLUMN "external_id",
    ADD COLUMN "external_id_cipher" TEXT,
    ADD COLUMN "external_id_hash" TEXT,
    ADD COLUMN "external_id_mask" TEXT,
    ADD COLUMN "external_id_previous_hash" TEXT;
