-- Issue 20: the training overview's per-person figures, kept with the rows they count
-- (docs/performance.md, "The training overview's per-person summary").
--
-- The overview's default order (overdue first) and its total needed every in-scope person's
-- counts on every view: one look-up of their current assignments and policy requests per person
-- (1,949 at scale 0.1, 19,417 at scale 1). One row per person now holds what decides them:
-- the due dates of what is open (sorted, so "overdue" is decided at read time:
-- width_bucket(now - 1 ms, dues) is how many are due before now, the first element the next due
-- date) and how many are done.
--
-- Kept by statement-level triggers on the two tables, so every writer (the commands, the jobs, the
-- directory's hooks, seeds, tests) keeps it right in its own transaction. Each trigger locks the
-- summaries of the people its statement touched, in id order (two writers of the same person
-- queue; two bulk statements lock in the same order). Inserted rows are added to the summary (an
-- increment: the UPDATE applies to the latest committed version); updated and deleted rows make
-- the trigger recount the person's rows after taking the lock: under READ COMMITTED each statement
-- of the function takes a new snapshot, so the recount sees every change committed by whoever held
-- the lock before, and no update is lost.
CREATE TABLE "training_person_summaries" (
    "employee_id" TEXT NOT NULL,
    -- Due dates of the person's current, open course assignments (status ASSIGNED), ascending.
    "course_dues" TIMESTAMPTZ(3)[] NOT NULL DEFAULT '{}',
    -- Their current, completed course assignments.
    "courses_done" INTEGER NOT NULL DEFAULT 0,
    -- Due dates of their current, unacknowledged policy requests, ascending.
    "policy_dues" TIMESTAMPTZ(3)[] NOT NULL DEFAULT '{}',
    -- Their current, acknowledged policy requests.
    "policies_done" INTEGER NOT NULL DEFAULT 0,
    CONSTRAINT "training_person_summaries_pkey" PRIMARY KEY ("employee_id"),
    CONSTRAINT "training_person_summaries_employee_id_fkey" FOREIGN KEY ("employee_id") REFERENCES "employees"("id") ON DELETE CASCADE ON UPDATE CASCADE
);

-- Makes sure `ids` have a summary row and locks their rows in id order (two writers of the same
-- people queue; two bulk statements lock in the same order). The ids are joined (unnest), never
-- matched with = ANY: a bulk statement passes 20,000 of them.
CREATE FUNCTION "training_person_summaries_lock"("ids" TEXT[]) RETURNS void LANGUAGE plpgsql AS $$
BEGIN
  INSERT INTO "training_person_summaries" ("employee_id")
    SELECT e."id" FROM unnest("ids") AS i("id") JOIN "employees" e ON e."id" = i."id" ORDER BY e."id"
    ON CONFLICT DO NOTHING;
  PERFORM 1 FROM "training_person_summaries" s JOIN unnest("ids") AS i("id") ON s."employee_id" = i."id" ORDER BY s."employee_id" FOR NO KEY UPDATE OF s;
END;
$$;

-- Recounts the summaries of `ids` (courses, policies or both) from the current rows: the lock
-- first, the recount after it (a new snapshot, which sees what the lock's previous holder committed).
CREATE FUNCTION "training_person_summaries_refresh"("ids" TEXT[], "courses" BOOLEAN, "policies" BOOLEAN) RETURNS void LANGUAGE plpgsql AS $$
BEGIN
  IF "ids" IS NULL OR cardinality("ids") = 0 THEN
    RETURN;
  END IF;
  PERFORM "training_person_summaries_lock"("ids");
  IF "courses" THEN
    UPDATE "training_person_summaries" s
       SET "course_dues" = COALESCE(x."dues", '{}'), "courses_done" = x."done"
      FROM (SELECT i."id", c."dues", c."done"
              FROM unnest("ids") AS i("id")
              CROSS JOIN LATERAL (
                SELECT array_agg(a."due_at" ORDER BY a."due_at") FILTER (WHERE a."status" = 'ASSIGNED') AS "dues",
                       count(*) FILTER (WHERE a."status" = 'COMPLETED')::int AS "done"
                  FROM "training_assignments" a WHERE a."employee_id" = i."id" AND a."current") c) x
     WHERE s."employee_id" = x."id";
  END IF;
  IF "policies" THEN
    UPDATE "training_person_summaries" s
       SET "policy_dues" = COALESCE(x."dues", '{}'), "policies_done" = x."done"
      FROM (SELECT i."id", c."dues", c."done"
              FROM unnest("ids") AS i("id")
              CROSS JOIN LATERAL (
                SELECT array_agg(k."due_at" ORDER BY k."due_at") FILTER (WHERE k."acknowledged_at" IS NULL) AS "dues",
                       count(*) FILTER (WHERE k."acknowledged_at" IS NOT NULL)::int AS "done"
                  FROM "policy_acknowledgements" k WHERE k."employee_id" = i."id" AND k."current") c) x
     WHERE s."employee_id" = x."id";
  END IF;
END;
$$;

-- After each statement on training_assignments: the people whose rows it inserted or deleted, or
-- whose rows it changed in what the summary counts (person, current, status, due date).
CREATE FUNCTION "training_assignments_summarise"() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
  IF TG_OP = 'INSERT' THEN
    -- New rows only add (a bulk assignment of a course to everyone: no recount of 20,000 people).
    -- An increment needs no snapshot: after the lock it applies to whatever was committed before.
    PERFORM "training_person_summaries_lock"(ARRAY(SELECT DISTINCT n."employee_id" FROM "new_rows" n WHERE n."current"));
    UPDATE "training_person_summaries" s
       SET "course_dues" = CASE WHEN x."dues" IS NULL THEN s."course_dues" ELSE ARRAY(SELECT d FROM unnest(s."course_dues" || x."dues") AS d ORDER BY d) END,
           "courses_done" = s."courses_done" + x."done"
      FROM (SELECT n."employee_id", array_agg(n."due_at") FILTER (WHERE n."status" = 'ASSIGNED') AS "dues", count(*) FILTER (WHERE n."status" = 'COMPLETED')::int AS "done"
              FROM "new_rows" n WHERE n."current" GROUP BY n."employee_id") x
     WHERE s."employee_id" = x."employee_id";
  ELSIF TG_OP = 'DELETE' THEN
    PERFORM "training_person_summaries_refresh"(ARRAY(SELECT DISTINCT o."employee_id" FROM "old_rows" o), true, false);
  ELSE
    PERFORM "training_person_summaries_refresh"(ARRAY(
      SELECT DISTINCT unnest(ARRAY[n."employee_id", o."employee_id"]) FROM "new_rows" n JOIN "old_rows" o ON o."id" = n."id"
       WHERE (n."employee_id", n."current", n."status", n."due_at") IS DISTINCT FROM (o."employee_id", o."current", o."status", o."due_at")), true, false);
  END IF;
  RETURN NULL;
END;
$$;

CREATE FUNCTION "policy_acknowledgements_summarise"() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
  IF TG_OP = 'INSERT' THEN
    PERFORM "training_person_summaries_lock"(ARRAY(SELECT DISTINCT n."employee_id" FROM "new_rows" n WHERE n."current"));
    UPDATE "training_person_summaries" s
       SET "policy_dues" = CASE WHEN x."dues" IS NULL THEN s."policy_dues" ELSE ARRAY(SELECT d FROM unnest(s."policy_dues" || x."dues") AS d ORDER BY d) END,
           "policies_done" = s."policies_done" + x."done"
      FROM (SELECT n."employee_id", array_agg(n."due_at") FILTER (WHERE n."acknowledged_at" IS NULL) AS "dues", count(*) FILTER (WHERE n."acknowledged_at" IS NOT NULL)::int AS "done"
              FROM "new_rows" n WHERE n."current" GROUP BY n."employee_id") x
     WHERE s."employee_id" = x."employee_id";
  ELSIF TG_OP = 'DELETE' THEN
    PERFORM "training_person_summaries_refresh"(ARRAY(SELECT DISTINCT o."employee_id" FROM "old_rows" o), false, true);
  ELSE
    PERFORM "training_person_summaries_refresh"(ARRAY(
      SELECT DISTINCT unnest(ARRAY[n."employee_id", o."employee_id"]) FROM "new_rows" n JOIN "old_rows" o ON o."id" = n."id"
       WHERE (n."employee_id", n."current", n."acknowledged_at" IS NULL, n."due_at") IS DISTINCT FROM (o."employee_id", o."current", o."acknowledged_at" IS NULL, o."due_at")), false, true);
  END IF;
  RETURN NULL;
END;
$$;

-- A trigger with transition tables has one event each.
CREATE TRIGGER "training_assignments_summary_insert" AFTER INSERT ON "training_assignments"
  REFERENCING NEW TABLE AS "new_rows" FOR EACH STATEMENT EXECUTE FUNCTION "training_assignments_summarise"();
CREATE TRIGGER "training_assignments_summary_update" AFTER UPDATE ON "training_assignments"
  REFERENCING OLD TABLE AS "old_rows" NEW TABLE AS "new_rows" FOR EACH STATEMENT EXECUTE FUNCTION "training_assignments_summarise"();
CREATE TRIGGER "training_assignments_summary_delete" AFTER DELETE ON "training_assignments"
  REFERENCING OLD TABLE AS "old_rows" FOR EACH STATEMENT EXECUTE FUNCTION "training_assignments_summarise"();
CREATE TRIGGER "policy_acknowledgements_summary_insert" AFTER INSERT ON "policy_acknowledgements"
  REFERENCING NEW TABLE AS "new_rows" FOR EACH STATEMENT EXECUTE FUNCTION "policy_acknowledgements_summarise"();
CREATE TRIGGER "policy_acknowledgements_summary_update" AFTER UPDATE ON "policy_acknowledgements"
  REFERENCING OLD TABLE AS "old_rows" NEW TABLE AS "new_rows" FOR EACH STATEMENT EXECUTE FUNCTION "policy_acknowledgements_summarise"();
CREATE TRIGGER "policy_acknowledgements_summary_delete" AFTER DELETE ON "policy_acknowledgements"
  REFERENCING OLD TABLE AS "old_rows" FOR EACH STATEMENT EXECUTE FUNCTION "policy_acknowledgements_summarise"();

-- Backfill: everyone who has a current assignment or policy request.
INSERT INTO "training_person_summaries" ("employee_id", "course_dues", "courses_done", "policy_dues", "policies_done")
SELECT e."id",
       COALESCE(a."dues", '{}'), COALESCE(a."done", 0),
       COALESCE(k."dues", '{}'), COALESCE(k."done", 0)
  FROM "employees" e
  LEFT JOIN (SELECT "employee_id", array_agg("due_at" ORDER BY "due_at") FILTER (WHERE "status" = 'ASSIGNED') AS "dues", count(*) FILTER (WHERE "status" = 'COMPLETED')::int AS "done"
               FROM "training_assignments" WHERE "current" GROUP BY "employee_id") a ON a."employee_id" = e."id"
  LEFT JOIN (SELECT "employee_id", array_agg("due_at" ORDER BY "due_at") FILTER (WHERE "acknowledged_at" IS NULL) AS "dues", count(*) FILTER (WHERE "acknowledged_at" IS NOT NULL)::int AS "done"
               FROM "policy_acknowledgements" WHERE "current" GROUP BY "employee_id") k ON k."employee_id" = e."id"
 WHERE a."employee_id" IS NOT NULL OR k."employee_id" IS NOT NULL
ON CONFLICT ("employee_id") DO UPDATE SET "course_dues" = EXCLUDED."course_dues", "courses_done" = EXCLUDED."courses_done", "policy_dues" = EXCLUDED."policy_dues", "policies_done" = EXCLUDED."policies_done";
