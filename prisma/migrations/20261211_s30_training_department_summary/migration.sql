-- Issue 20: the training overview's per-course and per-policy figures, kept per department
-- (docs/performance.md, "The training overview's per-department summary").
--
-- The overview's figures (per course: assigned, completed, overdue; per policy: asked,
-- acknowledged, overdue) counted every current assignment and policy request of every person in
-- the reader's scope on every view: 19,490 + 1,949 rows at scale 0.1, ten times that at scale 1.
-- One row per (department, course) and (department, policy document) now holds what decides them
-- for the department's own people (not its sub-departments; the reader sums the departments of
-- their scope): how many current rows, how many done, and the due dates of what is open, sorted,
-- so that "overdue" is decided at read time, as in training_person_summaries
-- (width_bucket(now − 1 ms, dues) is how many are due before now). A person counts when they have
-- not departed, in the department they are in.
--
-- Kept by statement-level triggers on training_assignments, policy_acknowledgements and employees
-- (a move to another department, a departure, a return, a new or deleted person), so every writer
-- keeps it right in its own transaction. Each trigger locks the (department, item) rows its
-- statement touched in key order, then either adds its rows' own change to them (the training
-- tables: an increment applies to whatever the lock's previous holder committed) or recounts them
-- (the directory: under READ COMMITTED each statement of the function takes a new snapshot, so the
-- recount sees whatever the lock's previous holder committed). No update is lost (the pattern of
-- training_person_summaries). A recount costs the department's size; the training writes, far
-- more frequent (every quiz passed, every acknowledgement), cost their own rows.
--
-- The department a person's rows count in is read from the person's row, which a concurrent move
-- can change. A writer of assignments or policy requests therefore first takes a shared advisory
-- lock on the people it touches (hashed into 32 buckets; ordered), and a move, departure or return
-- takes the same locks exclusively before recounting. Either the move waits for the writer (and
-- its recount, after the writer committed, counts the new rows in the new department), or the
-- writer waits for the move (and reads the new department). A row lock on the person (FOR SHARE)
-- would also do it, but it would conflict with every other update of the person's row (a sign-in,
-- the directory sync); the advisory lock conflicts only with moves, and it is held in the lock
-- table, not written to the person's row.
CREATE TABLE "training_department_summaries" (
    "department_id" TEXT NOT NULL,
    -- 'course' (item_id is a training course) or 'policy' (item_id is a policy document).
    "kind" TEXT NOT NULL,
    "item_id" TEXT NOT NULL,
    -- Current assignments (policy requests) of the department's people who have not departed.
    "total" INTEGER NOT NULL DEFAULT 0,
    -- Of those, completed (acknowledged).
    "done" INTEGER NOT NULL DEFAULT 0,
    -- Due dates of the open ones (ASSIGNED; not acknowledged), ascending.
    "dues" TIMESTAMPTZ(3)[] NOT NULL DEFAULT '{}',
    CONSTRAINT "training_department_summaries_pkey" PRIMARY KEY ("department_id", "kind", "item_id"),
    CONSTRAINT "training_department_summaries_kind_check" CHECK ("kind" IN ('course', 'policy')),
    CONSTRAINT "training_department_summaries_department_id_fkey" FOREIGN KEY ("department_id") REFERENCES "departments"("id") ON DELETE CASCADE ON UPDATE CASCADE
);

-- The advisory locks on people (see above): 32 buckets of employee ids, taken in bucket order,
-- shared by writers of training rows, exclusive for moves. Two integers (20261211, bucket): a key
-- space of its own (the portal's other advisory locks take one bigint).
CREATE FUNCTION "training_department_summaries_guard"("ids" TEXT[], "exclusive" BOOLEAN) RETURNS void LANGUAGE plpgsql AS $$
DECLARE
  b INTEGER;
BEGIN
  FOR b IN SELECT DISTINCT hashtext(i."id") & 31 FROM unnest("ids") AS i("id") ORDER BY 1 LOOP
    IF "exclusive" THEN
      PERFORM pg_advisory_xact_lock(20261211, b);
    ELSE
      PERFORM pg_advisory_xact_lock_shared(20261211, b);
    END IF;
  END LOOP;
END;
$$;

-- Makes sure each (department, kind, item) pair, given as three parallel arrays, of an existing
-- department has a row, and locks the rows in key order (two writers of the same pairs queue; two
-- bulk statements lock in the same order). Rows are never deleted: a writer waiting for the lock
-- would find its row gone and lose its change.
CREATE FUNCTION "training_department_summaries_lock"("depts" TEXT[], "kinds" TEXT[], "items" TEXT[]) RETURNS void LANGUAGE plpgsql AS $$
BEGIN
  INSERT INTO "training_department_summaries" ("department_id", "kind", "item_id")
    SELECT DISTINCT p."d", p."k", p."i" FROM unnest("depts", "kinds", "items") AS p("d", "k", "i") JOIN "departments" dp ON dp."id" = p."d" ORDER BY 1, 2, 3
    ON CONFLICT DO NOTHING;
  PERFORM 1 FROM "training_department_summaries" s
    JOIN (SELECT DISTINCT p."d", p."k", p."i" FROM unnest("depts", "kinds", "items") AS p("d", "k", "i")) p ON s."department_id" = p."d" AND s."kind" = p."k" AND s."item_id" = p."i"
   ORDER BY s."department_id", s."kind", s."item_id" FOR NO KEY UPDATE OF s;
END;
$$;

-- Recounts the given pairs from the current rows, after locking them (a new snapshot, which sees
-- what the lock's previous holder committed). Used for moves, departures, returns, new and deleted
-- people: the department's people, then each person's current rows through the covering partial
-- index on (employee_id) WHERE current, filtered to the item (OFFSET 0 keeps it a look-up per
-- person; the planner otherwise chose every current assignment of the course in the company and a
-- hash join: 4.8 ms against 0.6 for one pair at scale 0.1).
CREATE FUNCTION "training_department_summaries_refresh"("depts" TEXT[], "kinds" TEXT[], "items" TEXT[]) RETURNS void LANGUAGE plpgsql AS $$
BEGIN
  IF "depts" IS NULL OR cardinality("depts") = 0 THEN
    RETURN;
  END IF;
  PERFORM "training_department_summaries_lock"("depts", "kinds", "items");
  UPDATE "training_department_summaries" s
     SET "total" = c."total", "done" = c."done", "dues" = COALESCE(c."dues", '{}')
    FROM (SELECT DISTINCT p."d", p."i" FROM unnest("depts", "kinds", "items") AS p("d", "k", "i") WHERE p."k" = 'course') p
    CROSS JOIN LATERAL (
      SELECT count(*)::int AS "total",
             count(*) FILTER (WHERE a."status" = 'COMPLETED')::int AS "done",
             array_agg(a."due_at" ORDER BY a."due_at") FILTER (WHERE a."status" = 'ASSIGNED') AS "dues"
        FROM "employees" e
        CROSS JOIN LATERAL (SELECT a."status", a."due_at" FROM "training_assignments" a WHERE a."employee_id" = e."id" AND a."current" AND a."course_id" = p."i" OFFSET 0) a
       WHERE e."department_id" = p."d" AND e."status" <> 'DEPARTED') c
   WHERE s."department_id" = p."d" AND s."kind" = 'course' AND s."item_id" = p."i";
  UPDATE "training_department_summaries" s
     SET "total" = c."total", "done" = c."done", "dues" = COALESCE(c."dues", '{}')
    FROM (SELECT DISTINCT p."d", p."i" FROM unnest("depts", "kinds", "items") AS p("d", "k", "i") WHERE p."k" = 'policy') p
    CROSS JOIN LATERAL (
      SELECT count(*)::int AS "total",
             count(*) FILTER (WHERE k."acknowledged_at" IS NOT NULL)::int AS "done",
             array_agg(k."due_at" ORDER BY k."due_at") FILTER (WHERE k."acknowledged_at" IS NULL) AS "dues"
        FROM "employees" e
        CROSS JOIN LATERAL (SELECT k."acknowledged_at", k."due_at" FROM "policy_acknowledgements" k WHERE k."employee_id" = e."id" AND k."current" AND k."document_id" = p."i" OFFSET 0) k
       WHERE e."department_id" = p."d" AND e."status" <> 'DEPARTED') c
   WHERE s."department_id" = p."d" AND s."kind" = 'policy' AND s."item_id" = p."i";
END;
$$;

-- A sorted list of due dates with one occurrence of each of `removed` taken out and `added` put
-- in, sorted again. Counted by value (a hash join of the two lists), so taking 2,000 dates out of
-- 2,000 is linear, not 4,000,000 comparisons.
CREATE FUNCTION "training_department_summaries_dues"("dues" TIMESTAMPTZ[], "removed" TIMESTAMPTZ[], "added" TIMESTAMPTZ[]) RETURNS TIMESTAMPTZ[] LANGUAGE sql IMMUTABLE AS $$
  SELECT COALESCE(array_agg(y."d" ORDER BY y."d"), '{}')
    FROM (SELECT c."d"
            FROM (SELECT d AS "d", count(*) AS "n" FROM unnest("dues") AS d GROUP BY d) c
            LEFT JOIN (SELECT r AS "d", count(*) AS "n" FROM unnest("removed") AS r GROUP BY r) r ON r."d" = c."d"
            CROSS JOIN LATERAL generate_series(1, c."n" - COALESCE(r."n", 0)) AS g
          UNION ALL
          SELECT a FROM unnest("added") AS a) y
$$;

-- Applies what a statement on training_assignments or policy_acknowledgements changed, given row
-- by row as parallel arrays: the person, the item, +1 for a row that now counts or -1 for one that
-- no longer does (its version before the statement), whether it is open, its due date. The shared
-- lock on the people first, then their departments (read after it; a departed person's rows count
-- nowhere, a person not (yet) in the directory has no department), then the rows' lock, then the
-- change, added to the locked rows (an increment applies to whatever was committed before the
-- lock). A quiz passed in a department of 2,000 people changes one row by its own figures; a
-- recount would read the 2,000 people's rows (9–12 ms measured).
CREATE FUNCTION "training_department_summaries_apply"("item_kind" TEXT, "people" TEXT[], "items" TEXT[], "signs" INTEGER[], "opens" BOOLEAN[], "due_ats" TIMESTAMPTZ[]) RETURNS void LANGUAGE plpgsql AS $$
DECLARE
  d TEXT[];
  k TEXT[];
  i TEXT[];
BEGIN
  IF "people" IS NULL OR cardinality("people") = 0 THEN
    RETURN;
  END IF;
  PERFORM "training_department_summaries_guard"("people", false);
  SELECT array_agg(x."department_id"), array_agg("item_kind"), array_agg(x."item") INTO d, k, i
    FROM (SELECT DISTINCT e."department_id", p."item"
            FROM unnest("people", "items") AS p("person", "item") JOIN "employees" e ON e."id" = p."person"
           WHERE e."status" <> 'DEPARTED') x;
  IF d IS NULL THEN
    RETURN;
  END IF;
  PERFORM "training_department_summaries_lock"(d, k, i);
  UPDATE "training_department_summaries" s
     SET "total" = s."total" + c."total",
         "done" = s."done" + c."done",
         "dues" = CASE WHEN c."removed" IS NULL AND c."added" IS NULL THEN s."dues" ELSE "training_department_summaries_dues"(s."dues", c."removed", c."added") END
    FROM (SELECT e."department_id", p."item",
                 sum(p."sign")::int AS "total",
                 COALESCE(sum(p."sign") FILTER (WHERE NOT p."open"), 0)::int AS "done",
                 array_agg(p."due_at") FILTER (WHERE p."open" AND p."sign" < 0) AS "removed",
                 array_agg(p."due_at") FILTER (WHERE p."open" AND p."sign" > 0) AS "added"
            FROM unnest("people", "items", "signs", "opens", "due_ats") AS p("person", "item", "sign", "open", "due_at")
            JOIN "employees" e ON e."id" = p."person"
           WHERE e."status" <> 'DEPARTED'
           GROUP BY e."department_id", p."item") c
   WHERE s."department_id" = c."department_id" AND s."kind" = "item_kind" AND s."item_id" = c."item";
END;
$$;

-- After each statement on training_assignments: its current rows inserted (+1) or deleted (-1),
-- and of the rows it changed in what the summary counts (person, course, current, status, due
-- date), the version before (-1, if it was current) and after (+1, if it is).
CREATE FUNCTION "training_assignments_department_summarise"() RETURNS trigger LANGUAGE plpgsql AS $$
DECLARE
  p TEXT[];
  i TEXT[];
  g INTEGER[];
  o BOOLEAN[];
  t TIMESTAMPTZ[];
BEGIN
  IF TG_OP = 'INSERT' THEN
    SELECT array_agg(n."employee_id"), array_agg(n."course_id"), array_agg(1), array_agg(n."status" = 'ASSIGNED'), array_agg(n."due_at") INTO p, i, g, o, t
      FROM "new_rows" n WHERE n."current";
  ELSIF TG_OP = 'DELETE' THEN
    SELECT array_agg(r."employee_id"), array_agg(r."course_id"), array_agg(-1), array_agg(r."status" = 'ASSIGNED'), array_agg(r."due_at") INTO p, i, g, o, t
      FROM "old_rows" r WHERE r."current";
  ELSE
    SELECT array_agg(y."employee_id"), array_agg(y."course_id"), array_agg(y."sign"), array_agg(y."status" = 'ASSIGNED'), array_agg(y."due_at") INTO p, i, g, o, t
      FROM "new_rows" n JOIN "old_rows" r ON r."id" = n."id"
      CROSS JOIN LATERAL (VALUES (n."employee_id", n."course_id", n."current", n."status", n."due_at", 1), (r."employee_id", r."course_id", r."current", r."status", r."due_at", -1))
        AS y("employee_id", "course_id", "current", "status", "due_at", "sign")
     WHERE y."current"
       AND (n."employee_id", n."course_id", n."current", n."status", n."due_at") IS DISTINCT FROM (r."employee_id", r."course_id", r."current", r."status", r."due_at");
  END IF;
  PERFORM "training_department_summaries_apply"('course', p, i, g, o, t);
  RETURN NULL;
END;
$$;

CREATE FUNCTION "policy_acknowledgements_department_summarise"() RETURNS trigger LANGUAGE plpgsql AS $$
DECLARE
  p TEXT[];
  i TEXT[];
  g INTEGER[];
  o BOOLEAN[];
  t TIMESTAMPTZ[];
BEGIN
  IF TG_OP = 'INSERT' THEN
    SELECT array_agg(n."employee_id"), array_agg(n."document_id"), array_agg(1), array_agg(n."acknowledged_at" IS NULL), array_agg(n."due_at") INTO p, i, g, o, t
      FROM "new_rows" n WHERE n."current";
  ELSIF TG_OP = 'DELETE' THEN
    SELECT array_agg(r."employee_id"), array_agg(r."document_id"), array_agg(-1), array_agg(r."acknowledged_at" IS NULL), array_agg(r."due_at") INTO p, i, g, o, t
      FROM "old_rows" r WHERE r."current";
  ELSE
    SELECT array_agg(y."employee_id"), array_agg(y."document_id"), array_agg(y."sign"), array_agg(y."open"), array_agg(y."due_at") INTO p, i, g, o, t
      FROM "new_rows" n JOIN "old_rows" r ON r."id" = n."id"
      CROSS JOIN LATERAL (VALUES (n."employee_id", n."document_id", n."current", n."acknowledged_at" IS NULL, n."due_at", 1), (r."employee_id", r."document_id", r."current", r."acknowledged_at" IS NULL, r."due_at", -1))
        AS y("employee_id", "document_id", "current", "open", "due_at", "sign")
     WHERE y."current"
       AND (n."employee_id", n."document_id", n."current", n."acknowledged_at" IS NULL, n."due_at") IS DISTINCT FROM (r."employee_id", r."document_id", r."current", r."acknowledged_at" IS NULL, r."due_at");
  END IF;
  PERFORM "training_department_summaries_apply"('policy', p, i, g, o, t);
  RETURN NULL;
END;
$$;

-- After each statement on employees: the people it added, deleted, moved to another department,
-- or made departed or not departed. The exclusive lock on them first (it waits for every writer of
-- their training rows, and holds new ones off until commit), then every item they have current
-- rows of (read after the lock), recounted in their department before and after.
CREATE FUNCTION "employees_training_department_summarise"() RETURNS trigger LANGUAGE plpgsql AS $$
DECLARE
  -- (person, department) pairs: the people it concerns, in their departments before and after.
  m TEXT[];
  md TEXT[];
  d TEXT[];
  k TEXT[];
  i TEXT[];
BEGIN
  IF TG_OP = 'INSERT' THEN
    SELECT array_agg(n."id"), array_agg(n."department_id") INTO m, md FROM "new_rows" n WHERE n."status" <> 'DEPARTED';
  ELSIF TG_OP = 'DELETE' THEN
    SELECT array_agg(o."id"), array_agg(o."department_id") INTO m, md FROM "old_rows" o WHERE o."status" <> 'DEPARTED';
  ELSE
    SELECT array_agg(y."id"), array_agg(y."department_id") INTO m, md
      FROM "new_rows" n JOIN "old_rows" o ON o."id" = n."id"
      CROSS JOIN LATERAL (VALUES (n."id", n."department_id"), (o."id", o."department_id")) AS y("id", "department_id")
     WHERE (n."department_id", n."status" = 'DEPARTED') IS DISTINCT FROM (o."department_id", o."status" = 'DEPARTED');
  END IF;
  IF m IS NULL THEN
    RETURN NULL;
  END IF;
  PERFORM "training_department_summaries_guard"(m, true);
  SELECT array_agg(x."department_id"), array_agg(x."kind"), array_agg(x."item") INTO d, k, i
    FROM (SELECT DISTINCT p."department_id", t."kind", t."item"
            FROM unnest(m, md) AS p("id", "department_id")
            CROSS JOIN LATERAL (
              SELECT 'course' AS "kind", a."course_id" AS "item" FROM "training_assignments" a WHERE a."employee_id" = p."id" AND a."current"
              UNION
              SELECT 'policy', pa."document_id" FROM "policy_acknowledgements" pa WHERE pa."employee_id" = p."id" AND pa."current") t) x;
  PERFORM "training_department_summaries_refresh"(d, k, i);
  RETURN NULL;
END;
$$;

CREATE TRIGGER "training_assignments_department_summary_insert" AFTER INSERT ON "training_assignments"
  REFERENCING NEW TABLE AS "new_rows" FOR EACH STATEMENT EXECUTE FUNCTION "training_assignments_department_summarise"();
CREATE TRIGGER "training_assignments_department_summary_update" AFTER UPDATE ON "training_assignments"
  REFERENCING OLD TABLE AS "old_rows" NEW TABLE AS "new_rows" FOR EACH STATEMENT EXECUTE FUNCTION "training_assignments_department_summarise"();
CREATE TRIGGER "training_assignments_department_summary_delete" AFTER DELETE ON "training_assignments"
  REFERENCING OLD TABLE AS "old_rows" FOR EACH STATEMENT EXECUTE FUNCTION "training_assignments_department_summarise"();
CREATE TRIGGER "policy_acknowledgements_department_summary_insert" AFTER INSERT ON "policy_acknowledgements"
  REFERENCING NEW TABLE AS "new_rows" FOR EACH STATEMENT EXECUTE FUNCTION "policy_acknowledgements_department_summarise"();
CREATE TRIGGER "policy_acknowledgements_department_summary_update" AFTER UPDATE ON "policy_acknowledgements"
  REFERENCING OLD TABLE AS "old_rows" NEW TABLE AS "new_rows" FOR EACH STATEMENT EXECUTE FUNCTION "policy_acknowledgements_department_summarise"();
CREATE TRIGGER "policy_acknowledgements_department_summary_delete" AFTER DELETE ON "policy_acknowledgements"
  REFERENCING OLD TABLE AS "old_rows" FOR EACH STATEMENT EXECUTE FUNCTION "policy_acknowledgements_department_summarise"();
CREATE TRIGGER "employees_training_department_summary_insert" AFTER INSERT ON "employees"
  REFERENCING NEW TABLE AS "new_rows" FOR EACH STATEMENT EXECUTE FUNCTION "employees_training_department_summarise"();
CREATE TRIGGER "employees_training_department_summary_update" AFTER UPDATE ON "employees"
  REFERENCING OLD TABLE AS "old_rows" NEW TABLE AS "new_rows" FOR EACH STATEMENT EXECUTE FUNCTION "employees_training_department_summarise"();
CREATE TRIGGER "employees_training_department_summary_delete" AFTER DELETE ON "employees"
  REFERENCING OLD TABLE AS "old_rows" FOR EACH STATEMENT EXECUTE FUNCTION "employees_training_department_summarise"();

-- Backfill: every (department, item) with a current row of someone who has not departed.
INSERT INTO "training_department_summaries" ("department_id", "kind", "item_id", "total", "done", "dues")
SELECT e."department_id", 'course', a."course_id", count(*)::int, count(*) FILTER (WHERE a."status" = 'COMPLETED')::int,
       COALESCE(array_agg(a."due_at" ORDER BY a."due_at") FILTER (WHERE a."status" = 'ASSIGNED'), '{}')
  FROM "training_assignments" a JOIN "employees" e ON e."id" = a."employee_id"
 WHERE a."current" AND e."status" <> 'DEPARTED'
 GROUP BY e."department_id", a."course_id"
UNION ALL
SELECT e."department_id", 'policy', k."document_id", count(*)::int, count(*) FILTER (WHERE k."acknowledged_at" IS NOT NULL)::int,
       COALESCE(array_agg(k."due_at" ORDER BY k."due_at") FILTER (WHERE k."acknowledged_at" IS NULL), '{}')
  FROM "policy_acknowledgements" k JOIN "employees" e ON e."id" = k."employee_id"
 WHERE k."current" AND e."status" <> 'DEPARTED'
 GROUP BY e."department_id", k."document_id";
