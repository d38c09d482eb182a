-- Revocable sessions (docs/decisions/0003-sign-in-and-sessions.md). The session cookie carries the
-- person's session version from sign-in; every request compares it with this column, read in the
-- same query that re-reads the person. Raising it ends every session the person holds.
ALTER TABLE "employees" ADD COLUMN "session_version" INTEGER NOT NULL DEFAULT 0;

-- Whatever writes the change (the directory, the offboarding sweep, a script, SQL by hand), a new
-- password and a departure end the person's sessions.
CREATE FUNCTION "employees_end_sessions"() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
  IF NEW."password_hash" IS DISTINCT FROM OLD."password_hash"
     OR (NEW."status" = 'DEPARTED' AND OLD."status" <> 'DEPARTED') THEN
    NEW."session_version" := GREATEST(NEW."session_version", OLD."session_version" + 1);
  END IF;
  RETURN NEW;
END $$;
CREATE TRIGGER "employees_end_sessions" BEFORE UPDATE OF "password_hash", "status" ON "employees"
  FOR EACH ROW EXECUTE FUNCTION "employees_end_sessions"();

-- Losing a role (or having it replaced) ends the person's sessions too.
CREATE FUNCTION "employee_roles_end_sessions"() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
  UPDATE "employees" SET "session_version" = "session_version" + 1 WHERE "id" = OLD."employee_id";
  RETURN NULL;
END $$;
CREATE TRIGGER "employee_roles_end_sessions" AFTER DELETE OR UPDATE OF "role", "employee_id" ON "employee_roles"
  FOR EACH ROW EXECUTE FUNCTION "employee_roles_end_sessions"();
