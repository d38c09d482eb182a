import { expect, signIn, test } from "./fixtures";
import { USERS } from "./users";

test("every response carries a strict CSP and the other security headers", async ({ request }) => {
  for (const path of ["/login", "/", "/api/auth/session"]) {
    const response = await request.get(path, { maxRedirects: 0 });
    const h = response.headers();
    expect(h["x-content-type-options"], path).toBe("nosniff");
    expect(h["referrer-policy"], path).toBe("strict-origin-when-cross-origin");
    expect(h["x-powered-by"], path).toBeUndefined();
    const csp = h["content-security-policy"] ?? "";
    expect(csp, path).toContain("default-src 'self'");
    expect(csp, path).toMatch(/script-src 'self' 'nonce-[A-Za-z0-9+/=]+' 'strict-dynamic'/);
    expect(csp, path).toContain("frame-ancestors 'self'");
    expect(csp, path).toContain("object-src 'none'");
    expect(csp, path).not.toContain("unsafe-eval");
  }
});

test("the nonce is fresh on every request", async ({ request }) => {
  const nonce = async () => (await request.get("/login")).headers()["content-security-policy"].match(/nonce-([^']+)/)?.[1];
  expect(await nonce()).not.toBe(await nonce());
});

test("the session cookie is HttpOnly, Secure and SameSite=Lax", async ({ page }) => {
  await signIn(page, USERS.employee.email);
  await expect(page.getByTestId("current-user")).toBeVisible();
  const session = (await page.context().cookies()).find((c) => c.name.endsWith("authjs.session-token"));
  expect(session).toBeDefined();
  expect(session!.httpOnly).toBe(true);
  expect(session!.secure).toBe(true);
  expect(session!.sameSite).toBe("Lax");
});
