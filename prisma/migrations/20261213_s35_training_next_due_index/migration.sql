-- Issue 20: the training overview's default view (attentionPageSql in lib/training/overview-sql.ts;
-- docs/performance.md, twelfth session). Everyone with something open, by their next due date (the
-- first of their open course and policy due dates, NEXT_DUE). The page's ties step looks up the
-- people whose figures equal the last row's, by that date: an index look-up of a few rows instead
-- of a second pass over every summary (12.0–12.5 → 9.6–10.1 ms for the statement at scale 1). The
-- same index lists the summaries with something open for the first pass. Partial and on an
-- expression, so it lives here only (tests/schema-drift.test.ts).
CREATE INDEX "training_person_summaries_next_due_idx" ON "training_person_summaries" ((LEAST("course_dues"[1], "policy_dues"[1])))
  WHERE cardinality("course_dues") > 0 OR cardinality("policy_dues") > 0;
