import { expect, test } from "./fixtures";
import { storageStateFor } from "./users";

// The lists whose rows are written as one markup string (components/ui/list-markup.ts): their links
// are plain <a href>, and the list's <tbody> (components/ui/list-rows.tsx) navigates on the client
// for them as `Link` did — the page is not loaded again (a value set on the window survives the
// click), and nothing is prefetched. A click with a modifier keeps the browser's behaviour.
const LISTS = [
  { path: "/groups", role: "admin", row: "group-row", link: 'a[href^="/groups/"]' },
  { path: "/service?view=all", role: "admin", row: "service-row", link: 'a[href^="/service/"]' },
  { path: "/audit", role: "admin", row: "audit-row", link: 'a[href^="/audit?"]' },
  { path: "/privacy/consents", role: "privacy", row: null, link: 'a[href^="/privacy/subjects/"]' },
  { path: "/training/overview", role: "admin", row: "training-person", link: 'a[href^="/training/overview/"]' },
  { path: "/training/overview", role: "admin", row: "course-stat", link: 'a[href^="/training/overview?course="]' },
] as const;

for (const list of LISTS) {
  test.describe(`${list.path} (${list.row ?? "rows"})`, () => {
    test.use({ storageState: storageStateFor(list.role) });

    test("a row's link navigates on the client, without prefetching", async ({ page }) => {
      const prefetches: string[] = [];
      page.on("request", (r) => {
        if (r.headers()["next-router-prefetch"]) prefetches.push(r.url());
      });
      await page.goto(list.path);
      const rows = list.row ? page.getByTestId(list.row) : page.getByTestId("consent-table").locator("tr");
      const link = rows.first().locator(list.link).first();
      await expect(link).toBeVisible();
      await link.hover();
      await page.evaluate(() => ((window as unknown as { listMarker: number }).listMarker = 1));
      const documents: string[] = [];
      page.on("request", (r) => {
        if (r.resourceType() === "document") documents.push(r.url());
      });
      const href = (await link.getAttribute("href"))!;
      // Nothing was prefetched for the rows' links, in view nor on hover (the shell and the page it
      // opens have links of their own).
      const rowHrefs = new Set(await rows.locator("a[href]").evaluateAll((links) => links.map((a) => a.getAttribute("href"))));
      const asked = prefetches.map((u) => {
        const url = new URL(u);
        url.searchParams.delete("_rsc");
        return `${url.pathname}${url.search}`;
      });
      expect(asked.filter((u) => rowHrefs.has(u))).toEqual([]);
      await link.click();
      await expect(page).toHaveURL((url) => `${url.pathname}${url.search}` === href);
      await expect(page.getByRole("heading", { level: 1 })).toBeVisible();
      expect(await page.evaluate(() => (window as unknown as { listMarker?: number }).listMarker)).toBe(1);
      expect(documents).toEqual([]);
    });
  });
}
