import { decrypt, hashCandidates, PiiDecryptError, PiiKeyError, protect, type ProtectedValue } from "@/lib/pii";
import { DomainError } from "@/lib/server/errors";

// lib/pii for the data subjects (the same module and key as the accounts). Phones are the "phone"
// kind; WeCom external ids and e-mail addresses the "identifier" kind (e-mail lower-cased first,
// since mailboxes are not case-sensitive in practice). A missing key or a value that no longer
// decrypts is a clear refusal, never a stack trace.

export type IdentifierField = "phone" | "wecomId" | "email";
export const IDENTIFIER_FIELDS: readonly IdentifierField[] = ["phone", "wecomId", "email"];

const kindOf = (field: IdentifierField) => (field === "phone" ? "phone" : "identifier");
const prepare = (field: IdentifierField, value: string) => (field === "email" ? value.trim().toLowerCase() : value);

function unavailable(error: unknown): never {
  if (error instanceof PiiKeyError || error instanceof PiiDecryptError) {
    console.error(`[pii] ${error.message}`);
    throw new DomainError("INVALID_STATE", error instanceof PiiKeyError ? "privacy.errors.piiKey" : "privacy.errors.piiDecrypt");
  }
  throw error;
}

export function protectIdentifier(field: IdentifierField, value: string): ProtectedValue {
  try {
    const p = protect(kindOf(field), prepare(field, value));
    if (field === "email") {
      const [local, domain] = prepare(field, value).split("@");
      p.mask = `${local.slice(0, 1)}***@${domain}`;
    }
    return p;
  } catch (error) {
    unavailable(error);
  }
}

export function identifierHashes(field: IdentifierField, value: string): string[] {
  try {
    return hashCandidates(kindOf(field), prepare(field, value));
  } catch (error) {
    unavailable(error);
  }
}

export function revealIdentifier(token: string): string {
  try {
    return decrypt(token);
  } catch (error) {
    unavailable(error);
  }
}

/** Which field a free-text identifier most likely is: a mobile number, an e-mail, else a WeCom id. */
export function guessField(value: string): IdentifierField {
  const v = value.trim();
  if (v.includes("@")) return "email";
  if (/^(?:\+86|0086)?1[3-9]\d{9}$/.test(v.replace(/[\s-]/g, ""))) return "phone";
  return "wecomId";
}
