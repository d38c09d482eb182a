import { test as base, expect, type Page } from "@playwright/test";
import { PASSWORD } from "./users";

// Every page a test opens is watched: a console error or an uncaught page error fails the test
// unless the test lists it in `allowConsoleErrors` (ARCHITECTURE.md).
export const test = base.extend<{ allowConsoleErrors: RegExp[]; consoleGuard: void }>({
  allowConsoleErrors: [[], { option: true }],
  consoleGuard: [
    async ({ context, allowConsoleErrors }, use) => {
      const problems: string[] = [];
      const watch = (page: Page) => {
        page.on("console", (m) => {
          if (m.type() === "error" && !allowConsoleErrors.some((r) => r.test(m.text()))) problems.push(`console.error: ${m.text()}`);
        });
        page.on("pageerror", (e) => problems.push(`page error: ${e.message}`));
      };
      context.pages().forEach(watch);
      context.on("page", watch);
      await use();
      expect(problems, "console errors during the test").toEqual([]);
    },
    { auto: true },
  ],
});

export { expect };

/** Signs in through the real form. */
export async function signIn(page: Page, email: string, password = PASSWORD) {
  await page.goto("/login");
  const form = page.getByRole("form", { name: /登录|Sign in/ });
  await form.getByLabel(/邮箱|E-mail/).fill(email);
  await form.getByLabel(/密码|Password/).fill(password);
  await form.getByRole("button", { name: /登录|Sign in/ }).click();
}

/**
 * Opens the phone's 更多 drawer and returns it. The drawer opens from the page's script: a tap that
 * lands before the page has hydrated (a test acting right after a navigation, on a busy machine)
 * opens nothing, so the tap is repeated until the drawer shows (a CI run waited 180 s on one).
 */
export async function openDrawer(page: Page) {
  const more = page.getByRole("navigation", { name: "常用功能" }).getByRole("button", { name: "更多" });
  const drawer = page.getByRole("dialog", { name: "全部功能" });
  await expect(async () => {
    if (!(await drawer.isVisible())) await more.click();
    await expect(drawer).toBeVisible({ timeout: 2_000 });
  }).toPass({ timeout: 60_000 });
  return drawer;
}

/** Signs out from the shell at any width: the sidebar's button, or on a phone the one in the 更多 drawer. */
export async function signOut(page: Page) {
  const more = page.getByRole("navigation", { name: "常用功能" }).getByRole("button", { name: "更多" });
  if (await more.isVisible()) {
    await (await openDrawer(page)).getByRole("button", { name: "退出登录" }).click();
  } else {
    await page.getByRole("button", { name: "退出登录" }).click();
  }
}
