-- Customer groups from WeCom in the work-group registry, and membership governance (issue 14,
-- items 3 and 4; docs/wecom.md "Customer groups" and "Membership rules").
--
-- A group found in WeCom that nobody requested here has no requester, and its WeCom owner may be
-- someone the directory does not know (a member who left long ago): owner and requester may be
-- empty, the owner's WeCom userid is kept beside it.

ALTER TABLE "work_groups" ALTER COLUMN "owner_id" DROP NOT NULL;
ALTER TABLE "work_groups" ALTER COLUMN "requester_id" DROP NOT NULL;

ALTER TABLE "work_groups" ADD COLUMN "wecom_name" TEXT;
ALTER TABLE "work_groups" ADD COLUMN "wecom_owner_userid" TEXT;
ALTER TABLE "work_groups" ADD COLUMN "wecom_status" INTEGER;
ALTER TABLE "work_groups" ADD COLUMN "internal_member_count" INTEGER;
ALTER TABLE "work_groups" ADD COLUMN "external_member_count" INTEGER;
ALTER TABLE "work_groups" ADD COLUMN "internal_member_userids" TEXT[] NOT NULL DEFAULT ARRAY[]::TEXT[];
ALTER TABLE "work_groups" ADD COLUMN "wecom_last_seen_at" TIMESTAMPTZ(3);
ALTER TABLE "work_groups" ADD COLUMN "wecom_gone_at" TIMESTAMPTZ(3);
ALTER TABLE "work_groups" ADD COLUMN "wecom_gone_reason" TEXT;
ALTER TABLE "work_groups" ADD COLUMN "found_in_wecom_at" TIMESTAMPTZ(3);
ALTER TABLE "work_groups" ADD COLUMN "outside_portal" BOOLEAN NOT NULL DEFAULT false;

ALTER TABLE "work_groups" ADD CONSTRAINT "work_groups_wecom_status_check" CHECK ("wecom_status" IS NULL OR "wecom_status" BETWEEN 0 AND 3);
ALTER TABLE "work_groups" ADD CONSTRAINT "work_groups_wecom_gone_reason_check" CHECK ("wecom_gone_reason" IS NULL OR "wecom_gone_reason" IN ('NOT_LISTED', 'DISMISSED'));

-- WeCom's chat id is the group's platform id: one record per chat (the sync's upsert key).
CREATE UNIQUE INDEX "work_groups_wecom_chat_key" ON "work_groups" ("external_id") WHERE "platform" = 'WECOM' AND "external_id" IS NOT NULL;
-- The owners' "register your groups" tasks and the registry's filter.
CREATE INDEX "work_groups_outside_portal_idx" ON "work_groups" ("owner_id") WHERE "outside_portal";
-- Groups WeCom reports as ownerless (owner left, awaiting or in inheritance).
CREATE INDEX "work_groups_wecom_ownerless_idx" ON "work_groups" ("department_id") WHERE "wecom_status" IN (1, 2);

-- Membership rules per classification, with the versioned work-group policy.
ALTER TABLE "work_group_policies" ADD COLUMN "external_allowed_public" BOOLEAN NOT NULL DEFAULT true;
ALTER TABLE "work_group_policies" ADD COLUMN "external_allowed_internal" BOOLEAN NOT NULL DEFAULT true;
ALTER TABLE "work_group_policies" ADD COLUMN "external_allowed_confidential" BOOLEAN NOT NULL DEFAULT false;
ALTER TABLE "work_group_policies" ADD COLUMN "external_allowed_secret" BOOLEAN NOT NULL DEFAULT false;
ALTER TABLE "work_group_policies" ADD COLUMN "max_members_public" INTEGER NOT NULL DEFAULT 500;
ALTER TABLE "work_group_policies" ADD COLUMN "max_members_internal" INTEGER NOT NULL DEFAULT 500;
ALTER TABLE "work_group_policies" ADD COLUMN "max_members_confidential" INTEGER NOT NULL DEFAULT 200;
ALTER TABLE "work_group_policies" ADD COLUMN "max_members_secret" INTEGER NOT NULL DEFAULT 50;
ALTER TABLE "work_group_policies" ADD COLUMN "departed_may_stay_public" BOOLEAN NOT NULL DEFAULT true;
ALTER TABLE "work_group_policies" ADD COLUMN "departed_may_stay_internal" BOOLEAN NOT NULL DEFAULT false;
ALTER TABLE "work_group_policies" ADD COLUMN "departed_may_stay_confidential" BOOLEAN NOT NULL DEFAULT false;
ALTER TABLE "work_group_policies" ADD COLUMN "departed_may_stay_secret" BOOLEAN NOT NULL DEFAULT false;

-- CreateTable
CREATE TABLE "work_group_violations" (
    "id" TEXT NOT NULL,
    "group_id" TEXT NOT NULL,
    "kind" TEXT NOT NULL,
    "details" JSONB NOT NULL DEFAULT '{}',
    "opened_at" TIMESTAMPTZ(3) NOT NULL,
    "last_checked_at" TIMESTAMPTZ(3) NOT NULL,
    "resolved_at" TIMESTAMPTZ(3),
    "created_at" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "updated_at" TIMESTAMPTZ(3) NOT NULL,

    CONSTRAINT "work_group_violations_pkey" PRIMARY KEY ("id"),
    CONSTRAINT "work_group_violations_kind_check" CHECK ("kind" IN ('EXTERNAL_MEMBER', 'DEPARTED_MEMBER', 'OVER_SIZE'))
);

-- CreateIndex
CREATE INDEX "work_group_violations_group_id_opened_at_idx" ON "work_group_violations"("group_id", "opened_at");

-- One open violation per group and kind; a violation that comes back after being resolved is a new row.
CREATE UNIQUE INDEX "work_group_violations_open_key" ON "work_group_violations" ("group_id", "kind") WHERE "resolved_at" IS NULL;

-- AddForeignKey
ALTER TABLE "work_group_violations" ADD CONSTRAINT "work_group_violations_group_id_fkey" FOREIGN KEY ("group_id") REFERENCES "work_groups"("id") ON DELETE RESTRICT ON UPDATE CASCADE;

-- Violations are history: resolved, never deleted.
CREATE FUNCTION "work_group_violations_refuse_delete"() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
  RAISE EXCEPTION 'work_group_violations rows are never deleted (resolve them instead)' USING ERRCODE = 'restrict_violation';
END;
$$;
CREATE TRIGGER "work_group_violations_no_delete" BEFORE DELETE ON "work_group_violations"
  FOR EACH ROW EXECUTE FUNCTION "work_group_violations_refuse_delete"();
