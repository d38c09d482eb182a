import { describe, expect, it, vi } from "vitest";

// Every redirect whose target comes from a request stays on this site: the language switcher's
// return address and the sign-in page's callbackUrl (issue 13 item 14: "/\evil.example" passed).

const cookieJar = new Map<string, string>();
vi.mock("next/headers", () => ({
  cookies: async () => ({ set: (name: string, value: string) => cookieJar.set(name, value), get: (name: string) => (cookieJar.has(name) ? { name, value: cookieJar.get(name) } : undefined) }),
  headers: async () => new Headers(),
}));
const session = { actor: null as unknown };
vi.mock("@/lib/server/actor", () => ({ getActor: async () => session.actor }));
// Auth.js does not load outside Next's server build; signing out is not what is tested here.
vi.mock("@/lib/server/auth", () => ({ signOut: async () => undefined, signIn: async () => undefined }));
vi.mock("next-auth", () => ({ AuthError: class extends Error {} }));
vi.mock("@/lib/i18n/server", () => import("../helpers/english-i18n").then((m) => m.englishI18n()));

const { setLocale } = await import("@/lib/shell/actions");
const { default: LoginPage } = await import("@/app/login/page");

/** Where a server action or page redirected to (Next throws an error carrying the target). */
async function redirectTarget(run: () => Promise<unknown>): Promise<string> {
  try {
    await run();
  } catch (error) {
    const digest = (error as { digest?: string }).digest ?? "";
    if (digest.startsWith("NEXT_REDIRECT;")) return digest.split(";")[2];
    throw error;
  }
  throw new Error("no redirect");
}

const HOSTILE = ["/\\evil.example", "/\\/evil.example", "//evil.example", "/%5Cevil.example", "/%2F/evil.example", "/\t/evil.example", "/%09/evil.example", "/%0a/evil.example", "https://evil.example/", "javascript:alert(1)"];

describe("the language switcher's return address", () => {
  it.each(HOSTILE)("sends %j home instead", async (returnTo) => {
    const form = new FormData();
    form.set("locale", "en");
    form.set("returnTo", returnTo);
    expect(await redirectTarget(() => setLocale(form))).toBe("/");
    expect(cookieJar.get("wg_locale")).toBe("en");
  });

  it("returns to the page it was on", async () => {
    const form = new FormData();
    form.set("locale", "zh-CN");
    form.set("returnTo", "/groups?status=ACTIVE&page=2");
    expect(await redirectTarget(() => setLocale(form))).toBe("/groups?status=ACTIVE&page=2");
  });
});

describe("the sign-in page's callbackUrl (someone already signed in is sent there)", () => {
  it.each(HOSTILE)("sends %j home instead", async (callbackUrl) => {
    session.actor = { id: "x" };
    expect(await redirectTarget(() => LoginPage({ searchParams: Promise.resolve({ callbackUrl }) }))).toBe("/");
  });

  it("follows a path on this site", async () => {
    session.actor = { id: "x" };
    expect(await redirectTarget(() => LoginPage({ searchParams: Promise.resolve({ callbackUrl: "/privacy/consents?q=1" }) }))).toBe("/privacy/consents?q=1");
  });
});
