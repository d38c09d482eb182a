import { expect, test } from "./fixtures";
import { storageStateFor } from "./users";

test.describe("HR keeps the directory", () => {
  test.use({ storageState: storageStateFor("hr") });

  test("a bad e-mail is explained beside the field; once fixed the employee is created and audited", async ({ page, browser }) => {
    test.slow(); // two people's pages, a form twice, the trail, a change list read and an export: past 60 s on a busy machine
    await page.goto("/directory/employees/new");
    const form = page.getByRole("form", { name: "新建员工" });
    await form.getByRole("textbox", { name: "工号", exact: true }).fill("E2E-0001");
    await form.getByRole("textbox", { name: "姓名", exact: true }).fill("端到端新同事");
    const email = form.getByRole("textbox", { name: "邮箱", exact: true });
    await email.fill("not-an-address");
    const department = form.getByRole("combobox", { name: "部门" });
    await department.selectOption((await department.locator("option", { hasText: "(CS-ONLINE)" }).getAttribute("value"))!);
    await form.getByRole("button", { name: "创建员工" }).click();

    await expect(email).toHaveAttribute("aria-invalid", "true");
    const describedBy = (await email.getAttribute("aria-describedby"))!.split(" ").find((id) => id.endsWith("-error"))!;
    await expect(page.locator(`[id="${describedBy}"]`)).toHaveText("请输入有效的邮箱地址。");
    await expect(form.getByRole("textbox", { name: "姓名", exact: true })).toHaveValue("端到端新同事");

    await email.fill("e2e.newcomer@wegovern.demo");
    await form.getByRole("button", { name: "创建员工" }).click();
    await expect(page).toHaveURL(/\/directory\/employees\/[a-z0-9]+$/);
    await expect(page.getByTestId("employee-details")).toContainText("e2e.newcomer@wegovern.demo");

    // The auditor finds the change in the audit trail and can export it.
    const auditor = await (await browser.newContext({ storageState: storageStateFor("auditor") })).newPage();
    await auditor.goto("/audit?action=employee.create");
    const row = auditor.getByTestId("audit-row").first();
    await expect(row).toContainText("hr@wegovern.demo");
    await expect(row).toContainText("新建员工"); // the action by its name (the code stays in the CSV)
    // The folded change list is read when opened, by keyboard as by touch: the new employee's e-mail.
    const change = row.getByTestId("audit-change");
    await expect(change.getByTestId("audit-change-fields")).toHaveCount(0);
    await change.locator("summary").focus();
    await auditor.keyboard.press("Enter");
    await expect(change.getByTestId("audit-change-fields")).toContainText("e2e.newcomer@wegovern.demo");
    const download = auditor.waitForEvent("download");
    await auditor.getByTestId("audit-export").click();
    const csv = await (await download).path().then((p) => import("node:fs").then((fs) => fs.readFileSync(p, "utf8")));
    expect(csv.split("\r\n")[0]).toContain("id,time,actor_id,actor,action");
    expect(csv).toContain("e2e.newcomer@wegovern.demo");
  });
});
