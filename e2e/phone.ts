import type { Page } from "@playwright/test";
import type { RoleKey } from "./users";

// What "usable on a phone" means for a page (issue 17), checked at 375 px by two crawls that
// share the work: the accessibility crawl (e2e/a11y.spec.ts) checks it for the roles it audits,
// at 375 px, beside axe; the phone sweep (e2e/mobile-shell.spec.ts) for every other role. Each
// page is opened once per role.

/** The roles whose every page axe audits (issue 17 item 8: two roles, at 1280 and 375 px). */
export const A11Y_ROLES: RoleKey[] = ["admin", "manager"];

/** The WeCom client on an iPhone: its user agent, 375 × 812, touch. */
export const WECOM_UA =
  "Mozilla/5.0 (iPhone; CPU iPhone OS 17_5 like Mac OS X) AppleWebKit/605.1.15 (KHTML, like Gecko) Mobile/15E148 wxwork/4.1.30 MicroMessenger/7.0.1 Language/zh ColorScheme/Light";
export const PHONE = { viewport: { width: 375, height: 812 }, hasTouch: true, isMobile: true, userAgent: WECOM_UA };

/** A page at 375 px: no sideways scroll, the heading within the first 200 px, a title of its own. */
export async function phoneProblems(page: Page, path: string): Promise<string[]> {
  const l = await page.evaluate(() => {
    const h1 = document.querySelector("main h1");
    return {
      scrollWidth: document.scrollingElement!.scrollWidth,
      innerWidth: window.innerWidth,
      h1Top: h1 ? h1.getBoundingClientRect().top + window.scrollY : null,
      title: document.title,
    };
  });
  const problems: string[] = [];
  // Compared with 375, not innerWidth alone: a mobile browser widens its layout viewport to fit a
  // page that overflows.
  if (l.scrollWidth > 375 || l.innerWidth > 375) problems.push(`${path}: page ${l.scrollWidth} px wide`);
  if (l.h1Top === null || l.h1Top > 200) problems.push(`${path}: heading at ${l.h1Top} px`);
  if (!/^.+ · WeGovern$/.test(l.title)) problems.push(`${path}: title "${l.title}"`);
  return problems;
}
