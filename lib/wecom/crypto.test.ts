import { createDecipheriv, randomBytes } from "node:crypto";
import { describe, expect, it } from "vitest";
import { aesKeyFrom, decryptMessage, encryptMessage, openMessage, sealMessage, signature, WeComCryptoError } from "./crypto";

// WeCom's published test vector (doc 90968, GET URL verification), from ../shared/reference/wecom-api.md.
const V = {
  corpId: "wx5823bf96d3bd56c7",
  token: "QDG6eK",
  aesKey: "jWmYm7qr5nMoAUwZRjGtBxmz3KA1tkAj3ykkR6q2B2C",
  msgSignature: "5c45ff5e21c57e6ad56bac8758b79b1d9ac89fd3",
  timestamp: "1409659589",
  nonce: "263014780",
  echostr: "P9nAzCzyDtyTWESHep1vC5X9xho/qYX3Zpb4yKa9SKld1DsH3Iyt3tP3zNdtp+4RPcs8TgAE7OaBO+FZXvnaqQ==",
  plain: "1616140317555161061",
};

function reason(fn: () => unknown): string {
  try {
    fn();
  } catch (e) {
    if (e instanceof WeComCryptoError) return e.reason;
    throw e;
  }
  return "NO_ERROR";
}

describe("WeCom callback crypto", () => {
  it("reproduces the published signature and decrypts the published echostr", () => {
    expect(signature(V.token, V.timestamp, V.nonce, V.echostr)).toBe(V.msgSignature);
    expect(openMessage({ token: V.token, encodingAesKey: V.aesKey, receiverId: V.corpId, msgSignature: V.msgSignature, timestamp: V.timestamp, nonce: V.nonce, encrypted: V.echostr })).toBe(V.plain);
  });

  it("encrypts so that WeCom's layout comes back: the same random prefix gives the published ciphertext", () => {
    // Recover the published random prefix by decrypting without the checks, then re-encrypt with it.
    const key = aesKeyFrom(V.aesKey);
    expect(key.length).toBe(32);
    const random = Buffer.from(
      (() => {
        const d = createDecipheriv("aes-256-cbc", key, key.subarray(0, 16));
        d.setAutoPadding(false);
        return Buffer.concat([d.update(Buffer.from(V.echostr, "base64")), d.final()]).subarray(0, 16);
      })(),
    );
    expect(encryptMessage(V.plain, V.aesKey, V.corpId, random)).toBe(V.echostr);
  });

  it("round-trips Chinese text and long messages, padding to 32-byte blocks", () => {
    const aesKey = randomBytes(32).toString("base64").slice(0, 43);
    for (const msg of ["", "成员变更", "x".repeat(31), "y".repeat(32), "<xml>" + "客户群".repeat(2000) + "</xml>"]) {
      const enc = encryptMessage(msg, aesKey, "ww_corp");
      expect(Buffer.from(enc, "base64").length % 32).toBe(0);
      expect(decryptMessage(enc, aesKey, "ww_corp")).toBe(msg);
    }
    const sealed = sealMessage({ token: "tok", encodingAesKey: aesKey, receiverId: "ww_corp", message: "你好", timestamp: "1700000000", nonce: "n1" });
    expect(openMessage({ token: "tok", encodingAesKey: aesKey, receiverId: "ww_corp", msgSignature: sealed.msgSignature, timestamp: "1700000000", nonce: "n1", encrypted: sealed.encrypted })).toBe("你好");
  });

  it("refuses a changed signature, timestamp, nonce, token or ciphertext", () => {
    const base = { token: V.token, encodingAesKey: V.aesKey, receiverId: V.corpId, msgSignature: V.msgSignature, timestamp: V.timestamp, nonce: V.nonce, encrypted: V.echostr };
    expect(reason(() => openMessage({ ...base, msgSignature: V.msgSignature.replace(/^5/, "6") }))).toBe("BAD_SIGNATURE");
    expect(reason(() => openMessage({ ...base, timestamp: "1409659590" }))).toBe("BAD_SIGNATURE");
    expect(reason(() => openMessage({ ...base, nonce: "263014781" }))).toBe("BAD_SIGNATURE");
    expect(reason(() => openMessage({ ...base, token: "QDG6eL" }))).toBe("BAD_SIGNATURE");
    const flipped = Buffer.from(V.echostr, "base64");
    flipped[5] ^= 1;
    const tampered = flipped.toString("base64");
    expect(reason(() => openMessage({ ...base, encrypted: tampered }))).toBe("BAD_SIGNATURE");
    // CBC is not authenticated: a flip in the first block changes the text silently, which is why
    // the signature is checked first. A flip in the last block breaks the padding.
    expect(openMessage({ ...base, encrypted: tampered, msgSignature: signature(V.token, V.timestamp, V.nonce, tampered) })).not.toBe(V.plain);
    const last = Buffer.from(V.echostr, "base64");
    last[last.length - 1] ^= 1;
    const tamperedLast = last.toString("base64");
    expect(["BAD_PADDING", "BAD_LENGTH", "WRONG_RECEIVER"]).toContain(
      reason(() => openMessage({ ...base, encrypted: tamperedLast, msgSignature: signature(V.token, V.timestamp, V.nonce, tamperedLast) })),
    );
  });

  it("refuses another receiver id, a wrong key, broken base64 and damaged padding", () => {
    expect(reason(() => decryptMessage(V.echostr, V.aesKey, "wx5823bf96d3bd56c8"))).toBe("WRONG_RECEIVER");
    expect(reason(() => decryptMessage(V.echostr, V.aesKey, "wx5823bf96d3bd56c"))).toBe("WRONG_RECEIVER");
    expect(reason(() => decryptMessage(V.echostr, V.aesKey.slice(0, 42), V.corpId))).toBe("BAD_KEY");
    expect(reason(() => decryptMessage(V.echostr, "!" + V.aesKey.slice(1), V.corpId))).toBe("BAD_KEY");
    expect(reason(() => decryptMessage("not base64!", V.aesKey, V.corpId))).toBe("BAD_CIPHERTEXT");
    expect(reason(() => decryptMessage(Buffer.alloc(20).toString("base64"), V.aesKey, V.corpId))).toBe("BAD_CIPHERTEXT");
    const otherKey = randomBytes(32).toString("base64").slice(0, 43);
    expect(["BAD_PADDING", "BAD_LENGTH", "WRONG_RECEIVER"]).toContain(reason(() => decryptMessage(V.echostr, otherKey, V.corpId)));
  });
});
