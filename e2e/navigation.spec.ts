import { expect, test } from "./fixtures";
import { storageStateFor, USERS, type RoleKey } from "./users";

// What each role's navigation offers (lib/shell/navigation.ts), as a person sees it.
const EXPECTED: Record<RoleKey, { nav: string[]; roles: string[] }> = {
  admin: { nav: ["首页", "合规看板", "审批", "工作群", "账号资产", "个人信息", "客户服务", "培训", "内容合规", "离职交接", "员工", "部门", "审计日志", "通知设置", "设置"], roles: ["系统管理员", "员工"] },
  hr: { nav: ["首页", "审批", "工作群", "账号资产", "个人信息", "客户服务", "培训", "内容合规", "离职交接", "员工", "部门", "通知设置"], roles: ["人事", "员工"] },
  manager: { nav: ["首页", "合规看板", "审批", "工作群", "账号资产", "个人信息", "客户服务", "培训", "内容合规", "员工", "通知设置"], roles: ["部门经理", "员工"] },
  privacy: { nav: ["首页", "合规看板", "审批", "工作群", "账号资产", "个人信息", "客户服务", "培训", "内容合规", "通知设置"], roles: ["个人信息保护负责人", "员工"] },
  auditor: { nav: ["首页", "合规看板", "审批", "工作群", "账号资产", "个人信息", "客户服务", "培训", "内容合规", "离职交接", "员工", "部门", "审计日志", "通知设置", "设置"], roles: ["审计员", "员工"] },
  employee: { nav: ["首页", "审批", "工作群", "账号资产", "个人信息", "客户服务", "培训", "内容合规", "通知设置"], roles: ["员工"] },
};

for (const role of Object.keys(EXPECTED) as RoleKey[]) {
  test.describe(`${role}`, () => {
    test.use({ storageState: storageStateFor(role) });

    test(`sees their name, roles and navigation`, async ({ page }) => {
      await page.goto("/");
      const nav = page.getByRole("navigation", { name: "主导航" });
      await expect(nav.getByRole("link")).toHaveText(EXPECTED[role].nav);
      const user = page.getByTestId("current-user");
      await expect(user).toContainText(USERS[role].name);
      for (const r of EXPECTED[role].roles) await expect(user).toContainText(r);
      await expect(page.getByRole("heading", { name: "待我处理" })).toBeVisible();
    });

    test(`can open every page their navigation offers`, async ({ page }) => {
      // Up to 14 full page loads in a row: more than the default 30 s allows on a busy 2-core runner.
      test.slow();
      await page.goto("/");
      const hrefs = await page.getByRole("navigation", { name: "主导航" }).getByRole("link").evaluateAll((links) => links.map((a) => a.getAttribute("href")!));
      for (const href of hrefs) {
        const response = await page.goto(href);
        expect(response?.status(), href).toBe(200);
        await expect(page.getByRole("heading", { level: 1 }), href).toBeVisible();
      }
    });
  });
}
