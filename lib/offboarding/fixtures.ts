import { protectExternalId } from "@/lib/accounts/contact-ids";
import { newId } from "@/lib/ids";
import { keyringFromEnv } from "@/lib/pii";
import type { Tx } from "@/lib/server/prisma-client";

// Test and benchmark fixtures: an account held by an employee with many customer contacts,
// written set-based (one statement for thousands), and a live work group. Direct writes, no actor
// or audit: set-up only, never a request.

export async function makeAccountWithContacts(tx: Tx, data: { holderId: string; departmentId: string; contacts: number; externalPrefix?: string; name?: string }) {
  const id = newId();
  await tx.account.create({
    data: {
      id,
      type: "WECOM_MEMBER",
      displayName: data.name ?? `企业微信 ${id.slice(0, 6)}`,
      platformIdCipher: "fixture",
      platformIdHash: `hash-${id}`,
      platformIdMask: "wx****01",
      holderId: data.holderId,
      custodianDepartmentId: data.departmentId,
      status: "ACTIVE",
      requestedById: data.holderId,
    },
  });
  const prefix = data.externalPrefix ?? `ext-${id.slice(0, 8)}`;
  // External ids are personal information (lib/pii): encrypted, hashed and masked here, then
  // written in one statement.
  const ring = keyringFromEnv();
  const ids = Array.from({ length: data.contacts }, (_, k) => protectExternalId(`${prefix}-${k + 1}`, ring));
  await tx.$executeRaw`
    INSERT INTO "customer_contacts" ("id", "account_id", "external_id_cipher", "external_id_hash", "external_id_mask", "name", "company", "added_at", "status", "updated_at")
    SELECT replace(gen_random_uuid()::text, '-', ''), ${id}, u.c, u.h, u.m, '客户' || u.g, CASE WHEN u.g % 2 = 0 THEN '甲公司' ELSE '乙公司' END,
           now(), 'ACTIVE', now()
    FROM unnest(${ids.map((p) => p.cipher)}::text[], ${ids.map((p) => p.hash)}::text[], ${ids.map((p) => p.mask)}::text[]) WITH ORDINALITY AS u(c, h, m, g)`;
  return { id, externalPrefix: prefix };
}

export async function makeWorkGroup(tx: Tx, data: { ownerId: string; departmentId: string; name?: string }) {
  return tx.workGroup.create({
    data: {
      id: newId(),
      name: data.name ?? `群-${Date.now().toString(36)}`,
      nameParts: {},
      policyVersion: 1,
      purpose: "fixture",
      platform: "WECOM",
      kind: "EXTERNAL",
      departmentId: data.departmentId,
      ownerId: data.ownerId,
      requesterId: data.ownerId,
      classification: "INTERNAL",
      expectedSize: 10,
      status: "ACTIVE",
    },
  });
}
