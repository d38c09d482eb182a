import type { Page } from "@playwright/test";
import type { WeComSim } from "../scripts/wecom-sim/server";
import { expect } from "./fixtures";

/**
 * ADMIN connects the portal to the simulator at /settings/wecom, as a person would: the CorpID, the
 * API address, the directory and customer-contact secrets, and what happens when WeCom reports a
 * member gone (an offboarding case). Shared by the sync and the WeCom handover specs.
 */
export async function connectWeCom(page: Page, sim: WeComSim) {
  await page.goto("/settings/wecom");
  const form = page.getByRole("form", { name: "连接设置" });
  await form.getByRole("textbox", { name: "企业 ID（CorpID）" }).fill(sim.config.corpId);
  await form.getByRole("textbox", { name: "接口地址" }).fill(sim.url);
  await form.getByTestId("secret-contactSecret").fill(sim.config.contactSecret);
  await form.getByTestId("secret-customerSecret").fill(sim.config.customerSecret);
  await form.getByLabel("企业微信报告成员离职时").selectOption("OPEN_CASE");
  await form.getByRole("button", { name: "保存" }).click();
  await expect(form.getByText("已保存。")).toBeVisible();
}
