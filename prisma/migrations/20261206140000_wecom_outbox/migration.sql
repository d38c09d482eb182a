-- The WeCom outbox (issue 15): changes to send to WeCom, recorded in the transaction that decides
-- them and sent after commit by lib/offboarding/outbox.ts. One row per contact-transfer attempt
-- (idempotency_key unique), so two people or two workers starting the same case give one call per
-- contact. docs/offboarding-wecom.md explains the states and the reconciliation after a crash.

CREATE TYPE "WeComOutboxState" AS ENUM ('PENDING', 'SENDING', 'SENT', 'FAILED', 'UNKNOWN');

CREATE TABLE "wecom_outbox" (
    "id" TEXT NOT NULL,
    "kind" TEXT NOT NULL,
    "idempotency_key" TEXT NOT NULL,
    "contact_transfer_id" TEXT,
    "handover_item_id" TEXT,
    "handover_userid" TEXT NOT NULL,
    "takeover_userid" TEXT NOT NULL,
    "target_cipher" TEXT,
    "chat_id" TEXT,
    "group_id" TEXT,
    "not_before" TIMESTAMPTZ(3),
    "api" TEXT,
    "state" "WeComOutboxState" NOT NULL DEFAULT 'PENDING',
    "batch_id" TEXT,
    "lease_until" TIMESTAMPTZ(3),
    "attempts" INTEGER NOT NULL DEFAULT 0,
    "errcode" INTEGER,
    "answer" JSONB,
    "sent_at" TIMESTAMPTZ(3),
    "created_at" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "updated_at" TIMESTAMPTZ(3) NOT NULL,

    CONSTRAINT "wecom_outbox_pkey" PRIMARY KEY ("id"),
    CONSTRAINT "wecom_outbox_kind_check" CHECK ("kind" IN ('CUSTOMER_TRANSFER', 'GROUP_TRANSFER')),
    -- A customer transfer names the customer (encrypted); a group transfer the chat.
    CONSTRAINT "wecom_outbox_target_check" CHECK (("kind" = 'CUSTOMER_TRANSFER' AND "target_cipher" IS NOT NULL) OR ("kind" = 'GROUP_TRANSFER' AND "chat_id" IS NOT NULL))
);

CREATE UNIQUE INDEX "wecom_outbox_idempotency_key_key" ON "wecom_outbox"("idempotency_key");
CREATE UNIQUE INDEX "wecom_outbox_contact_transfer_id_key" ON "wecom_outbox"("contact_transfer_id");
CREATE INDEX "wecom_outbox_state_handover_userid_takeover_userid_idx" ON "wecom_outbox"("state", "handover_userid", "takeover_userid");
CREATE INDEX "wecom_outbox_batch_id_idx" ON "wecom_outbox"("batch_id");

ALTER TABLE "wecom_outbox" ADD CONSTRAINT "wecom_outbox_contact_transfer_id_fkey" FOREIGN KEY ("contact_transfer_id") REFERENCES "contact_transfers"("id") ON DELETE RESTRICT ON UPDATE CASCADE;

-- A transfer carried out through WeCom follows WeCom's answers, not the local 24-hour timer.
ALTER TABLE "contact_transfers" ADD COLUMN "via_wecom" BOOLEAN NOT NULL DEFAULT false;

-- What WeCom said about a handover item: the errcode of the transfer call, and the status of
-- transfer_result (1 done, 2 waiting, 3 refused, 4 successor's limit, 5 no record).
ALTER TABLE "handover_items" ADD COLUMN "wecom_errcode" INTEGER;
ALTER TABLE "handover_items" ADD COLUMN "wecom_transfer_status" INTEGER;
