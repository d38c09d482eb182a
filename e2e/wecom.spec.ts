import { startWeComSim, type WeComSim } from "../scripts/wecom-sim/server";
import { expect, test } from "./fixtures";
import { storageStateFor } from "./users";

// ADMIN connects the portal to the WeCom simulator at /settings/wecom: secrets are never shown
// again (only "set, ends with …"), the connection test reports WeCom's answer, the calls are
// listed, and the simulator's signed, encrypted callback is accepted by /api/wecom/callback.

let sim: WeComSim;
test.beforeAll(async () => {
  sim = await startWeComSim({ size: "tiny" });
});
test.afterAll(async () => {
  await sim?.stop();
});

test.describe("WeCom connection settings", () => {
  test.use({ storageState: storageStateFor("admin") });

  test("ADMIN saves the connection to the simulator, tests it, sees the calls; secrets never come back", async ({ page }) => {
    await page.goto("/settings");
    await page.getByRole("link", { name: "企业微信连接" }).click();
    await expect(page.getByRole("heading", { name: "企业微信连接" })).toBeVisible();
    const form = page.getByRole("form", { name: "连接设置" });
    await form.getByRole("textbox", { name: "企业 ID（CorpID）" }).fill(sim.config.corpId);
    await form.getByRole("textbox", { name: "接口地址" }).fill(sim.url);
    await form.getByTestId("secret-contactSecret").fill(sim.config.contactSecret);
    await form.getByTestId("secret-customerSecret").fill(sim.config.customerSecret);
    await form.getByTestId("secret-callbackToken").fill(sim.config.callbackToken);
    await form.getByTestId("secret-encodingAesKey").fill(sim.config.encodingAesKey);
    await form.getByRole("button", { name: "保存" }).click();
    await expect(form.getByText("已保存。")).toBeVisible();

    await page.reload();
    await expect(page.getByText(`已设置，末四位 …${sim.config.contactSecret.slice(-4)}`)).toBeVisible();
    await expect(page.getByTestId("secret-contactSecret")).toHaveValue("");
    const html = await page.content();
    for (const secret of [sim.config.contactSecret, sim.config.customerSecret, sim.config.encodingAesKey]) expect(html).not.toContain(secret);

    await page.getByRole("form", { name: "测试连接" }).getByRole("button", { name: "测试连接" }).click();
    const checks = page.getByTestId("connection-checks");
    await expect(checks.getByRole("listitem")).toHaveCount(2);
    await expect(checks).toContainText("通讯录同步");
    await expect(checks).toContainText("errcode 0");
    await expect(checks).not.toContainText("失败");

    await page.reload();
    await expect(page.getByTestId("wecom-calls")).toContainText("/gettoken");
    await expect(page.getByTestId("wecom-calls")).toContainText("/department/simplelist");
    // Paths only: never a query string with a token or a secret.
    await expect(page.getByTestId("wecom-calls")).not.toContainText("access_token=");
    await expect(page.getByTestId("wecom-calls")).not.toContainText("corpsecret");

    // WeCom (the simulator) sends a signed, encrypted change event to the callback URL.
    const sent = await (await fetch(`${sim.url}/__sim/callback`, { method: "POST", body: JSON.stringify({ url: `${new URL(page.url()).origin}/api/wecom/callback` }) })).json();
    expect(sent).toEqual({ status: 200, body: "success" });
  });
});

test.describe("WeCom connection settings are ADMIN's", () => {
  test.use({ storageState: storageStateFor("hr"), allowConsoleErrors: [/status of 403/] });
  test("HR is refused", async ({ page }) => {
    const res = await page.goto("/settings/wecom");
    expect(res?.status()).toBe(403);
  });
});
