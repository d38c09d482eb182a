-- Issue 20: indexes for the training overview and the groups registry (docs/performance.md,
-- "List queries: the training overview and the groups registry").

-- The overview counts, per person of the reader's scope, their current course assignments and
-- policy requests (lib/training/overview-sql.ts, lib/training/queries.ts statsOf). With these the
-- look-up per person reads the index alone instead of ten heap pages.
CREATE INDEX IF NOT EXISTS "training_assignments_current_employee_idx" ON "training_assignments" ("employee_id") INCLUDE ("course_id", "status", "due_at") WHERE "current";
CREATE INDEX IF NOT EXISTS "policy_acknowledgements_current_employee_idx" ON "policy_acknowledgements" ("employee_id") INCLUDE ("document_id", "acknowledged_at", "due_at") WHERE "current";

-- The registry's default order, newest first (ORDER BY created_at DESC, id DESC LIMIT 25): a
-- backward index scan instead of sorting every group in scope.
CREATE INDEX IF NOT EXISTS "work_groups_created_at_id_idx" ON "work_groups" ("created_at", "id");
