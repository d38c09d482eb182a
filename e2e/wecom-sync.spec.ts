import { startWeComSim, type WeComSim } from "../scripts/wecom-sim/server";
import { expect, test } from "./fixtures";
import { storageStateFor } from "./users";
import { connectWeCom } from "./wecom-connect";

// Issue 14's scenario as ADMIN clicks it: connect the portal to the WeCom simulator, press 立即同步,
// watch the sync finish; a member then leaves in WeCom and the next sync finds what the portal did
// not know: the leaver (flagged, with an offboarding case opened for HR), customer groups created
// outside the portal, and a group breaking the membership rules (the leaver is still inside an
// internal group). Runs in a project of its own after the other tests (playwright.config.ts): the sync adds
// a company's worth of employees and groups, which the other tests' counts must not see.

const SIZE = { departments: 4, members: 40, contacts: 120, groups: 12 };
let sim: WeComSim;
test.beforeAll(async () => {
  sim = await startWeComSim({ size: SIZE });
  // u000039 (every 40th member has left in the simulated company) is still working at the first
  // sync, and is a member of customer group 0.
  expect((await simAdmin("directory", { members: { u000039: { status: 1 } } })).status).toBe(200);
  expect((await simAdmin("groups", { chatId: sim.company.chatId(0), addMembers: [{ userid: "u000039", type: 1 }] })).status).toBe(200);
});
const simAdmin = (path: string, body: unknown) => fetch(`${sim.url}/__sim/${path}`, { method: "POST", body: JSON.stringify(body) });
test.afterAll(async () => {
  await sim?.stop();
});

test.describe("WeCom sync", () => {
  test.use({ storageState: storageStateFor("admin") });
  test.describe.configure({ timeout: 240_000 });

  test("ADMIN syncs from the simulator and sees a leaver with a case, groups made outside the portal, and a violation", async ({ page }) => {
    const leaver = sim.company.member(39);

    await connectWeCom(page, sim);

    await page.getByRole("form", { name: "同步" }).getByRole("button", { name: "立即同步" }).click();
    const current = page.getByTestId("sync-current");
    await expect(current).toHaveAttribute("data-status", "RUNNING");
    // The page follows the run by itself (polling), step by step, to the end.
    await expect(current).toHaveAttribute("data-status", "SUCCEEDED", { timeout: 180_000 });
    for (const step of ["directory", "contacts", "groups", "governance"]) await expect(page.getByTestId(`sync-step-${step}`)).toHaveAttribute("data-status", "DONE");
    await expect(page.getByTestId("sync-counts")).toContainText("新建员工");
    await expect(page.getByTestId("sync-history")).toContainText("已完成");

    // The member leaves in WeCom; the next sync (another click) finds it.
    expect((await simAdmin("directory", { members: { u000039: { status: 5 } } })).status).toBe(200);
    await page.getByRole("form", { name: "同步" }).getByRole("button", { name: "立即同步" }).click();
    await expect(page.getByTestId("sync-history").getByRole("row")).toHaveCount(2);
    await expect(current).toHaveAttribute("data-status", "SUCCEEDED", { timeout: 180_000 });
    await expect(page.getByTestId("sync-history").getByRole("row").first()).toContainText("已完成");
    await expect(page.getByTestId("sync-counts")).toContainText("发起离职交接");

    // The member who left WeCom: flagged in the directory, and HR has a case for them.
    await page.goto("/directory/employees?wecom=left");
    const row = page.getByRole("row").filter({ hasText: leaver.name }).filter({ hasText: "u000039" });
    await expect(row).toContainText("企业微信：已离职");
    await page.goto("/offboarding");
    await expect(page.getByRole("main")).toContainText(leaver.name);

    // Customer groups that exist in WeCom but were never requested here.
    await page.goto("/groups?outside=1");
    await expect(page.getByRole("main")).toContainText(`客户群${0}`);
    await expect(page.getByRole("main")).toContainText("未登记");

    // The group with the leaver inside breaks the membership rules (internal groups keep no leavers).
    await page.goto("/groups?violations=1");
    await page.getByRole("link", { name: "客户群0", exact: true }).first().click();
    await expect(page.getByText("本群是在企业微信中直接创建的")).toBeVisible();
    const rules = page.getByTestId("group-violations");
    await expect(rules).toContainText("待处理");
    await expect(rules).toContainText(leaver.name);
  });
});
