-- Issue 13 item 4: every chain resolves. A step whose only possible deciders are the requester or
-- the deciders of other steps of the same request passes automatically when it becomes due (the
-- peers' 审批人去重 / 自动通过), with its reason in the step's resolution and an audit event; it is
-- decided by nobody (decided_by_id stays null). Nothing in this migration uses the new value, so
-- it can be added in the migration's transaction.

-- AlterEnum
ALTER TYPE "ApprovalStepStatus" ADD VALUE 'AUTO_APPROVED';
