-- Issue 20: two list filters that read far more than they show (docs/performance.md, "Two
-- indexes for two filters", sixth session).
--
-- 1. The audit trail's action-prefix filter ("employee." : every action of a kind) is
--    `action LIKE 'employee.%'`. Under a database collation other than C (C.UTF-8 here,
--    zh_CN.UTF-8 at a customer) a plain btree index cannot serve LIKE: PostgreSQL read every entry
--    of audit_events_action_idx and filtered them (85,003 entries for a capped count of 10,001 at
--    scale 0.1). The same index with the pattern operator class serves LIKE 'prefix%' as a range,
--    and equality as before; the trail's list of distinct actions walks it with the class's own
--    order (lib/audit/queries.ts, distinctValuesSql), so one index still does all three.
DROP INDEX "audit_events_action_idx";
CREATE INDEX "audit_events_action_idx" ON "audit_events"("action" text_pattern_ops);

-- 2. An agent reads the cases assigned to them, the cases they recorded and their team's
--    unassigned ones (lib/service/scope.ts). Without an index on created_by_id the OR could not
--    be answered by indexes, and an agent's "all" and "closed" views read the whole table.
CREATE INDEX "service_cases_created_by_id_idx" ON "service_cases"("created_by_id");
