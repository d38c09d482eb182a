import type { Page } from "@playwright/test";

// The portal's pages as a signed-in person reaches them: the navigation's sections, then every
// page linked from those (and from those pages), one address per route pattern (/groups/<id> is
// one page however many groups there are). Links only, never a form: opening a page changes
// nothing, so a crawl is safe on the shared e2e database.

/** An id-like path segment: cuid/cuid2, UUID, or a number. */
const ID = /^(c[a-z0-9]{20,}|[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}|[a-z0-9]{24,}|\d+)$/i;

export const patternOf = (path: string) =>
  path
    .split("/")
    .map((s) => (ID.test(s) ? "[id]" : s))
    .join("/");

const SKIP = [/^\/api\//, /\/export(\/|$)/, /^\/login/, /^\/_next\//, /\.(csv|xlsx|pdf|png|svg|txt)$/];

/** The same-origin page paths (no query) a page links to. */
export async function linksOn(page: Page): Promise<string[]> {
  const hrefs = await page.locator("a[href]").evaluateAll((as) =>
    as
      .filter((a) => !(a as HTMLAnchorElement).hasAttribute("download") && !(a as HTMLAnchorElement).target)
      .map((a) => {
        const url = new URL((a as HTMLAnchorElement).href, location.href);
        return url.origin === location.origin ? url.pathname : null;
      })
      .filter((p): p is string => p !== null),
  );
  return [...new Set(hrefs)].filter((p) => !SKIP.some((r) => r.test(p)));
}

/** Breadth first from the navigation, up to `depth` links away from it, one path per pattern:
 * each page is opened once, `visit` checks it (it may resize the page, not navigate), and its
 * links are followed. Returns the paths visited, and the navigation's own entries that did not
 * answer 200 (`broken`: every entry the navigation offers must open; a linked page may be refused). */
export async function crawl(page: Page, visit: (path: string) => Promise<void>, { depth = 2, limit = 120 } = {}): Promise<{ visited: string[]; broken: string[] }> {
  await page.goto("/");
  // The whole navigation, as links in the page: the sidebar's list is there at every width (hidden
  // on a phone, where the tab bar and drawer offer the same entries).
  const start = await page.locator('nav[aria-label="主导航"] a[href]').evaluateAll((as) => as.map((a) => new URL((a as HTMLAnchorElement).href).pathname));
  const seen = new Set<string>();
  const visited: string[] = [];
  const broken: string[] = [];
  let frontier = start.filter((p) => !seen.has(patternOf(p)) && seen.add(patternOf(p)));
  for (let level = 0; level <= depth && frontier.length; level++) {
    const next: string[] = [];
    for (const path of frontier) {
      const response = await page.goto(path);
      if (!response || response.status() !== 200) {
        if (level === 0) broken.push(`${path}: ${response?.status() ?? "no response"}`);
        continue;
      }
      await visit(path);
      visited.push(path);
      if (level === depth) continue;
      for (const link of await linksOn(page)) {
        const pattern = patternOf(link);
        if (seen.has(pattern) || seen.size >= limit) continue;
        seen.add(pattern);
        next.push(link);
      }
    }
    frontier = next;
  }
  return { visited, broken };
}
