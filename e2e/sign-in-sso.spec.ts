import type { SentAppMessage } from "../scripts/wecom-sim/messages";
import { startWeComSim, type WeComSim } from "../scripts/wecom-sim/server";
import { startOidcProvider, type TestOidcProvider } from "../tests/helpers/oidc-provider";
import { expect, signOut, test } from "./fixtures";
import { storageStateFor } from "./users";

// Sign-in by WeCom and OpenID Connect through the browser (issue 16): ADMIN offers the methods at
// /settings/sign-in and links a person to their WeCom member; the person opens a record's link
// inside the (simulated) WeCom client and lands on it signed in; QR login in a desktop browser; a
// refusal for someone the portal does not know; an OIDC sign-in through a real OpenID provider
// (oidc-provider) run by the test; sign-out makes a copy of the cookie useless. And a WeCom app
// message the portal really sent (an urgent complaint escalation, delivered by the job queue to
// the simulator): the person opens its link inside WeCom and lands on the record signed in.
//
// The server sends WeCom sign-ins to WECOM_OAUTH_BASE_URL / WECOM_SSO_BASE_URL, which
// playwright.config.ts points at port E2E_PORT + 1000, where this spec starts the simulator.

const SIM_PORT = Number(process.env.E2E_PORT ?? 3100) + 1000;
const BASE = `http://localhost:${process.env.E2E_PORT ?? 3100}`;
const MEMBER = "u000001"; // an active member of the simulated company
const PERSON = { email: "south.manager@wegovern.demo", name: "黄志强" }; // signed in by no other spec
const WECOM_UA = "Mozilla/5.0 (iPhone; CPU iPhone OS 17_0 like Mac OS X) AppleWebKit/605.1.15 (KHTML, like Gecko) Mobile/15E148 wxwork/4.1.30 MicroMessenger/7.0.1 Language/zh";

let sim: WeComSim;
let op: TestOidcProvider;
let recordPath = "";

test.describe.configure({ mode: "serial" });

test.beforeAll(async () => {
  sim = await startWeComSim({ size: "tiny", port: SIM_PORT });
  op = await startOidcProvider({ redirectUris: [`${BASE}/api/auth/oidc/callback`], accounts: { chen: { email: "privacy@wegovern.demo", email_verified: true, name: "陈静怡" } } });
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
    // The portal's address: WeCom's callbacks and the links in the messages it sends.
    await form.getByRole("textbox", { name: "本系统的访问地址" }).fill(BASE);
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

/** A time in China (UTC+8) `days` from now at 10:00, as a datetime-local value. */
function shanghaiDateTime(days: number): string {
  return `${new Date(Date.now() + 8 * 3_600_000 + days * 86_400_000).toISOString().slice(0, 10)}T10:00`;
}

/** The app messages the simulated WeCom was sent (its test-only inspection endpoint). */
async function appMessages(): Promise<SentAppMessage[]> {
  const res = await fetch(`${sim.url}/__sim/messages`);
  return ((await res.json()) as { app: SentAppMessage[] }).app;
}

test.describe("a WeCom message the portal sent", () => {
  test.use({ storageState: storageStateFor("admin") });

  test("an urgent complaint escalation reaches the manager as a WeCom text card; its link opens the case inside WeCom, signed in", async ({ page, browser }) => {
    test.slow();
    // A complaint of 华南销售部 received a month ago: its first response is long past due (on any
    // calendar, holidays included), so recording it escalates it at once to the department's
    // manager 黄志强 — an urgent event (lib/notifications URGENT_KINDS): sent at any hour.
    const title = `E2E投诉-企业微信通知-${Date.now().toString(36)}`;
    await page.goto("/service/new");
    const form = page.getByRole("form", { name: "登记工单" });
    await form.getByLabel("标题").fill(title);
    await form.getByLabel("客户名称").fill("郑先生");
    await form.getByRole("combobox", { name: "渠道" }).selectOption({ label: "电话" });
    await form.getByRole("combobox", { name: "类型" }).selectOption({ label: "投诉" });
    await form.getByRole("combobox", { name: "优先级" }).selectOption({ label: "紧急" });
    const team = form.getByRole("combobox", { name: /^团队/ });
    await team.selectOption((await team.locator("option", { hasText: "华南销售部" }).getAttribute("value"))!);
    await form.getByRole("combobox", { name: "处理人" }).selectOption({ label: "未分配" });
    await form.getByLabel("接收时间").fill(shanghaiDateTime(-30));
    await form.getByRole("button", { name: "登记" }).click();
    await expect(page).toHaveURL(/\/service\/(?!new$)[a-z0-9]+$/);
    const casePath = new URL(page.url()).pathname;
    await expect(page.getByTestId("case-escalations")).toContainText(PERSON.name);

    // The delivery job sends the text card to the simulator (dispatched as the case commits).
    const mine = async () => (await appMessages()).filter((m) => m.textcard?.url.endsWith(casePath));
    await expect.poll(async () => (await mine()).length, { message: "the WeCom app message of the escalation", timeout: 50_000 }).toBeGreaterThan(0);
    const sent = await mine();
    expect(sent).toHaveLength(1);
    expect(sent[0]).toMatchObject({ msgtype: "textcard", agentid: 1000002, delivered: [MEMBER] });
    // Chinese, short, the deadline in China time, one link: to the case, at the portal's address.
    const card = sent[0].textcard!;
    expect(card.url).toBe(`${BASE}${casePath}`);
    expect(card.title).toBe(`投诉“${title}”首次响应已超时，已升级给您`);
    expect(card.description).toMatch(/^截止时间：\d{4}-\d{2}-\d{2} \d{2}:\d{2}（北京时间）\n点击查看详情并处理。$/);

    // The member taps it in the WeCom client (a context of its own, not ADMIN's): signed in silently, on the case.
    const phone = await browser.newContext({ storageState: { cookies: [], origins: [] }, userAgent: WECOM_UA, viewport: { width: 375, height: 740 }, locale: "zh-CN" });
    await phone.addCookies([{ name: "wwsim_member", value: MEMBER, url: sim.url }]);
    const member = await phone.newPage();
    await member.goto(card.url);
    await expect(member).toHaveURL(new RegExp(`${casePath}(#wechat_redirect)?$`));
    await expect(member.getByTestId("current-user")).toContainText(PERSON.name);
    await expect(member.getByRole("heading", { level: 1, name: title })).toBeVisible();
    await phone.close();

    // ADMIN's delivery log shows it sent.
    await page.goto("/settings/notifications?status=SENT");
    const row = page.getByTestId("delivery-log").getByRole("row").filter({ hasText: PERSON.name }).filter({ hasText: "service.escalation" });
    await expect(row.first()).toContainText("企业微信消息");
    await expect(row.first()).toContainText("已发送");
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
