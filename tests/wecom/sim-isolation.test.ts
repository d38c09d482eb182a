import { readdirSync, readFileSync, statSync } from "node:fs";
import path from "node:path";
import { describe, expect, it } from "vitest";

// The WeCom simulator is a development and test tool: production code (app/, lib/, components/,
// proxy.ts, instrumentation.ts) never imports it, so it is never bundled into the server.
// (ESLint's no-restricted-imports says the same in the editor: eslint.config.mjs.)

const ROOT = path.resolve(import.meta.dirname, "../..");

function files(dir: string): string[] {
  return readdirSync(dir).flatMap((name) => {
    const p = path.join(dir, name);
    if (name === "generated" || name === "node_modules") return [];
    return statSync(p).isDirectory() ? files(p) : /\.(ts|tsx|mts|js|mjs)$/.test(name) && !/\.test\.tsx?$/.test(name) ? [p] : [];
  });
}

export function importsOfSimulator(source: string): string[] {
  const found: string[] = [];
  const re = /(?:import|export)[^'"]*?from\s*["']([^"']+)["']|import\(\s*["']([^"']+)["']\s*\)|require\(\s*["']([^"']+)["']\s*\)/g;
  for (const m of source.matchAll(re)) {
    const spec = m[1] ?? m[2] ?? m[3];
    if (/wecom-sim|(^|\/)scripts\//.test(spec)) found.push(spec);
  }
  return found;
}

describe("the WeCom simulator stays out of production code", () => {
  it("the check itself sees static, dynamic and re-exported imports", () => {
    expect(importsOfSimulator(`import { startWeComSim } from "@/scripts/wecom-sim/server";`)).toHaveLength(1);
    expect(importsOfSimulator(`const m = await import("../../scripts/wecom-sim/company");`)).toHaveLength(1);
    expect(importsOfSimulator(`export * from "@/scripts/wecom-sim/server";`)).toHaveLength(1);
    expect(importsOfSimulator(`import { x } from "@/lib/wecom/client";`)).toHaveLength(0);
  });

  it("no file under app/, lib/ or components/ imports it (or anything under scripts/)", () => {
    const offenders = ["app", "lib", "components"]
      .flatMap((d) => files(path.join(ROOT, d)))
      .concat(["proxy.ts", "instrumentation.ts"].map((f) => path.join(ROOT, f)))
      .flatMap((f) => importsOfSimulator(readFileSync(f, "utf8")).map((spec) => `${path.relative(ROOT, f)} → ${spec}`));
    expect(offenders).toEqual([]);
  });
});
