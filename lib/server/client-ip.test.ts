import { describe, expect, it } from "vitest";
import { clientIp, parseTrustedProxies, PEER_HEADER, requestIsHttps } from "./client-ip";

const NONE = parseTrustedProxies("");
const PROXIES = parseTrustedProxies("10.0.0.0/8, 192.168.1.10 ::1 fd00::/8");
const from = (peer: string | null, extra: Record<string, string> = {}) => new Headers({ ...(peer === null ? {} : { [PEER_HEADER]: peer }), ...extra });

describe("clientIp", () => {
  it("is the direct peer when no proxy is trusted, whatever the forwarded headers say", () => {
    for (const forged of ["1.1.1.1", "1.1.1.1, 2.2.2.2", "not an address"]) {
      expect(clientIp(from("203.0.113.5", { "x-forwarded-for": forged, "x-real-ip": "9.9.9.9", forwarded: "for=8.8.8.8" }), NONE)).toBe("203.0.113.5");
    }
    expect(clientIp(from("::ffff:203.0.113.5"), NONE)).toBe("203.0.113.5");
    expect(clientIp(from("2001:DB8::7"), NONE)).toBe("2001:db8::7");
  });

  it("is unknown when nothing says who the peer is (no gate in front), forwarded headers notwithstanding", () => {
    expect(clientIp(from(null, { "x-forwarded-for": "1.1.1.1" }), PROXIES)).toBe("unknown");
    expect(clientIp(from("garbage", { "x-forwarded-for": "1.1.1.1" }), PROXIES)).toBe("unknown");
  });

  it("walks X-Forwarded-For from the right behind trusted proxies, so a client cannot choose its address", () => {
    // The client sent "X-Forwarded-For: 6.6.6.6"; the proxy appended what it saw.
    expect(clientIp(from("10.1.2.3", { "x-forwarded-for": "6.6.6.6, 198.51.100.7" }), PROXIES)).toBe("198.51.100.7");
    expect(clientIp(from("10.1.2.3", { "x-forwarded-for": "198.51.100.7, 192.168.1.10" }), PROXIES)).toBe("198.51.100.7");
    expect(clientIp(from("10.1.2.3", { "x-forwarded-for": "junk, 198.51.100.7" }), PROXIES)).toBe("198.51.100.7");
    expect(clientIp(from("::1", { "x-forwarded-for": "[2001:db8::1]:4711, fd00::2" }), PROXIES)).toBe("2001:db8::1");
    // Every hop trusted: the leftmost one is as far as we can see.
    expect(clientIp(from("10.1.2.3", { "x-forwarded-for": "10.9.9.9" }), PROXIES)).toBe("10.9.9.9");
    // Nothing forwarded: the proxy itself.
    expect(clientIp(from("10.1.2.3"), PROXIES)).toBe("10.1.2.3");
  });

  it("reads Forwarded (RFC 7239) and X-Real-IP from a trusted proxy only", () => {
    expect(clientIp(from("10.1.2.3", { forwarded: 'for=6.6.6.6, for="[2001:db8::9]:80";proto=https' }), PROXIES)).toBe("2001:db8::9");
    expect(clientIp(from("10.1.2.3", { "x-real-ip": "198.51.100.8" }), PROXIES)).toBe("198.51.100.8");
    expect(clientIp(from("203.0.113.5", { "x-real-ip": "198.51.100.8" }), PROXIES)).toBe("203.0.113.5");
  });

  it("gives the same address however the forwarded header is rotated", () => {
    const seen = new Set(Array.from({ length: 50 }, (_, i) => clientIp(from("203.0.113.5", { "x-forwarded-for": `100.64.${i}.1` }), NONE)));
    expect([...seen]).toEqual(["203.0.113.5"]);
  });

  it("refuses a TRUSTED_PROXIES entry that is not an address or a range", () => {
    for (const bad of ["10.0.0.0/33", "example.com", "10.0.0.1/8/1", "::1/129", "10.0.0.0/x"]) expect(() => parseTrustedProxies(bad)).toThrow(/TRUSTED_PROXIES/);
  });
});

describe("requestIsHttps", () => {
  it("believes X-Forwarded-Proto or Forwarded proto= only from a trusted proxy", () => {
    expect(requestIsHttps(from("10.1.2.3", { "x-forwarded-proto": "https" }), PROXIES)).toBe(true);
    expect(requestIsHttps(from("10.1.2.3", { forwarded: "for=1.2.3.4;proto=https" }), PROXIES)).toBe(true);
    expect(requestIsHttps(from("10.1.2.3", { "x-forwarded-proto": "http" }), PROXIES)).toBe(false);
    expect(requestIsHttps(from("10.1.2.3"), PROXIES)).toBe(false);
    expect(requestIsHttps(from("203.0.113.5", { "x-forwarded-proto": "https" }), PROXIES)).toBe(false);
    expect(requestIsHttps(from(null, { "x-forwarded-proto": "https" }), PROXIES)).toBe(false);
  });
});
