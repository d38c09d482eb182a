import { createCipheriv, createDecipheriv, createHash, createHmac, hkdfSync, randomBytes, timingSafeEqual } from "node:crypto";

// Personal information at rest (SPEC §5, §7): identifiers and phone numbers are stored as
// AES-256-GCM tokens, found by exact value through a keyed hash, and shown masked.
//
// One master key (PII_ENCRYPTION_KEY, base64 of 32 random bytes) gives two keys by HKDF-SHA256
// with different "info": one encrypts, the other keys the HMAC, so a hash never helps an attack
// on the cipher and vice versa. During a rotation PII_ENCRYPTION_KEY_PREVIOUS holds the old
// master key: tokens name the key that made them, so both decrypt, and searches try both hashes
// until scripts/pii-rotate-key.ts has rewritten every row (docs/pii-encryption.md).
//
// Token: v1.<keyId>.<iv>.<ciphertext>.<tag>, each part base64url. The IV is 96 random bits per
// encryption; "v1.<keyId>" is the GCM additional data, so a token whose version or key id was
// changed fails like one whose ciphertext, IV or tag was.

export const TOKEN_VERSION = "v1";
const ENC_INFO = "wegovern/pii/aes-256-gcm/v1";
const HASH_INFO = "wegovern/pii/hmac-sha256/v1";
const ID_INFO = "wegovern/pii/key-id/v1";

/** A missing or malformed key: a configuration problem, said in one clear sentence. */
export class PiiKeyError extends Error {
  constructor(message: string) {
    super(message);
    this.name = "PiiKeyError";
  }
}

/** A token that is not ours, was altered, or was made with a key we do not have. */
export class PiiDecryptError extends Error {
  constructor(message: string) {
    super(message);
    this.name = "PiiDecryptError";
  }
}

export type PiiKey = { id: string; encKey: Buffer; hashKey: Buffer };
export type PiiKeyring = { current: PiiKey; previous: PiiKey | null };

/** A key from its base64 text (the form `openssl rand -base64 32` prints). */
export function parseKey(raw: string, name = "PII_ENCRYPTION_KEY"): PiiKey {
  const text = raw.trim();
  if (!/^[A-Za-z0-9+/_-]+={0,2}$/.test(text)) throw new PiiKeyError(`${name} is not base64 (generate one with: openssl rand -base64 32)`);
  const master = Buffer.from(text.replace(/-/g, "+").replace(/_/g, "/"), "base64");
  if (master.length !== 32) throw new PiiKeyError(`${name} must be 32 bytes in base64 (it decodes to ${master.length}); generate one with: openssl rand -base64 32`);
  const derive = (info: string) => Buffer.from(hkdfSync("sha256", master, Buffer.alloc(0), info, 32));
  const id = createHash("sha256").update(derive(ID_INFO)).digest("base64url").slice(0, 8);
  return { id, encKey: derive(ENC_INFO), hashKey: derive(HASH_INFO) };
}

/** A fresh master key in the form PII_ENCRYPTION_KEY takes. */
export function generateKey(): string {
  return randomBytes(32).toString("base64");
}

let cached: { current: string; previous: string; ring: PiiKeyring } | null = null;

/** The keyring from the environment (read on each call, parsed once per value). */
export function keyringFromEnv(env: Record<string, string | undefined> = process.env): PiiKeyring {
  const current = env.PII_ENCRYPTION_KEY ?? "";
  const previous = env.PII_ENCRYPTION_KEY_PREVIOUS ?? "";
  if (cached && cached.current === current && cached.previous === previous) return cached.ring;
  if (!current.trim()) {
    throw new PiiKeyError("PII_ENCRYPTION_KEY is not set: personal information cannot be encrypted or read (npm start generates one into .data/pii-key; see docs/pii-encryption.md)");
  }
  const ring = { current: parseKey(current), previous: previous.trim() ? parseKey(previous, "PII_ENCRYPTION_KEY_PREVIOUS") : null };
  if (ring.previous && ring.previous.id === ring.current.id) ring.previous = null;
  cached = { current, previous, ring };
  return ring;
}

const aad = (keyId: string) => Buffer.from(`${TOKEN_VERSION}.${keyId}`, "utf8");

export function encrypt(value: string, ring: PiiKeyring = keyringFromEnv()): string {
  const key = ring.current;
  const iv = randomBytes(12);
  const cipher = createCipheriv("aes-256-gcm", key.encKey, iv);
  cipher.setAAD(aad(key.id));
  const ciphertext = Buffer.concat([cipher.update(value, "utf8"), cipher.final()]);
  const tag = cipher.getAuthTag();
  return [TOKEN_VERSION, key.id, iv.toString("base64url"), ciphertext.toString("base64url"), tag.toString("base64url")].join(".");
}

/** The id of the key that made a token (null for anything that is not a token). */
export function tokenKeyId(token: string): string | null {
  const parts = token.split(".");
  return parts.length === 5 && parts[0] === TOKEN_VERSION ? parts[1] : null;
}

export function decrypt(token: string, ring: PiiKeyring = keyringFromEnv()): string {
  const parts = token.split(".");
  if (parts.length !== 5 || parts[0] !== TOKEN_VERSION) throw new PiiDecryptError("Not an encrypted value of this application (unknown token format)");
  const [, keyId, ivText, ctText, tagText] = parts;
  const key = [ring.current, ring.previous].find((k) => k?.id === keyId);
  if (!key) throw new PiiDecryptError(`Encrypted with key ${keyId}, which is neither PII_ENCRYPTION_KEY nor PII_ENCRYPTION_KEY_PREVIOUS`);
  const iv = Buffer.from(ivText, "base64url");
  const tag = Buffer.from(tagText, "base64url");
  if (iv.length !== 12 || tag.length !== 16) throw new PiiDecryptError("Encrypted value is damaged (IV or tag has the wrong length)");
  try {
    const decipher = createDecipheriv("aes-256-gcm", key.encKey, iv);
    decipher.setAAD(aad(keyId));
    decipher.setAuthTag(tag);
    return Buffer.concat([decipher.update(Buffer.from(ctText, "base64url")), decipher.final()]).toString("utf8");
  } catch {
    throw new PiiDecryptError("Encrypted value failed its integrity check (altered, or made with another key)");
  }
}

// ---------------------------------------------------------------------------------------------
// Normalisation, keyed hash, masks

export type PiiKind = "phone" | "identifier";

/**
 * A phone number as digits only, without the country prefix (+86, 0086, or 86 before an 11-digit
 * mainland number), so "+86 138-0013-8000" and "13800138000" are the same number.
 */
export function normalisePhone(value: string): string {
  const trimmed = value.trim();
  let digits = trimmed.replace(/\D/g, "");
  if (digits.startsWith("0086")) digits = digits.slice(4);
  else if (/^\+\s*86/.test(trimmed) || (digits.length === 13 && digits.startsWith("86"))) digits = digits.slice(2);
  return digits;
}

/**
 * A platform identifier trimmed, case kept: WeCom user ids, OpenIDs, AppIDs (wx…) and original
 * ids (gh_…) are case-sensitive on the platforms, so folding case could make two different
 * accounts one (and refuse the second as a duplicate). Unicode is NFC-normalised so the same text
 * typed on two devices hashes the same.
 */
export function normaliseIdentifier(value: string): string {
  return value.trim().normalize("NFC");
}

export function normalise(kind: PiiKind, value: string): string {
  return kind === "phone" ? normalisePhone(value) : normaliseIdentifier(value);
}

function hmac(key: PiiKey, kind: PiiKind, value: string): string {
  // The kind is part of the message: a phone number and an identifier with the same text differ.
  return createHmac("sha256", key.hashKey).update(`${kind}\u0000${normalise(kind, value)}`, "utf8").digest("base64url");
}

/** The keyed hash stored beside a token: equal values give equal hashes under one key. */
export function hashValue(kind: PiiKind, value: string, ring: PiiKeyring = keyringFromEnv()): string {
  return hmac(ring.current, kind, value);
}

/** The hashes a search compares against: the current key's, and during a rotation the previous
 * key's (rows not rewritten yet carry that one). */
export function hashCandidates(kind: PiiKind, value: string, ring: PiiKeyring = keyringFromEnv()): string[] {
  return ring.previous ? [hmac(ring.current, kind, value), hmac(ring.previous, kind, value)] : [hmac(ring.current, kind, value)];
}

const STARS = "****";

/** 138****5678 for an 11-digit mainland number; anything else as an identifier. */
export function maskPhone(value: string): string {
  const digits = normalisePhone(value);
  if (/^\d{11}$/.test(digits)) return `${digits.slice(0, 3)}${STARS}${digits.slice(7)}`;
  return maskIdentifier(digits || value);
}

/** First two and last two characters visible (wx****ab); six characters or fewer fully masked,
 * since showing four of them would give most of the value away. */
export function maskIdentifier(value: string): string {
  const chars = Array.from(normaliseIdentifier(value));
  if (chars.length <= 6) return STARS;
  return `${chars.slice(0, 2).join("")}${STARS}${chars.slice(-2).join("")}`;
}

export function mask(kind: PiiKind, value: string): string {
  return kind === "phone" ? maskPhone(value) : maskIdentifier(value);
}

/** What a table stores for one value: the token, its hash and its mask. */
export type ProtectedValue = { cipher: string; hash: string; mask: string };

export function protect(kind: PiiKind, value: string, ring: PiiKeyring = keyringFromEnv()): ProtectedValue {
  const normalised = normalise(kind, value);
  return { cipher: encrypt(normalised, ring), hash: hmac(ring.current, kind, normalised), mask: mask(kind, normalised) };
}

/** Constant-time comparison of two hashes. */
export function sameHash(a: string, b: string): boolean {
  const x = Buffer.from(a);
  const y = Buffer.from(b);
  return x.length === y.length && timingSafeEqual(x, y);
}
