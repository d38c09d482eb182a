-- Issue 20: the groups registry's total without counting every group (docs/performance.md, "The
-- groups registry's total, kept", fourteenth session).
--
-- An administrator's registry with no filter shows how many groups there are. Counting them read
-- all 100,000 entries of an index at scale 1 on every view: 5–6 ms of the page's 7 ms statement.
-- The number is now kept as a sum: each statement that inserts or deletes groups adds one row with
-- its change (+n or −n) in its own transaction, so any snapshot's sum of "delta" is exactly the
-- number of groups that snapshot sees, whoever else is writing. Rows are only ever added, never
-- updated, so two writers never wait for each other on the tally. When more than 64 rows have
-- built up, the statement that finds them replaces every row it can see by one holding their sum;
-- rows another transaction has not yet committed are not visible to it, so they are neither
-- removed nor counted twice. One statement folds at a time (a transaction-level advisory lock,
-- tried, never waited for), so no writer waits for another's fold to delete the same rows. Updates of groups (status changes, the WeCom sync) leave the count alone and fire nothing.
--
-- Filtered views, and people who see part of the registry, still count their groups.
--
-- The migration runs in one transaction. It first takes a lock that lets others read groups but
-- not write them until it commits (a server of the previous version may still be running; CREATE
-- TRIGGER would take the same lock), and it counts the groups only after the triggers exist: the
-- count it starts from and the triggers that carry it on meet with no write between them. Counted
-- before the triggers, the groups a transaction was inserting meanwhile were lost to the tally
-- (tests/groups/tally.test.ts, "the migration that starts the tally").
LOCK TABLE "work_groups" IN SHARE ROW EXCLUSIVE MODE;

CREATE TABLE "work_group_tally" (
    "id" BIGSERIAL NOT NULL,
    "delta" INTEGER NOT NULL,
    CONSTRAINT "work_group_tally_pkey" PRIMARY KEY ("id")
);

-- Adds the statement's change (the rows in its transition table: + for INSERT, − for DELETE), then,
-- once more than 64 rows have built up and no other transaction is folding (two integers
-- (20261215, 0): a key space of its own), replaces the rows this statement can see by their sum.
CREATE FUNCTION "work_group_tally_changed"() RETURNS trigger LANGUAGE plpgsql AS $$
DECLARE
  n INTEGER;
BEGIN
  IF TG_OP = 'INSERT' THEN
    SELECT count(*) INTO n FROM "tally_new";
  ELSE
    SELECT -count(*) INTO n FROM "tally_old";
  END IF;
  IF n <> 0 THEN
    INSERT INTO "work_group_tally" ("delta") VALUES (n);
    IF (SELECT count(*) FROM (SELECT 1 FROM "work_group_tally" LIMIT 65) t) > 64 AND pg_try_advisory_xact_lock(20261215, 0) THEN
      WITH "gone" AS (DELETE FROM "work_group_tally" RETURNING "delta")
      INSERT INTO "work_group_tally" ("delta") SELECT sum("delta") FROM "gone" HAVING count(*) > 0;
    END IF;
  END IF;
  RETURN NULL;
END;
$$;

-- TRUNCATE holds the table exclusively, so every writer before it has committed: what is left is
-- nothing.
CREATE FUNCTION "work_group_tally_truncated"() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
  DELETE FROM "work_group_tally";
  RETURN NULL;
END;
$$;

CREATE TRIGGER "work_groups_tally_insert" AFTER INSERT ON "work_groups" REFERENCING NEW TABLE AS "tally_new" FOR EACH STATEMENT EXECUTE FUNCTION "work_group_tally_changed"();
CREATE TRIGGER "work_groups_tally_delete" AFTER DELETE ON "work_groups" REFERENCING OLD TABLE AS "tally_old" FOR EACH STATEMENT EXECUTE FUNCTION "work_group_tally_changed"();
CREATE TRIGGER "work_groups_tally_truncate" AFTER TRUNCATE ON "work_groups" FOR EACH STATEMENT EXECUTE FUNCTION "work_group_tally_truncated"();

-- Where the sum starts: every group there is.
INSERT INTO "work_group_tally" ("delta") SELECT count(*) FROM "work_groups";
