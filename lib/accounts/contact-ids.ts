import { hashCandidates, keyringFromEnv, protect, type PiiKeyring, type ProtectedValue } from "@/lib/pii";

// A customer's external id (WeCom's external_userid) as the customer_contacts and
// contact_transfers columns store it: token, keyed hash and mask (lib/pii, kind "identifier").
// The hash is the key of "this customer on this account" (unique with the account) and of the
// 90-day transfer count; lists show the mask; only accounts.reveal decrypts. Kept free of
// "server-only": the WeCom sync (worker), the seeds and the fixtures write contacts too.

export function protectExternalId(value: string, ring: PiiKeyring = keyringFromEnv()): ProtectedValue {
  return protect("identifier", value, ring);
}

/** The Prisma fields of a contact's (or a transfer's) external id. */
export function externalIdFields(value: string, ring: PiiKeyring = keyringFromEnv()) {
  const p = protect("identifier", value, ring);
  return { externalIdCipher: p.cipher, externalIdHash: p.hash, externalIdMask: p.mask };
}

/** The hashes an exact external id is found by (both keys' during a rotation). */
export function externalIdHashes(value: string, ring: PiiKeyring = keyringFromEnv()): string[] {
  return hashCandidates("identifier", value, ring);
}
