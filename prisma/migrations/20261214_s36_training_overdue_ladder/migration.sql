-- Issue 20: the training overview's default view (attentionPageSql in lib/training/overview-sql.ts;
-- docs/performance.md, thirteenth session). Someone has at least k overdue items exactly when the
-- k-th earliest of their open due dates (courses and policies together) is before now. These
-- indexes find, for k = 4, 3 and 2, everyone whose k-th open due date has passed, so the page reads
-- only the people with the most overdue instead of everyone overdue (207 instead of 7,599 people at
-- scale 1): the first k, from the top, that holds enough people for the page holds every row the
-- page can show. Partial (only people with at least k open items) and on an expression, so they
-- live here only (tests/schema-drift.test.ts). Each costs a summary's write one evaluation of
-- training_kth_due when the person has at least k open items.

-- The k-th earliest of two lists of due dates together (null when they hold fewer than k).
CREATE FUNCTION "training_kth_due"(course_dues TIMESTAMPTZ(3)[], policy_dues TIMESTAMPTZ(3)[], k INTEGER) RETURNS TIMESTAMPTZ(3)
  LANGUAGE sql IMMUTABLE STRICT PARALLEL SAFE
  AS $$ SELECT d FROM unnest(course_dues || policy_dues) AS d ORDER BY d OFFSET k - 1 LIMIT 1 $$;

CREATE INDEX "training_person_summaries_due2_idx" ON "training_person_summaries" ("training_kth_due"("course_dues", "policy_dues", 2))
  WHERE cardinality("course_dues") + cardinality("policy_dues") >= 2;
CREATE INDEX "training_person_summaries_due3_idx" ON "training_person_summaries" ("training_kth_due"("course_dues", "policy_dues", 3))
  WHERE cardinality("course_dues") + cardinality("policy_dues") >= 3;
CREATE INDEX "training_person_summaries_due4_idx" ON "training_person_summaries" ("training_kth_due"("course_dues", "policy_dues", 4))
  WHERE cardinality("course_dues") + cardinality("policy_dues") >= 4;
