import type { Page } from "@playwright/test";
import { DEMO_COURSES } from "../lib/training/demo-content";
import { expect, signIn, test } from "./fixtures";
import { storageStateFor } from "./users";

// Training (SPEC §9) as people use it. Only staff22 (王艳, WG0121) and staff32 (孙强, WG0131) of
// 杭州销售组 are changed here; the manager reads the overview (assertions on these two only) and
// the administrator publishes a new version of the handbook chapter (which asks everyone again).

test.describe.configure({ mode: "serial" });

const signedOut = { cookies: [], origins: [] };
const STAFF22 = { email: "staff22@wegovern.demo", no: "WG0121" };
const STAFF32 = { email: "staff32@wegovern.demo", no: "WG0131" };
const PHISH = DEMO_COURSES.find((c) => c.code === "PHISH-101")!;

async function signInAs(page: Page, email: string) {
  await signIn(page, email);
  // Attached, not visible: on a phone the person is named in the 更多 drawer, not the sidebar.
  await expect(page.getByTestId("current-user")).toBeAttached();
}

async function answer(page: Page, right: boolean) {
  const questions = page.getByTestId("quiz-question");
  await expect(questions).toHaveCount(PHISH.quiz.length);
  for (const [i, q] of PHISH.quiz.entries()) {
    const choices = questions.nth(i).locator("input");
    // Clear what a previous attempt left ticked (checkboxes of multiple-choice questions).
    for (let j = 0; j < q.choices.length; j++) if ((await choices.nth(j).getAttribute("type")) === "checkbox") await choices.nth(j).uncheck();
    const picks = right ? q.correct : [q.choices.length - 1];
    for (const j of picks) await choices.nth(j).check();
  }
  await page.getByRole("button", { name: "提交答案" }).click();
}

async function overviewRow(page: Page, employeeNo: string) {
  await page.goto(`/training/overview?q=${employeeNo}`);
  const row = page.locator(`[data-testid="training-person"][data-employee-no="${employeeNo}"]`);
  await expect(row).toHaveCount(1);
  return row;
}

test("an employee takes a course, fails the quiz, retries and passes; the manager's overview reflects it", async ({ browser }) => {
  const manager = await (await browser.newContext({ storageState: storageStateFor("manager") })).newPage();
  const before = await overviewRow(manager, STAFF22.no);
  await expect(before.getByTestId("person-courses")).toHaveText("4 / 0 / 0");

  const page = await (await browser.newContext({ storageState: signedOut })).newPage();
  await page.setViewportSize({ width: 375, height: 800 });
  await signInAs(page, STAFF22.email);
  await page.goto("/training");
  await expect(page.getByRole("heading", { level: 1, name: "培训" })).toBeVisible();
  await page.getByTestId("my-courses").getByRole("link", { name: PHISH.titleZh }).click();
  await expect(page.getByRole("heading", { level: 1, name: PHISH.titleZh })).toBeVisible();
  await expect(page.getByTestId("markup")).toContainText("二次确认");
  // Nothing cut off at 375 px: the page does not scroll sideways.
  expect(await page.evaluate(() => document.documentElement.scrollWidth)).toBeLessThanOrEqual(375);

  await answer(page, false);
  await expect(page.getByTestId("quiz-result")).toContainText("未通过：0 分");
  await expect(page.getByTestId("course-status")).toContainText("已作答 1 次");

  await answer(page, true);
  // Passing completes the course: the page is read again and shows the completion in place of the quiz.
  await expect(page.getByTestId("course-completed")).toContainText("成绩 100");
  await page.reload();
  await expect(page.getByTestId("course-completed")).toContainText("成绩 100");
  await expect(page.getByTestId("course-status")).toContainText("已作答 2 次");

  await page.goto("/training");
  await expect(page.locator(`[data-testid="my-course"][data-course]`).filter({ hasText: PHISH.titleZh })).toContainText("已完成");

  const after = await overviewRow(manager, STAFF22.no);
  await expect(after.getByTestId("person-courses")).toHaveText("3 / 0 / 1");
});

test("a new version of the handbook chapter asks the employee again", async ({ browser }) => {
  test.slow(); // three people, a publication, two acknowledgements and a reminder: 30 s alone, past 60 s on a busy machine
  const page = await (await browser.newContext({ storageState: signedOut })).newPage();
  await signInAs(page, STAFF32.email);
  await page.goto("/training");
  const policy = page.getByTestId("my-policy").filter({ hasText: "员工手册·微信使用章节" });
  await expect(policy).toContainText("v1");
  await policy.getByRole("link").click();
  await page.getByRole("button", { name: "确认已阅读" }).click();
  await expect(page.getByTestId("policy-ack")).toContainText("确认第 1 版");
  await page.goto("/training");
  await expect(policy).toContainText("已确认");

  const admin = await (await browser.newContext({ storageState: storageStateFor("admin") })).newPage();
  await admin.goto("/training/manage");
  const form = admin.getByRole("form", { name: "发布新版本" });
  const current = Number((await form.locator('input[name="currentVersionNo"]').inputValue()) || "0");
  await form.getByLabel("变更说明").fill("补充：客户群每季度复核一次成员。");
  await form.getByRole("button", { name: "发布新版本" }).click();
  await expect(form.getByRole("status")).toContainText(`已发布第 ${current + 1} 版`);

  await page.goto("/training");
  await expect(policy).toContainText(`v${current + 1}`);
  await expect(policy).toContainText("待确认");
  await policy.getByRole("link").click();
  await expect(page.getByText("补充：客户群每季度复核一次成员。")).toBeVisible();
  await page.getByRole("button", { name: "确认已阅读" }).click();
  await expect(page.getByTestId("policy-ack")).toContainText(`确认第 ${current + 1} 版`);

  const manager = await (await browser.newContext({ storageState: storageStateFor("manager") })).newPage();
  const row = await overviewRow(manager, STAFF32.no);
  await expect(row.getByTestId("person-policies")).toHaveText("0 / 0");

  // The manager reminds the people of the filtered list (staff32 alone: four courses open).
  await manager.getByRole("button", { name: "提醒未完成的人" }).click();
  await manager.getByRole("dialog", { name: "提醒所有未完成的人？" }).getByRole("button", { name: "发送提醒" }).click();
  await expect(manager.getByRole("form", { name: "提醒未完成的人" }).getByRole("status")).toContainText("已提醒 1 人");
  await page.goto("/");
  await expect(page.getByText("王海涛 提醒您：4 项培训或制度确认未完成")).toBeVisible();
});

test("each role opens the training pages it is offered, and no other", async ({ browser }) => {
  const cases: [Parameters<typeof storageStateFor>[0], string, number][] = [
    ["employee", "/training", 200],
    ["employee", "/training/overview", 403],
    ["employee", "/training/manage", 403],
    ["manager", "/training/overview", 200],
    ["auditor", "/training/overview", 200],
    ["auditor", "/training/manage", 403],
    ["hr", "/training/manage", 200],
    ["admin", "/training/manage", 200],
  ];
  for (const [role, path, status] of cases) {
    const context = await browser.newContext({ storageState: storageStateFor(role) });
    const page = await context.newPage();
    const response = await page.goto(path);
    expect(response?.status(), `${role} ${path}`).toBe(status);
    if (status === 200) await expect(page.getByRole("heading", { level: 1 })).toBeVisible();
    await context.close();
  }
});
