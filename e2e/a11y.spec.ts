import AxeBuilder from "@axe-core/playwright";
import type { Page } from "@playwright/test";
import { crawl } from "./crawl";
import { expect, openDrawer, test } from "./fixtures";
import { A11Y_ROLES, phoneProblems, WECOM_UA } from "./phone";
import { storageStateFor } from "./users";

// Accessibility (issue 17, item 8): axe on every portal page two roles reach — an administrator
// (every section) and a department manager (a manager is an employee too, so the employee's own
// pages are among them) — at 1280 px and at 375 px, with no serious or critical violation.
// Besides the pages: the refused (403) and not-found (404) pages, and the phone's open drawer.
// At 375 px the crawl also checks what the phone sweep checks (e2e/phone.ts), so these roles'
// pages are opened once for both; every navigation entry must open.
const ROLES = A11Y_ROLES;
const WIDTHS = [
  { name: "1280", width: 1280, height: 800 },
  { name: "375", width: 375, height: 812 },
];

// The two roles' crawls and the status pages run side by side (one worker each), in a project of
// their own after the other specs (playwright.config.ts), beside the WeCom projects.
test.describe.configure({ mode: "parallel" });

type Finding = { url: string; width: string; id: string; impact: string; help: string; targets: string[] };

// Legacy mode runs axe in the page itself. The default (axe.runPartial, for cross-origin iframes,
// which the portal has none of) opens a new page to finish every audit: measured on this machine
// under load, 9.1 s an audit against 4.3 s in legacy mode, with the same rules and findings.
async function audit(page: Page, url: string, width: string): Promise<Finding[]> {
  const result = await new AxeBuilder({ page }).withTags(["wcag2a", "wcag2aa", "wcag21a", "wcag21aa"]).setLegacyMode().analyze();
  return result.violations
    .filter((v) => v.impact === "serious" || v.impact === "critical")
    .map((v) => ({ url, width, id: v.id, impact: v.impact!, help: v.help, targets: v.nodes.slice(0, 5).map((n) => n.target.join(" ")) }));
}

test.describe("status pages and the drawer", () => {
  test.use({ storageState: storageStateFor("employee"), allowConsoleErrors: [/status of 40[34]/] });

  test("the 403 and 404 pages and the open drawer pass axe", async ({ page }) => {
    test.setTimeout(300_000); // seven audits; axe takes several seconds a page on a busy machine
    const findings: Finding[] = [];
    for (const w of WIDTHS) {
      await page.setViewportSize({ width: w.width, height: w.height });
      expect((await page.goto("/audit"))?.status()).toBe(403);
      await expect(page.getByTestId("forbidden")).toBeVisible();
      findings.push(...(await audit(page, "/audit (403)", w.name)));
      expect((await page.goto("/groups/cl0000000000000000000000"))?.status()).toBe(404);
      await expect(page.getByTestId("not-found")).toBeVisible();
      findings.push(...(await audit(page, "/groups/<missing> (404)", w.name)));
      expect((await page.goto("/no-such-page"))?.status()).toBe(404);
      findings.push(...(await audit(page, "/no-such-page (404)", w.name)));
    }
    await page.goto("/");
    await openDrawer(page);
    findings.push(...(await audit(page, "/ (drawer open)", "375")));
    expect(findings, JSON.stringify(findings, null, 2)).toEqual([]);
  });
});

for (const role of ROLES) {
  test.describe(role, () => {
    // With touch and WeCom's user agent, as the phone sweep (e2e/phone.ts): the 375 px check below
    // then sees what a phone inside WeCom sees (the context is resized, not a mobile viewport).
    test.use({ storageState: storageStateFor(role), hasTouch: true, userAgent: WECOM_UA, allowConsoleErrors: [/status of 40[34]/] });

    test(`every page passes axe at 1280 and 375 px, and fits a phone`, async ({ page }) => {
      test.setTimeout(3_600_000); // 40–70 pages, each audited at two widths, on a busy 2-core machine
      await page.setViewportSize({ width: 1280, height: 800 });
      // Each page is loaded once: audited at 1280 px, then at 375 px (the layout follows the width
      // by CSS alone) where its phone layout is checked too, its links followed at 1280 px.
      const phone: string[] = [];
      const { visited, broken } = await crawl(page, async (path) => {
        await expect(page.getByRole("heading", { level: 1 }).first(), path).toBeVisible();
        for (const w of WIDTHS) {
          await page.setViewportSize({ width: w.width, height: w.height });
          const findings = await audit(page, path, w.name);
          // Soft: every page's findings are reported, not only the first page's.
          expect.soft(findings, JSON.stringify(findings, null, 2)).toEqual([]);
        }
        phone.push(...(await phoneProblems(page, path)));
        await page.setViewportSize({ width: 1280, height: 800 });
      });
      expect(broken, "navigation entries that did not open").toEqual([]);
      expect(phone, "at 375 px").toEqual([]);
      expect(visited.length, "pages found from the navigation").toBeGreaterThan(role === "admin" ? 30 : 15);
    });
  });
}
