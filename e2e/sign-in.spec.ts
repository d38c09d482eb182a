import { expect, signIn, test } from "./fixtures";
import { PASSWORD, storageStateFor, USERS } from "./users";

test.describe("signing in", () => {
  test("a wrong password and an unknown e-mail get the same message, and the e-mail stays typed in", async ({ page }) => {
    await signIn(page, USERS.hr.email, "not-the-password");
    const form = page.getByRole("form", { name: "登录" });
    await expect(form.getByRole("alert")).toHaveText("邮箱或密码不正确。");
    await expect(form.getByLabel("邮箱")).toHaveValue(USERS.hr.email);

    await signIn(page, "no-such-person@wegovern.demo", PASSWORD);
    await expect(form.getByRole("alert")).toHaveText("邮箱或密码不正确。");
    await expect(page).toHaveURL(/\/login/);
  });

  test("a departed employee cannot sign in", async ({ page }) => {
    await signIn(page, "departed@wegovern.demo");
    await expect(page.getByRole("form", { name: "登录" }).getByRole("alert")).toHaveText("邮箱或密码不正确。");
    await expect(page).toHaveURL(/\/login/);
  });

  test("five failures lock the account and the person is told until when", async ({ page }) => {
    const email = "staff07@wegovern.demo"; // used by no other test
    const form = page.getByRole("form", { name: "登录" });
    for (let i = 0; i < 4; i++) {
      await signIn(page, email, `wrong-${i}`);
      await expect(form.getByRole("alert")).toHaveText("邮箱或密码不正确。");
    }
    await signIn(page, email, "wrong-4");
    await expect(form.getByRole("alert")).toContainText("账号已临时锁定");
    // Even the right password is refused while the lock lasts.
    await signIn(page, email, PASSWORD);
    const message = await form.getByRole("alert").textContent();
    expect(message).toMatch(/请于 .+ 之后再试/);
    await expect(page).toHaveURL(/\/login/);
  });

  // Signing out ends that session only (docs/decisions/0009); these tests still sign out people no
  // other spec signs in as, and the ADMIN's "end all" below ends every session of its person.
  test("signing out ends the session; the protected page sends the person back to sign in", async ({ page }) => {
    await signIn(page, "staff08@wegovern.demo"); // used by no other test
    await expect(page.getByTestId("current-user")).toBeVisible();
    await page.getByRole("button", { name: "退出登录" }).click();
    await expect(page).toHaveURL(/\/login\?signedOut=1/);
    await expect(page.getByRole("form", { name: "登录" }).getByRole("status")).toHaveText("您已退出登录。");
    await page.goto("/");
    await expect(page).toHaveURL(/\/login/);
  });

  test("a copy of the session cookie is refused once the person has signed out", async ({ page, browser }) => {
    test.slow(); // two browsers and several full page loads: 30 s is not enough on a busy runner
    await signIn(page, "staff09@wegovern.demo"); // used by no other test
    await expect(page.getByTestId("current-user")).toBeVisible();
    const copied = await page.context().cookies();
    expect(copied.some((c) => c.name.includes("session-token"))).toBe(true);

    // The copy works in another browser while the session lasts…
    const elsewhere = await browser.newContext();
    await elsewhere.addCookies(copied);
    const thief = await elsewhere.newPage();
    await thief.goto("/");
    await expect(thief.getByTestId("current-user")).toBeVisible();

    // …and is refused after sign-out, although the browser still sends it.
    await page.getByRole("button", { name: "退出登录" }).click();
    await expect(page).toHaveURL(/\/login\?signedOut=1/);
    await thief.goto("/directory/employees");
    await expect(thief).toHaveURL(/\/login/);
    const sent = (await elsewhere.cookies()).filter((c) => c.name.includes("session-token"));
    expect(sent.length).toBeGreaterThan(0);
    await elsewhere.close();
  });

  test("an ADMIN ends a person's sessions from the directory, and the person is signed out", async ({ page, browser }) => {
    test.slow(); // two browsers and several full page loads: 30 s is not enough on a busy runner
    await signIn(page, "staff10@wegovern.demo"); // used by no other test
    await expect(page.getByTestId("current-user")).toBeVisible();

    const adminContext = await browser.newContext({ storageState: storageStateFor("admin") });
    const admin = await adminContext.newPage();
    await admin.goto("/directory/employees?q=staff10%40wegovern.demo");
    await admin.getByTestId("employee-row").first().getByRole("link").first().click();
    await expect(admin.getByTestId("employee-details")).toContainText("staff10@wegovern.demo");
    const form = admin.getByRole("form", { name: "登录会话" });
    await form.getByRole("button", { name: "结束其全部会话" }).click();
    await admin.getByRole("dialog", { name: "结束此员工的全部会话？" }).getByRole("button", { name: "结束全部会话" }).click();
    await expect(form.getByRole("status").or(form.getByRole("alert"))).toHaveText("该员工的全部会话已结束。");
    await adminContext.close();

    await page.goto("/");
    await expect(page).toHaveURL(/\/login/);
  });

  test("a visitor who is not signed in is sent to the sign-in page", async ({ page }) => {
    await page.goto("/directory/employees");
    await expect(page).toHaveURL(/\/login/);
    await expect(page.getByRole("heading", { name: "登录" })).toBeVisible();
  });
});

test.describe("language", () => {
  test("Chinese by default, English one click away, and remembered", async ({ page }) => {
    await signIn(page, USERS.auditor.email);
    await expect(page.getByRole("navigation", { name: "主导航" })).toBeVisible();
    await page.getByRole("button", { name: /语言/ }).click();
    await expect(page.getByRole("navigation", { name: "Main navigation" }).getByRole("link", { name: "Audit trail" })).toBeVisible();
    await expect(page.locator("html")).toHaveAttribute("lang", "en");
    await page.reload();
    await expect(page.getByRole("button", { name: "Sign out" })).toBeVisible();
    await page.getByRole("button", { name: /Language/ }).click();
    await expect(page.getByRole("button", { name: "退出登录" })).toBeVisible();
  });
});
