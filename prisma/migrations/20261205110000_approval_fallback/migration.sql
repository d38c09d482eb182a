-- Issue 13 items 3 and 4: every chain resolves. A step nobody else can decide falls back to the
-- chain's fallback roles, in order (ADMIN sets them with the chain); a request keeps the list it
-- was submitted with, for the steps re-resolved when they become due.

-- AlterTable
ALTER TABLE "approval_chains" ADD COLUMN "fallback_roles" JSONB NOT NULL DEFAULT '["ADMIN", "PRIVACY_OFFICER"]';

-- AlterTable
ALTER TABLE "approval_requests" ADD COLUMN "fallback_roles" JSONB NOT NULL DEFAULT '["ADMIN", "PRIVACY_OFFICER"]';
