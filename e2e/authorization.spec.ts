import { expect, test } from "./fixtures";
import { storageStateFor } from "./users";

// The server refuses what the UI hides: opening an admin URL or posting to an admin action as
// someone without the permission gets a refusal, never data.

test.describe("an employee", () => {
  test.use({ storageState: storageStateFor("employee"), allowConsoleErrors: [/status of 403/] });

  for (const path of ["/audit", "/directory/employees", "/directory/employees/new", "/directory/departments"]) {
    test(`is refused on ${path}`, async ({ page }) => {
      const response = await page.goto(path);
      expect(response?.status()).toBe(403);
      await expect(page.getByRole("heading", { name: "没有权限" })).toBeVisible();
      await expect(page.getByTestId("employee-table")).toHaveCount(0);
      await expect(page.getByTestId("audit-row")).toHaveCount(0);
    });
  }

  test("gets no data from the admin exports", async ({ page }) => {
    // An audit event's change list (read when the trail's folded list is opened): the trail's permission.
    for (const path of ["/api/directory/employees/export", "/api/audit/export", "/api/audit/changes?id=1"]) {
      const response = await page.request.get(path);
      expect(response.status(), path).toBe(403);
      expect(await response.text(), path).not.toContain("@wegovern.demo");
    }
  });
});

test.describe("an admin action posted with an employee's session", () => {
  test("is refused by the server and changes nothing", async ({ browser }) => {
    // Open the admin's create-employee form, then swap the session for an employee's before
    // submitting: the Server Action is called exactly as the page would call it.
    const adminContext = await browser.newContext({ storageState: storageStateFor("admin") });
    const employeeState = await (await browser.newContext({ storageState: storageStateFor("employee") })).storageState();
    const page = await adminContext.newPage();
    await page.goto("/directory/employees/new");
    const form = page.getByRole("form", { name: "新建员工" });
    await form.getByRole("textbox", { name: "工号", exact: true }).fill("FORGED-1");
    await form.getByRole("textbox", { name: "姓名", exact: true }).fill("伪造的员工");
    await form.getByRole("textbox", { name: "邮箱", exact: true }).fill("forged@wegovern.demo");
    const department = form.getByRole("combobox", { name: "部门" });
    await department.selectOption((await department.locator("option", { hasText: "(SALES-EAST)" }).getAttribute("value"))!);
    await form.getByLabel(/入职日期/).fill("2026-11-02");

    await adminContext.clearCookies();
    await adminContext.addCookies(employeeState.cookies);
    await form.getByRole("button", { name: /保存|创建|新建/ }).click();
    await expect(form.getByRole("alert").first()).toContainText("您没有权限执行此操作。");
    await adminContext.close();

    // Nothing was created: the admin finds no such employee.
    const adminPage = await (await browser.newContext({ storageState: storageStateFor("admin") })).newPage();
    await adminPage.goto("/directory/employees?q=FORGED-1");
    await expect(adminPage.getByTestId("employee-row")).toHaveCount(0);
  });
});

test.describe("a manager", () => {
  test.use({ storageState: storageStateFor("manager"), allowConsoleErrors: [/status of 404/] });

  test("sees only their own department subtree in the directory", async ({ page }) => {
    await page.goto("/directory/employees?pageSize=100");
    const rows = page.getByTestId("employee-row");
    await expect(rows.first()).toBeVisible();
    const text = (await page.getByTestId("employee-table").textContent()) ?? "";
    expect(text).toContain("王海涛");
    expect(text).not.toContain("黄志强"); // the manager of 华南销售部, outside the subtree
    expect(text).not.toContain("周建国"); // the administrator, in 信息技术部
  });

  test("cannot open an employee outside their subtree by editing the URL", async ({ page, browser }) => {
    // The admin looks up the id of someone in 华南销售部.
    const adminPage = await (await browser.newContext({ storageState: storageStateFor("admin") })).newPage();
    await adminPage.goto("/directory/employees?q=south.manager");
    const href = await adminPage.getByTestId("employee-row").first().getByRole("link").first().getAttribute("href");
    expect(href).toMatch(/^\/directory\/employees\/[a-z0-9]+$/);

    const response = await page.goto(href!);
    expect(response?.status()).toBe(404);
    await expect(page.getByRole("heading", { name: "页面不存在" })).toBeVisible();
    await expect(page.getByText("south.manager@wegovern.demo")).toHaveCount(0);
  });
});
