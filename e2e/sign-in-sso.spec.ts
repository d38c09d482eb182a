import { startWeComSim, type WeComSim } from "../scripts/wecom-sim/server";
import { startOidcProvider, type TestOidcProvider } from "../tests/helpers/oidc-provider";
import { expect, signOut, test } from "./fixtures";
import { storageStateFor } from "./users";

// Sign-in by WeCom and OpenID Connect through the browser (issue 16): ADMIN offers the methods at
// /settings/sign-in and links a person to their WeCom member; the person opens a record's link
// inside the (simulated) WeCom client and lands on it signed in; QR login in a desktop browser; a
// refusal for someone the portal does not know; an OIDC sign-in through a real OpenID provider
// (oidc-provider) run by the test; sign-out makes a copy of the cookie useless.
//
// The server sends WeCom sign-ins to WECOM_OAUTH_BASE_URL / WECOM_SSO_BASE_URL, which
// playwright.config.ts points at port E2E_PORT + 1000, where this spec starts the simulator.

const SIM_PORT = Number(process.env.E2E_PORT ?? 3100) + 1000;
const MEMBER = "u000001"; // an active member of the simulated company
const PERSON = { email: "south.manager@wegovern.demo", name: "黄志强" }; // signed in by no other spec
const WECOM_UA = "Mozilla/5.0 (iPhone; CPU iPhone OS 17_0 like Mac OS X) AppleWebKit/605.1.15 (KHTML, like Gecko) Mobile/15E148 wxwork/4.1.30 MicroMessenger/7.0.1 Language/zh";

let sim: WeComSim;
let op: TestOidcProvider;
let recordPath = "";

test.describe.configure({ mode: "serial" });

test.beforeAll(async () => {
  sim = await startWeComSim({ size: "tiny", port: SIM_PORT });
  const base = `http://localhost:${process.env.E2E_PORT ?? 3100}`;
  op = await startOidcProvider({ redirectUris: [`${base}/api/auth/oidc/callback`], accounts: { chen: { email: "privacy@wegovern.demo", email_verified: true, name: "陈静怡" } } });
});
test.afterAll(async () => {
  await sim?.stop();
  await op?.stop();
});

test.describe("ADMIN offers the sign-in methods", () => {
  test.use({ storageState: storageStateFor("admin") });

  test("connects WeCom, offers WeCom and OIDC at /settings/sign-in, and links a person to their WeCom member", async ({ page }) => {
    test.slow();
    await page.goto("/settings/wecom");
    const wecom = page.getByRole("form", { name: "连接设置" });
    await wecom.getByRole("textbox", { name: "企业 ID（CorpID）" }).fill(sim.config.corpId);
    await wecom.getByRole("textbox", { name: "应用 AgentId" }).fill("1000002");
    await wecom.getByRole("textbox", { name: "接口地址" }).fill(sim.url);
    await wecom.getByTestId("secret-contactSecret").fill(sim.config.contactSecret);
    await wecom.getByTestId("secret-customerSecret").fill(sim.config.customerSecret);
    await wecom.getByRole("button", { name: "保存" }).click();
    await expect(wecom.getByText("已保存。")).toBeVisible();

    await page.goto("/settings");
    await page.getByRole("link", { name: "登录方式" }).click();
    await expect(page.getByRole("heading", { name: "登录方式" })).toBeVisible();
    const form = page.getByRole("form", { name: "登录方式" });
    await form.getByLabel("企业微信客户端内一键登录（OAuth，静默授权）").check();
    await form.getByLabel("浏览器中企业微信扫码登录").check();
    await form.getByLabel("使用公司的 OpenID Connect 身份提供方登录").check();
    await form.getByRole("textbox", { name: "颁发者（Issuer）地址" }).fill(op.issuer);
    await form.getByRole("textbox", { name: "客户端 ID（Client ID）" }).fill(op.clientId);
    await form.getByLabel("客户端密钥（Client Secret）").fill(op.clientSecret);
    await form.getByRole("button", { name: "保存" }).click();
    await expect(form.getByText("已保存。")).toBeVisible();
    await page.reload();
    await expect(page.getByText(`已设置，末四位 …${op.clientSecret.slice(-4)}`)).toBeVisible();
    expect(await page.content()).not.toContain(op.clientSecret);

    await page.goto(`/directory/employees?q=${encodeURIComponent(PERSON.email)}`);
    await page.getByTestId("employee-row").first().getByRole("link").first().click();
    await expect(page.getByTestId("employee-details")).toContainText(PERSON.email);
    recordPath = new URL(page.url()).pathname;
    const link = page.getByRole("form", { name: "企业微信 UserID" });
    await link.getByRole("textbox", { name: "企业微信 UserID" }).fill(MEMBER);
    await link.getByRole("button", { name: "保存关联" }).click();
    await expect(link.getByText("已保存企业微信账号关联。")).toBeVisible();
  });
});

test.describe("signing in with WeCom", () => {
  test("a member opens a record's link inside the WeCom client and lands on it signed in; signing out makes a copy of the cookie useless", async ({ browser }) => {
    test.slow();
    expect(recordPath).toMatch(/^\/directory\/employees\//);
    // The WeCom client: its user agent, and the simulator knows who is signed in to it.
    const phone = await browser.newContext({ userAgent: WECOM_UA, viewport: { width: 375, height: 740 }, locale: "zh-CN" });
    await phone.addCookies([{ name: "wwsim_member", value: MEMBER, url: sim.url }]);
    const page = await phone.newPage();
    await page.goto(recordPath);
    // (A browser keeps the authorize link's #wechat_redirect across the redirects; the WeCom client consumes it.)
    await expect(page).toHaveURL(new RegExp(`${recordPath}(#wechat_redirect)?$`));
    await expect(page.getByTestId("current-user")).toContainText(PERSON.name);
    await expect(page.getByTestId("employee-details")).toContainText(PERSON.email);

    // A copy of the cookie works elsewhere while the session lasts…
    const copied = await phone.cookies();
    const elsewhere = await browser.newContext();
    await elsewhere.addCookies(copied.filter((c) => c.name.includes("session-token")));
    const thief = await elsewhere.newPage();
    await thief.goto(recordPath);
    await expect(thief.getByTestId("current-user")).toContainText(PERSON.name);

    // …and not after sign-out; signing out inside WeCom does not sign the person straight back in.
    await signOut(page);
    await expect(page).toHaveURL(/\/login\?signedOut=1/);
    await expect(page.getByTestId("sign-in-wecom-oauth")).toBeVisible();
    await thief.goto(recordPath);
    await expect(thief).toHaveURL(/\/login/);
    await elsewhere.close();
    await phone.close();
  });

  test("QR login in a desktop browser, and a refusal in Chinese for a member the portal does not know", async ({ page }) => {
    test.slow();
    await page.setViewportSize({ width: 375, height: 740 });
    await page.goto("/login");
    // 375 px: nothing needs sideways scrolling.
    expect(await page.evaluate(() => document.documentElement.scrollWidth)).toBeLessThanOrEqual(375);
    await page.getByTestId("sign-in-wecom-qr").click();
    await expect(page.getByRole("heading", { name: "企业微信扫码登录（模拟）" })).toBeVisible();
    await page.getByRole("combobox", { name: /^成员/ }).selectOption(MEMBER);
    await page.getByRole("button", { name: "确认登录" }).click();
    await expect(page.getByTestId("current-user")).toContainText(PERSON.name);
    await signOut(page);
    await expect(page).toHaveURL(/\/login\?signedOut=1/);

    await page.getByTestId("sign-in-wecom-qr").click();
    await page.getByRole("combobox", { name: /^成员/ }).selectOption("u000002");
    await page.getByRole("button", { name: "确认登录" }).click();
    await expect(page).toHaveURL(/\/login\/refused\?reason=UNKNOWN/);
    await expect(page.getByTestId("sign-in-refused")).toContainText("本系统中没有与您的账号对应的员工");
    await expect(page.getByTestId("current-user")).toHaveCount(0);
  });
});

test.describe("ADMIN and a person's sessions", () => {
  test("ADMIN sees the person's WeCom session (method, time, address) and ends it; that browser is signed out", async ({ browser }) => {
    test.slow();
    const laptop = await browser.newContext();
    const person = await laptop.newPage();
    await person.goto("/login");
    await person.getByTestId("sign-in-wecom-qr").click();
    await person.getByRole("combobox", { name: /^成员/ }).selectOption(MEMBER);
    await person.getByRole("button", { name: "确认登录" }).click();
    await expect(person.getByTestId("current-user")).toContainText(PERSON.name);

    const adminContext = await browser.newContext({ storageState: storageStateFor("admin") });
    const admin = await adminContext.newPage();
    await admin.goto(recordPath);
    const sessions = admin.getByTestId("active-session");
    const qr = sessions.filter({ hasText: "企业微信扫码" });
    await expect(qr).toHaveCount(1);
    await expect(qr).toContainText("登录时间");
    await expect(qr).toContainText("127.0.0.1");
    await qr.getByRole("button", { name: "结束此会话" }).click();
    // The list is read again: the ended session is gone from it.
    await expect(qr).toHaveCount(0);
    await adminContext.close();

    await person.goto(recordPath);
    await expect(person).toHaveURL(/\/login/);
    await laptop.close();
  });
});

test.describe("signing in with OpenID Connect", () => {
  // The provider's development pages load a web font from the internet, which this machine cannot reach.
  test.use({ allowConsoleErrors: [/Failed to load resource|fonts\.googleapis/] });

  test("through the company's identity provider (a real OpenID provider run by the test)", async ({ page }) => {
    test.slow();
    await page.goto("/login?manual=1");
    await page.getByTestId("sign-in-oidc").click();
    await expect(page).toHaveURL(new RegExp(`^${op.issuer}/interaction/`));
    await page.locator('input[name="login"]').fill("chen");
    await page.locator('input[name="password"]').fill("any");
    await page.getByRole("button", { name: "Sign-in" }).click();
    await page.getByRole("button", { name: "Continue" }).click();
    await expect(page.getByTestId("current-user")).toContainText("陈静怡");
  });
});
