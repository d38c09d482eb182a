-- WeCom's list of leavers' unassigned customers (externalcontact/get_unassigned_list), as last read
-- (issue 15 item 4, lib/wecom/unassigned.ts, docs/wecom.md "Unassigned leavers"). The customer's
-- external_userid is personal information: a lib/pii token, its keyed hash and a mask.

CREATE TABLE "wecom_unassigned_customers" (
    "id" TEXT NOT NULL,
    "handover_userid" TEXT NOT NULL,
    "external_id_cipher" TEXT NOT NULL,
    "external_id_hash" TEXT NOT NULL,
    "external_id_mask" TEXT NOT NULL,
    "dimission_time" TIMESTAMPTZ(3),
    "employee_id" TEXT,
    "first_seen_at" TIMESTAMPTZ(3) NOT NULL,
    "last_seen_at" TIMESTAMPTZ(3) NOT NULL,

    CONSTRAINT "wecom_unassigned_customers_pkey" PRIMARY KEY ("id")
);

CREATE UNIQUE INDEX "wecom_unassigned_customers_handover_userid_external_id_hash_key" ON "wecom_unassigned_customers"("handover_userid", "external_id_hash");
CREATE INDEX "wecom_unassigned_customers_employee_id_idx" ON "wecom_unassigned_customers"("employee_id");

