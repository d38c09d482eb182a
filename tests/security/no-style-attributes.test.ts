import { readdirSync, readFileSync, statSync } from "node:fs";
import path from "node:path";
import { createElement } from "react";
import { renderToStaticMarkup } from "react-dom/server";
import { describe, expect, it } from "vitest";
import { ProgressBar } from "@/components/ui/progress";

// The portal's Content-Security-Policy (style-src 'self' 'nonce-…', no 'unsafe-inline') makes the
// browser refuse every style attribute: a component that sets one renders wrong in production and
// logs a CSP error. The WeCom sync's progress bars set their width that way until the accessibility
// crawl happened to open /settings/wecom while a sync was running.

const ROOT = path.resolve(import.meta.dirname, "../..");

function tsxFiles(dir: string): string[] {
  return readdirSync(dir).flatMap((name) => {
    const full = path.join(dir, name);
    if (statSync(full).isDirectory()) return tsxFiles(full);
    return full.endsWith(".tsx") ? [full] : [];
  });
}

describe("no style attributes (the CSP refuses them)", () => {
  it("no page or component passes a style prop", () => {
    const offenders = ["app", "components"]
      .flatMap((d) => tsxFiles(path.join(ROOT, d)))
      .filter((f) => /\bstyle=\{/.test(readFileSync(f, "utf8")))
      .map((f) => path.relative(ROOT, f));
    expect(offenders).toEqual([]);
  });

  it("the progress bar shows its value without one, and stays labelled", () => {
    const html = renderToStaticMarkup(createElement(ProgressBar, { value: 42.4, label: "通讯录" }));
    expect(html).not.toContain("style=");
    expect(html).toMatch(/<progress[^>]*aria-label="通讯录"[^>]*max="100"[^>]*value="42"/);
    const waiting = renderToStaticMarkup(createElement(ProgressBar, { value: null, label: "通讯录" }));
    expect(waiting).not.toContain("style=");
    expect(waiting).toContain('role="progressbar"');
  });
});
