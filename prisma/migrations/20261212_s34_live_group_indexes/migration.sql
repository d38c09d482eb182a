-- Issue 20: the home page's two counts of live work groups (docs/performance.md, "The home page's
-- statement", eleventh session). Live: PENDING_APPROVAL, ACTIVE, DISSOLUTION_PENDING
-- (LIVE_STATUSES in lib/groups/schemas.ts). Partial indexes cannot be declared in prisma/schema;
-- they live here only (tests/schema-drift.test.ts).
--
-- 1. Groups whose owner has left: the live groups' owners, so that counting the live groups of
--    the people who have left (589 of them, 2,745 groups at scale 1) is an index-only scan instead
--    of a bitmap scan of every group they ever owned and a visit to each group's row.
CREATE INDEX "work_groups_live_owner_idx" ON "work_groups"("owner_id") WHERE "status" IN ('PENDING_APPROVAL', 'ACTIVE', 'DISSOLUTION_PENDING');

-- 2. Groups with an open violation: the live groups WeCom has not reported gone, by id, so that
--    each open violation's group (4,400 at scale 1) is one index-only look-up instead of a visit
--    to the group's row to read its status and wecom_gone_at.
CREATE INDEX "work_groups_live_present_idx" ON "work_groups"("id") WHERE "status" IN ('PENDING_APPROVAL', 'ACTIVE', 'DISSOLUTION_PENDING') AND "wecom_gone_at" IS NULL;
