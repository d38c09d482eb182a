import { describe, expect, it } from "vitest";
import {
  decrypt,
  encrypt,
  generateKey,
  hashCandidates,
  hashValue,
  keyringFromEnv,
  maskIdentifier,
  maskPhone,
  normaliseIdentifier,
  normalisePhone,
  parseKey,
  PiiDecryptError,
  PiiKeyError,
  protect,
  tokenKeyId,
  type PiiKeyring,
} from "./index";

const ring = (current = generateKey(), previous?: string): PiiKeyring => ({ current: parseKey(current), previous: previous ? parseKey(previous) : null });

function alter(token: string, part: number): string {
  const parts = token.split(".");
  const bytes = Buffer.from(parts[part], "base64url");
  bytes[0] ^= 0x01;
  parts[part] = bytes.toString("base64url");
  return parts.join(".");
}

describe("encryption", () => {
  it("round-trips text, Chinese included, with a fresh IV each time", () => {
    const r = ring();
    for (const value of ["wxid_abc123", "13800138000", "李小雨的企业微信", ""]) {
      const token = encrypt(value, r);
      expect(token).toMatch(/^v1\.[A-Za-z0-9_-]{8}\.[A-Za-z0-9_-]{16}\.[A-Za-z0-9_-]*\.[A-Za-z0-9_-]{22}$/);
      expect(token).not.toContain(value || "\u0000");
      expect(decrypt(token, r)).toBe(value);
    }
    expect(encrypt("same", r)).not.toBe(encrypt("same", r));
  });

  it("detects an altered IV, ciphertext, tag or key id", () => {
    const r = ring();
    const token = encrypt("wxid_secret_value", r);
    for (const part of [2, 3, 4]) expect(() => decrypt(alter(token, part), r)).toThrow(PiiDecryptError);
    const parts = token.split(".");
    expect(() => decrypt([parts[0], "AAAAAAAA", ...parts.slice(2)].join("."), r)).toThrow(PiiDecryptError);
    expect(() => decrypt("not-a-token", r)).toThrow(PiiDecryptError);
  });

  it("refuses a token made with another key", () => {
    const token = encrypt("13800138000", ring());
    expect(() => decrypt(token, ring())).toThrow(/neither PII_ENCRYPTION_KEY/);
  });

  it("reads tokens of the previous key during a rotation and writes with the new one", () => {
    const oldKey = generateKey();
    const newKey = generateKey();
    const oldToken = encrypt("gh_1234567890ab", ring(oldKey));
    const rotating = ring(newKey, oldKey);
    expect(decrypt(oldToken, rotating)).toBe("gh_1234567890ab");
    expect(tokenKeyId(encrypt("x", rotating))).toBe(rotating.current.id);
    expect(tokenKeyId(oldToken)).toBe(rotating.previous!.id);
  });
});

describe("keys", () => {
  it("says clearly what is wrong with a missing or malformed key", () => {
    expect(() => keyringFromEnv({})).toThrow(PiiKeyError);
    expect(() => keyringFromEnv({})).toThrow(/PII_ENCRYPTION_KEY is not set/);
    expect(() => keyringFromEnv({ PII_ENCRYPTION_KEY: "短的" })).toThrow(/not base64/);
    expect(() => keyringFromEnv({ PII_ENCRYPTION_KEY: Buffer.alloc(16).toString("base64") })).toThrow(/32 bytes.*decodes to 16/);
    expect(() => keyringFromEnv({ PII_ENCRYPTION_KEY: generateKey(), PII_ENCRYPTION_KEY_PREVIOUS: "bad!" })).toThrow(/PII_ENCRYPTION_KEY_PREVIOUS/);
  });

  it("derives a stable key id and distinct keys for encryption and hashing", () => {
    const raw = generateKey();
    const a = parseKey(raw);
    const b = parseKey(raw);
    expect(a.id).toBe(b.id);
    expect(a.encKey.equals(a.hashKey)).toBe(false);
    expect(a.id).not.toBe(parseKey(generateKey()).id);
  });
});

describe("keyed hash", () => {
  it("is stable for a value and normalises phone numbers", () => {
    const r = ring();
    const h = hashValue("phone", "13800138000", r);
    expect(hashValue("phone", "13800138000", r)).toBe(h);
    for (const v of ["+86 138 0013 8000", "+8613800138000", "008613800138000", "138-0013-8000", " 13800138000 "]) expect(hashValue("phone", v, r)).toBe(h);
    expect(hashValue("phone", "13800138001", r)).not.toBe(h);
    // Same text as an identifier is a different value.
    expect(hashValue("identifier", "13800138000", r)).not.toBe(h);
  });

  it("keeps the case of identifiers and trims them", () => {
    const r = ring();
    expect(hashValue("identifier", "  wxid_AbC  ", r)).toBe(hashValue("identifier", "wxid_AbC", r));
    expect(hashValue("identifier", "wxid_abc", r)).not.toBe(hashValue("identifier", "wxid_AbC", r));
    expect(normaliseIdentifier(" Ab ")).toBe("Ab");
  });

  it("differs per key, and offers both hashes during a rotation", () => {
    const oldKey = generateKey();
    const newKey = generateKey();
    const oldHash = hashValue("identifier", "wxid_x", ring(oldKey));
    const candidates = hashCandidates("identifier", "wxid_x", ring(newKey, oldKey));
    expect(candidates).toHaveLength(2);
    expect(candidates[1]).toBe(oldHash);
    expect(candidates[0]).not.toBe(oldHash);
  });
});

describe("normalisation and masks", () => {
  it("normalises phone numbers to digits without the country prefix", () => {
    expect(normalisePhone("+86 138-0013-8000")).toBe("13800138000");
    expect(normalisePhone("0086 13800138000")).toBe("13800138000");
    expect(normalisePhone("8613800138000")).toBe("13800138000");
    expect(normalisePhone("13800138000")).toBe("13800138000");
  });

  it("masks phones as 138****5678 and identifiers as wx****ab", () => {
    expect(maskPhone("13812345678")).toBe("138****5678");
    expect(maskPhone("+86 138 1234 5678")).toBe("138****5678");
    expect(maskIdentifier("wxid_9f8e7dab")).toBe("wx****ab");
    expect(maskIdentifier("gh_0a1b2c3d4e5f")).toBe("gh****5f");
    expect(maskIdentifier("李小雨的企业号")).toBe("李小****业号");
    expect(maskIdentifier("abcdef")).toBe("****");
    expect(maskIdentifier("ab")).toBe("****");
  });

  it("protect gives the token, hash and mask of the normalised value", () => {
    const r = ring();
    const p = protect("phone", "+86 13812345678", r);
    expect(decrypt(p.cipher, r)).toBe("13812345678");
    expect(p.hash).toBe(hashValue("phone", "13812345678", r));
    expect(p.mask).toBe("138****5678");
  });
});
