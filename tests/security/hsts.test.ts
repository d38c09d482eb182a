import { NextRequest } from "next/server";
import { afterEach, describe, expect, it } from "vitest";
import { PEER_HEADER } from "@/lib/server/client-ip";
import { proxy } from "@/proxy";

// Strict-Transport-Security (issue 13 item 15): sent when the portal is reached over HTTPS, which
// only a trusted proxy can tell us (the app serves plain HTTP behind it); never over plain HTTP,
// and never because a client claims HTTPS itself.

const request = (peer: string, headers: Record<string, string> = {}) => new NextRequest("http://portal.example/groups", { headers: { [PEER_HEADER]: peer, ...headers } });
const hsts = (req: NextRequest) => proxy(req).headers.get("strict-transport-security");

afterEach(() => {
  delete process.env.TRUSTED_PROXIES;
  delete process.env.HSTS_MAX_AGE;
  delete process.env.HSTS_INCLUDE_SUBDOMAINS;
});

describe("HSTS", () => {
  it("is sent for one year when a trusted proxy says the request came over HTTPS", () => {
    process.env.TRUSTED_PROXIES = "10.0.0.0/8";
    expect(hsts(request("10.0.0.2", { "x-forwarded-proto": "https", "x-forwarded-for": "198.51.100.1" }))).toBe("max-age=31536000");
    expect(hsts(request("10.0.0.2", { forwarded: "for=198.51.100.1;proto=https" }))).toBe("max-age=31536000");
  });

  it("follows HSTS_MAX_AGE and HSTS_INCLUDE_SUBDOMAINS, and can be turned off", () => {
    process.env.TRUSTED_PROXIES = "10.0.0.0/8";
    process.env.HSTS_MAX_AGE = "600";
    process.env.HSTS_INCLUDE_SUBDOMAINS = "1";
    expect(hsts(request("10.0.0.2", { "x-forwarded-proto": "https" }))).toBe("max-age=600; includeSubDomains");
    process.env.HSTS_MAX_AGE = "off";
    expect(hsts(request("10.0.0.2", { "x-forwarded-proto": "https" }))).toBeNull();
  });

  it("is not sent over plain HTTP, nor when an untrusted client claims HTTPS", () => {
    process.env.TRUSTED_PROXIES = "10.0.0.0/8";
    expect(hsts(request("10.0.0.2", { "x-forwarded-proto": "http" }))).toBeNull();
    expect(hsts(request("10.0.0.2"))).toBeNull();
    expect(hsts(request("203.0.113.9", { "x-forwarded-proto": "https" }))).toBeNull();
    delete process.env.TRUSTED_PROXIES;
    expect(hsts(request("10.0.0.2", { "x-forwarded-proto": "https" }))).toBeNull();
  });
});
