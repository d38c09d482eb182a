import { createCipheriv, createDecipheriv, createHash, randomBytes, timingSafeEqual } from "node:crypto";

// WeCom's callback encryption (回调加解密, doc 90968 / 90930), byte for byte:
// - msg_signature = hex SHA-1 of token, timestamp, nonce and the ciphertext, sorted as strings and
//   concatenated;
// - the AES key is base64(EncodingAESKey + "="), 32 bytes; AES-256-CBC, IV = the key's first 16
//   bytes; PKCS#7 padding to 32-byte blocks (not AES's 16);
// - plaintext = 16 random bytes ‖ message length (4 bytes, big-endian) ‖ message ‖ receiver id
//   (the corp id for a self-built app), and the receiver id must be ours.
// Every failure is a WeComCryptoError with a reason code (never the key, the token or the text).

export type WeComCryptoReason = "BAD_KEY" | "BAD_SIGNATURE" | "BAD_CIPHERTEXT" | "BAD_PADDING" | "BAD_LENGTH" | "WRONG_RECEIVER";

export class WeComCryptoError extends Error {
  constructor(readonly reason: WeComCryptoReason, message: string) {
    super(message);
    this.name = "WeComCryptoError";
  }
}

const BLOCK = 32;

/** The 32-byte AES key from a 43-character EncodingAESKey (throws BAD_KEY otherwise). */
export function aesKeyFrom(encodingAesKey: string): Buffer {
  if (!/^[A-Za-z0-9+/]{43}$/.test(encodingAesKey)) throw new WeComCryptoError("BAD_KEY", "EncodingAESKey must be 43 characters of letters, digits, + and /");
  const key = Buffer.from(`${encodingAesKey}=`, "base64");
  if (key.length !== 32) throw new WeComCryptoError("BAD_KEY", "EncodingAESKey does not decode to 32 bytes");
  return key;
}

/** msg_signature: sha1 of the four strings sorted and joined, lower-case hex. */
export function signature(token: string, timestamp: string, nonce: string, encrypted: string): string {
  const parts = [token, timestamp, nonce, encrypted].sort();
  return createHash("sha1").update(parts.join(""), "utf8").digest("hex");
}

/** Constant-time comparison of a received msg_signature with the expected one. */
export function verifySignature(expected: { token: string; timestamp: string; nonce: string; encrypted: string }, received: string): boolean {
  const want = Buffer.from(signature(expected.token, expected.timestamp, expected.nonce, expected.encrypted), "utf8");
  const got = Buffer.from(received.toLowerCase(), "utf8");
  return want.length === got.length && timingSafeEqual(want, got);
}

/** Encrypts a message for `receiverId` (random 16 bytes prefix unless given, for tests). */
export function encryptMessage(message: string, encodingAesKey: string, receiverId: string, random: Buffer = randomBytes(16)): string {
  const key = aesKeyFrom(encodingAesKey);
  if (random.length !== 16) throw new WeComCryptoError("BAD_LENGTH", "the random prefix must be 16 bytes");
  const msg = Buffer.from(message, "utf8");
  const len = Buffer.alloc(4);
  len.writeUInt32BE(msg.length, 0);
  const plain = Buffer.concat([random, len, msg, Buffer.from(receiverId, "utf8")]);
  const pad = BLOCK - (plain.length % BLOCK);
  const padded = Buffer.concat([plain, Buffer.alloc(pad, pad)]);
  const cipher = createCipheriv("aes-256-cbc", key, key.subarray(0, 16));
  cipher.setAutoPadding(false);
  return Buffer.concat([cipher.update(padded), cipher.final()]).toString("base64");
}

/** Decrypts a base64 ciphertext and checks the receiver id; returns the message. */
export function decryptMessage(encrypted: string, encodingAesKey: string, receiverId: string): string {
  const key = aesKeyFrom(encodingAesKey);
  if (!/^[A-Za-z0-9+/]+={0,2}$/.test(encrypted)) throw new WeComCryptoError("BAD_CIPHERTEXT", "the ciphertext is not base64");
  const data = Buffer.from(encrypted, "base64");
  if (data.length === 0 || data.length % 16 !== 0) throw new WeComCryptoError("BAD_CIPHERTEXT", "the ciphertext is not a whole number of AES blocks");
  let plain: Buffer;
  try {
    const decipher = createDecipheriv("aes-256-cbc", key, key.subarray(0, 16));
    decipher.setAutoPadding(false);
    plain = Buffer.concat([decipher.update(data), decipher.final()]);
  } catch {
    throw new WeComCryptoError("BAD_CIPHERTEXT", "the ciphertext could not be decrypted");
  }
  const pad = plain[plain.length - 1];
  if (pad < 1 || pad > BLOCK || pad > plain.length) throw new WeComCryptoError("BAD_PADDING", "the padding is invalid");
  for (let i = plain.length - pad; i < plain.length; i++) if (plain[i] !== pad) throw new WeComCryptoError("BAD_PADDING", "the padding is invalid");
  const body = plain.subarray(0, plain.length - pad);
  if (body.length < 20) throw new WeComCryptoError("BAD_LENGTH", "the plaintext is too short");
  const len = body.readUInt32BE(16);
  if (20 + len > body.length) throw new WeComCryptoError("BAD_LENGTH", "the message length is larger than the plaintext");
  const message = body.subarray(20, 20 + len);
  const receiver = body.subarray(20 + len);
  const want = Buffer.from(receiverId, "utf8");
  if (receiver.length !== want.length || !timingSafeEqual(receiver, want)) throw new WeComCryptoError("WRONG_RECEIVER", "the message is addressed to another receiver id");
  return message.toString("utf8");
}

/** Verifies msg_signature over `encrypted`, then decrypts it (the order WeCom asks for). */
export function openMessage(opts: { token: string; encodingAesKey: string; receiverId: string; msgSignature: string; timestamp: string; nonce: string; encrypted: string }): string {
  if (!verifySignature({ token: opts.token, timestamp: opts.timestamp, nonce: opts.nonce, encrypted: opts.encrypted }, opts.msgSignature)) {
    throw new WeComCryptoError("BAD_SIGNATURE", "msg_signature does not match");
  }
  return decryptMessage(opts.encrypted, opts.encodingAesKey, opts.receiverId);
}

/** What WeCom POSTs (and what a passive reply looks like): the envelope with its signature. */
export function sealMessage(opts: { token: string; encodingAesKey: string; receiverId: string; message: string; timestamp: string; nonce: string; toUserName?: string; agentId?: string }) {
  const encrypted = encryptMessage(opts.message, opts.encodingAesKey, opts.receiverId);
  const msgSignature = signature(opts.token, opts.timestamp, opts.nonce, encrypted);
  const xml = `<xml><ToUserName><![CDATA[${opts.toUserName ?? opts.receiverId}]]></ToUserName><Encrypt><![CDATA[${encrypted}]]></Encrypt><AgentID><![CDATA[${opts.agentId ?? ""}]]></AgentID></xml>`;
  return { encrypted, msgSignature, xml };
}
