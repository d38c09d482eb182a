import { describe, expect, it } from "vitest";
import { CLAIMS_KEEP_MS, claimsForCookies } from "./session-claims";

const claims = { id: "e1", sessionVersion: 3, sessionId: "s1" };

function counter(result: { claims: typeof claims; expires?: number } | null) {
  const calls = { n: 0 };
  return { calls, decode: async () => (calls.n++, result) };
}

describe("session claims kept per cookie", () => {
  const now = 1_800_000_000_000;
  const exp = now / 1000 + 3600;

  it("decodes a cookie once, then answers from the store until the minute is up", async () => {
    const cookie = [{ name: "__Secure-authjs.session-token", value: `a-${Math.random()}` }];
    const { calls, decode } = counter({ claims, expires: exp });
    expect(await claimsForCookies(cookie, decode, now)).toEqual(claims);
    expect(await claimsForCookies(cookie, decode, now + 1_000)).toEqual(claims);
    expect(calls.n).toBe(1);
    expect(await claimsForCookies(cookie, decode, now + CLAIMS_KEEP_MS + 1)).toEqual(claims);
    expect(calls.n).toBe(2);
  });

  it("never keeps claims past the token's own expiry", async () => {
    const cookie = [{ name: "authjs.session-token", value: `b-${Math.random()}` }];
    const { calls, decode } = counter({ claims, expires: now / 1000 + 5 });
    await claimsForCookies(cookie, decode, now);
    await claimsForCookies(cookie, decode, now + 4_000);
    expect(calls.n).toBe(1);
    await claimsForCookies(cookie, decode, now + 5_000);
    expect(calls.n).toBe(2);
  });

  it("keys by every chunk of the cookie: another value is decoded afresh", async () => {
    const { calls, decode } = counter({ claims, expires: exp });
    const v = Math.random();
    await claimsForCookies([{ name: "authjs.session-token.0", value: `c-${v}` }, { name: "authjs.session-token.1", value: "x" }], decode, now);
    await claimsForCookies([{ name: "authjs.session-token.1", value: "x" }, { name: "authjs.session-token.0", value: `c-${v}` }], decode, now);
    expect(calls.n).toBe(1);
    await claimsForCookies([{ name: "authjs.session-token.0", value: `c-${v}` }, { name: "authjs.session-token.1", value: "y" }], decode, now);
    expect(calls.n).toBe(2);
  });

  it("keeps nothing for a cookie that did not decode, nor without a session cookie", async () => {
    const cookie = [{ name: "authjs.session-token", value: `d-${Math.random()}` }];
    const refused = counter(null);
    expect(await claimsForCookies(cookie, refused.decode, now)).toBeNull();
    expect(await claimsForCookies(cookie, refused.decode, now)).toBeNull();
    expect(refused.calls.n).toBe(2);
    const none = counter({ claims, expires: exp });
    await claimsForCookies([{ name: "other", value: "1" }], none.decode, now);
    await claimsForCookies([{ name: "other", value: "1" }], none.decode, now);
    expect(none.calls.n).toBe(2);
  });
});
