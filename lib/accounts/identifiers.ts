import "server-only";
import { decrypt, hashCandidates, PiiDecryptError, PiiKeyError, protect, type PiiKind, type ProtectedValue } from "@/lib/pii";
import { DomainError } from "@/lib/server/errors";

// lib/pii for the accounts: a missing or malformed key, or a value that no longer decrypts, is a
// clear refusal in the person's language (and one line in the server log for the operator), never
// a stack trace.

function unavailable(error: unknown): never {
  if (error instanceof PiiKeyError || error instanceof PiiDecryptError) {
    console.error(`[pii] ${error.message}`);
    throw new DomainError("INVALID_STATE", error instanceof PiiKeyError ? "accounts.errors.piiKey" : "accounts.errors.piiDecrypt");
  }
  throw error;
}

export function protectValue(kind: PiiKind, value: string): ProtectedValue {
  try {
    return protect(kind, value);
  } catch (error) {
    unavailable(error);
  }
}

export function searchHashes(kind: PiiKind, value: string): string[] {
  try {
    return hashCandidates(kind, value);
  } catch (error) {
    unavailable(error);
  }
}

export function revealValue(token: string): string {
  try {
    return decrypt(token);
  } catch (error) {
    unavailable(error);
  }
}
