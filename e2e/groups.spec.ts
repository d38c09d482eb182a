import type { Browser, Page } from "@playwright/test";
import { expect, test } from "./fixtures";
import { storageStateFor, USERS, type RoleKey } from "./users";

// Issue 3's work-group flows as people click them: requesting a group under the naming rule,
// the two-step approval (the requester's department manager, then the administrator), and a
// dissolution that must wait for a fresh archive. Every group is new and uniquely named, so the
// tests depend neither on each other nor on the demo data's state.

test.use({ storageState: storageStateFor("employee") });

let serial = 0;
/** A project part no other test (nor an earlier run on the same database) uses. */
function uniqueProject(): string {
  serial += 1;
  return `E2E${Date.now().toString(36).slice(-6)}${serial}`;
}

/** The group's status badge, by its Chinese label (lib/i18n/messages/groups.ts → status). */
const status = (page: Page, label: string) => page.getByText(label, { exact: true });

/** Fills the request form (the naming parts included) and submits it; returns the group's name. */
async function requestGroup(page: Page, project: string, purpose = "协作"): Promise<string> {
  await page.goto("/groups/new");
  const form = page.getByRole("form", { name: "申请建群" });
  await form.getByRole("textbox", { name: "项目", exact: true }).fill(project);
  await form.getByRole("textbox", { name: "用途", exact: true }).fill(purpose);
  await expect(form.getByTestId("name-preview")).toContainText("群名称符合命名规则。");
  await form.getByRole("textbox", { name: "用途说明" }).fill("端到端测试用的工作群：组内协作。");
  await form.getByRole("spinbutton", { name: "预计人数" }).fill("20");
  await form.getByRole("button", { name: "提交申请" }).click();
  await expect(page).toHaveURL(/\/groups\/[a-z0-9]+$/);
  const name = `上海销售一组-${project}-${purpose}`;
  await expect(page.getByRole("heading", { level: 1, name })).toBeVisible();
  return name;
}

/** Opens the approval inbox as `role`, finds the request by its title and approves the step. */
async function approveAs(browser: Browser, role: RoleKey, title: string) {
  const context = await browser.newContext({ storageState: storageStateFor(role) });
  const page = await context.newPage();
  await page.goto("/approvals");
  await page.getByTestId("approval-item").filter({ hasText: title }).getByRole("link", { name: title, exact: true }).click();
  await expect(page.getByRole("heading", { level: 1, name: title })).toBeVisible();
  const requestUrl = page.url();
  const decide = page.getByRole("form", { name: "审批此步骤" });
  await decide.getByRole("button", { name: "同意" }).click();
  // On to the next request waiting (or the inbox), saying what was decided.
  await expect(page.getByTestId("toast").filter({ hasText: `已同意“${title}”。` })).toBeVisible();
  await expect(page).not.toHaveURL(requestUrl);
  await page.goto(requestUrl);
  await expect(page.getByRole("form", { name: "审批此步骤" })).toHaveCount(0);
  await context.close();
}

test.describe("the naming rule's settings", () => {
  test.use({ storageState: storageStateFor("admin") });

  test("ADMIN sees the exemptions beside the blocked words and tries a name with them before saving", async ({ page }) => {
    await page.goto("/settings/naming-rule");
    const exemptions = page.getByRole("textbox", { name: "例外词" });
    await expect(exemptions).toHaveValue(/^检测试剂$/m);
    const sample = page.getByRole("textbox", { name: "项目", exact: true });
    const preview = page.getByTestId("name-preview");
    await sample.fill("检测试剂");
    await expect(preview).toContainText("群名称符合命名规则。");
    await sample.fill("检测试剂测试");
    await expect(preview.getByTestId("name-problems")).toHaveText("“项目”含有禁用词“测试”。");
    // Without the exemption (not saved), 检测试剂 is blocked too.
    await sample.fill("检测试剂");
    await exemptions.fill("");
    await expect(preview.getByTestId("name-problems")).toHaveText("“项目”含有禁用词“测试”。");
    await expect(page.getByTestId("policy-history")).toContainText("检测试剂");
  });
});

test.describe("requesting a work group", () => {
  test("a blocked word is explained as it is typed and refused; the fixed request is approved by the manager, then the admin", async ({ page, browser }) => {
    test.slow(); // three people and several approval steps in one test: three times the usual limit
    const project = uniqueProject();
    await page.goto("/groups/new");
    const form = page.getByRole("form", { name: "申请建群" });
    await expect(form.getByRole("combobox", { name: "所属部门" }).locator("option:checked")).toHaveText(/上海销售一组/);

    // The naming rule {部门}-{项目}-{用途} is checked on every keystroke.
    const projectField = form.getByRole("textbox", { name: "项目", exact: true });
    await projectField.fill("新品測 試群");
    await form.getByRole("textbox", { name: "用途", exact: true }).fill("协作");
    const preview = form.getByTestId("name-preview");
    // Inside a longer Chinese name and in another spelling, it is still found, and named as written.
    await expect(preview.getByTestId("name-problems")).toHaveText("“项目”中的“測 試”是禁用词“测试”的另一种写法。");
    await projectField.fill("测试");
    await expect(preview.getByTestId("name-value")).toHaveText("上海销售一组-测试-协作");
    await expect(preview.getByTestId("name-problems")).toHaveText("“项目”含有禁用词“测试”。");

    // Everything else filled in: the browser still refuses to send the name.
    await form.getByRole("textbox", { name: "用途说明" }).fill("新品推广期间组内分工协作。");
    await form.getByRole("combobox", { name: "平台" }).selectOption({ label: "企业微信" });
    await form.getByRole("combobox", { name: "类型" }).selectOption({ label: "内部群" });
    await form.getByRole("combobox", { name: "密级" }).selectOption({ label: "内部" });
    await form.getByRole("spinbutton", { name: "预计人数" }).fill("25");
    await form.getByRole("button", { name: "提交申请" }).click();
    await expect(form.getByRole("alert").filter({ hasText: "请修正标出的字段。" })).toBeVisible();
    await expect(form.getByRole("alert").filter({ hasText: "请按群名称预览下的提示修改。" })).toBeVisible();
    await expect(page).toHaveURL(/\/groups\/new$/);

    // Fixed: the problem goes away as the person types.
    await projectField.fill(project);
    await expect(preview.getByTestId("name-problems")).toHaveCount(0);
    await expect(preview).toContainText("群名称符合命名规则。");
    const name = `上海销售一组-${project}-协作`;
    await expect(preview.getByTestId("name-value")).toHaveText(name);
    await expect(form.getByRole("textbox", { name: "用途说明" })).toHaveValue("新品推广期间组内分工协作。");
    await form.getByRole("button", { name: "提交申请" }).click();

    await expect(page).toHaveURL(/\/groups\/[a-z0-9]+$/);
    await expect(page.getByRole("heading", { level: 1, name })).toBeVisible();
    await expect(status(page, "待审批")).toBeVisible();
    await expect(page.getByRole("status").filter({ hasText: "本群的建群申请正在审批中。" })).toBeVisible();
    await expect(page.getByTestId("group-requests")).toContainText("建群 · 审批中");

    // The manager of 华东销售部 finds it waiting on them.
    const managerContext = await browser.newContext({ storageState: storageStateFor("manager") });
    const manager = await managerContext.newPage();
    await manager.goto("/approvals");
    await expect(manager.getByRole("link", { name: "待我审批" })).toHaveAttribute("aria-current", "page");
    const item = manager.getByTestId("approval-item").filter({ hasText: name });
    await expect(item).toContainText("建群申请");
    await expect(item).toContainText(`申请人 ${USERS.employee.name}`);
    await expect(item).toContainText("审批中");
    await item.getByRole("link", { name, exact: true }).click();
    await expect(manager).toHaveURL(/\/approvals\/[a-z0-9]+$/);
    const requestUrl = manager.url();
    await expect(manager.getByRole("heading", { level: 1, name })).toBeVisible();
    await expect(manager.getByTestId("payload-summary")).toContainText("新品推广期间组内分工协作。");

    // Rejecting needs a reason: refused, and nothing was decided.
    const decide = manager.getByRole("form", { name: "审批此步骤" });
    await decide.getByRole("button", { name: "驳回" }).click();
    const comment = decide.getByRole("textbox", { name: "审批意见" });
    await expect(comment).toHaveAttribute("aria-invalid", "true");
    await expect(decide.getByRole("alert").filter({ hasText: "驳回时必须填写意见。" })).toBeVisible();
    await manager.reload();
    await expect(manager.getByTestId("request-facts")).toContainText("状态：审批中");
    await expect(manager.getByTestId("timeline-step").first()).toHaveAttribute("data-status", "PENDING");

    // Approved instead: the step is done and the administrator's step opens.
    await decide.getByRole("button", { name: "同意" }).click();
    await expect(manager.getByTestId("toast").filter({ hasText: `已同意“${name}”。` })).toBeVisible();
    await expect(manager).not.toHaveURL(requestUrl);
    await manager.goto(requestUrl);
    await expect(manager.getByRole("form", { name: "审批此步骤" })).toHaveCount(0);
    const steps = manager.getByTestId("timeline-step");
    await expect(steps.first()).toHaveAttribute("data-status", "APPROVED");
    await expect(steps.first()).toContainText(`处理人：${USERS.manager.name}`);
    await expect(manager.getByTestId("request-facts")).toContainText("状态：审批中");
    await managerContext.close();

    await page.reload();
    await expect(status(page, "待审批")).toBeVisible();

    // The administrator approves the last step: the group is in use.
    await approveAs(browser, "admin", name);
    await page.reload();
    await expect(status(page, "使用中")).toBeVisible();
    await expect(page.getByTestId("group-requests")).toContainText("建群 · 已通过");
    await expect(page.getByTestId("group-history")).toContainText("审批通过，群已启用");

    // The registry agrees.
    await page.goto(`/groups?q=${encodeURIComponent(project)}`);
    const row = page.getByTestId("group-row");
    await expect(row).toHaveCount(1);
    await expect(row.getByRole("link", { name, exact: true })).toBeVisible();
    await expect(row).toContainText("使用中");
  });
});

test.describe("dissolving a work group", () => {
  test("an archive older than 7 days does not count", async ({ browser }) => {
    // The demo's 华东销售部-月度-经理例会 (lib/groups/demo-seed.ts): ACTIVE, owned by the manager,
    // newest archive 45 days old. Only read here.
    const context = await browser.newContext({ storageState: storageStateFor("manager") });
    const page = await context.newPage();
    const name = "华东销售部-月度-经理例会";
    await page.goto(`/groups?q=${encodeURIComponent("经理例会")}`);
    await page.getByTestId("group-row").getByRole("link", { name, exact: true }).click();
    await expect(page.getByRole("heading", { level: 1, name })).toBeVisible();
    await expect(status(page, "使用中")).toBeVisible();
    await expect(page.getByTestId("archive-records")).toContainText("OA 档案系统 编号 HD-2026-031");
    const dissolve = page.getByRole("region", { name: "申请解散" });
    await expect(dissolve.getByRole("status")).toContainText("解散前需备份：最近 7 天内没有归档记录，暂时不能申请解散。");
    await expect(dissolve.getByRole("link", { name: "先记录归档" })).toHaveAttribute("href", "#record-archive");
    await expect(dissolve.getByRole("button", { name: "申请解散" })).toHaveCount(0);
    await context.close();
  });

  test("needs an archive from the last 7 days; once recorded, the dissolution is requested and approved", async ({ page, browser }) => {
    test.slow(); // three people and several approval steps in one test: three times the usual limit
    const name = await requestGroup(page, uniqueProject(), "通知");
    await approveAs(browser, "manager", name);
    await approveAs(browser, "admin", name);
    await page.reload();
    await expect(status(page, "使用中")).toBeVisible();
    const groupUrl = page.url();

    // No archive yet: no way to ask, the reason, and a link to record one.
    const dissolve = page.getByRole("region", { name: "申请解散" });
    await expect(dissolve.getByRole("status")).toContainText("解散前需备份：最近 7 天内没有归档记录，暂时不能申请解散。");
    await expect(dissolve.getByRole("button", { name: "申请解散" })).toHaveCount(0);
    await dissolve.getByRole("link", { name: "先记录归档" }).click();
    await expect(page).toHaveURL(`${groupUrl}#record-archive`);

    // The owner records where the export went.
    const archive = page.getByRole("form", { name: "记录归档" });
    await expect(archive).toBeInViewport();
    await archive.getByRole("textbox", { name: "导出内容" }).fill("聊天记录、群文件、成员名单");
    await archive.getByRole("textbox", { name: "存放位置" }).fill("企业知识库/销售中心/上海销售一组/群归档");
    await archive.getByRole("textbox", { name: "备注" }).fill("解散前的最后一次导出");
    await archive.getByRole("button", { name: "保存归档记录" }).click();
    await expect(page.getByRole("region", { name: "记录归档" }).getByRole("status")).toHaveText("归档记录已保存。");
    const records = page.getByTestId("archive-records");
    await expect(records).toContainText("聊天记录、群文件、成员名单");
    await expect(records).toContainText("存放位置：企业知识库/销售中心/上海销售一组/群归档");
    await expect(records).toContainText("解散前的最后一次导出");
    await expect(records).toContainText(`记录人：${USERS.employee.name}`);

    // Now the dissolution can be asked for.
    await expect(dissolve).toContainText("可以申请解散。");
    await dissolve.getByRole("button", { name: "申请解散" }).click();
    await page.getByRole("dialog", { name: "申请解散此工作群？" }).getByRole("button", { name: "提交解散申请" }).click();
    await expect(status(page, "解散审批中")).toBeVisible();
    await expect(page.getByRole("status").filter({ hasText: "本群的解散申请正在审批中。" })).toBeVisible();
    await expect(page.getByTestId("group-requests")).toContainText("解散 · 审批中");
    await expect(page.getByRole("region", { name: "申请解散" })).toHaveCount(0);

    // The owner's department manager, then the administrator: dissolved.
    await approveAs(browser, "manager", name);
    await page.reload();
    await expect(status(page, "解散审批中")).toBeVisible();
    await approveAs(browser, "admin", name);
    await page.reload();
    await expect(status(page, "已解散")).toBeVisible();
    await expect(page.getByTestId("group-requests")).toContainText("解散 · 已通过");
    await expect(page.getByRole("heading", { name: "操作", exact: true })).toHaveCount(0);
  });
});
