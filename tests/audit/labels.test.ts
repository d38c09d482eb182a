import { readdirSync, readFileSync, statSync } from "node:fs";
import path from "node:path";
import { describe, expect, it } from "vitest";
import { auditActionLabel, auditActorLabel, auditEntityLabel, hasActionLabel } from "@/lib/audit/labels";
import { en, zhCN } from "@/lib/i18n/messages";
import { createTranslator } from "@/lib/i18n/translate";

// No internal code reaches a person: every action, object type and system actor the code writes
// into the audit trail has a Chinese and an English name. The codes are found in the source, so
// an action added without its name fails here.

const ROOT = path.resolve(import.meta.dirname, "../..");

function sources(dir: string): string[] {
  return readdirSync(dir).flatMap((name) => {
    const full = path.join(dir, name);
    if (name === "node_modules" || name === "generated" || name.startsWith(".")) return [];
    if (statSync(full).isDirectory()) return sources(full);
    return /\.(ts|tsx)$/.test(name) && !/\.test\.ts$/.test(name) ? [full] : [];
  });
}

const text = ["lib", "app", "scripts", "prisma"].flatMap((d) => sources(path.join(ROOT, d))).map((f) => readFileSync(f, "utf8")).join("\n");
const found = (re: RegExp) => [...new Set([...text.matchAll(re)].map((m) => m[1]))].sort();

// Written in place (action: "x.y") or through a constant (REFRESH_ACTION = "x.y").
const actions = [...new Set([...found(/\baction: "([a-zA-Z]+\.[a-zA-Z.]+)"/g), ...found(/_ACTION = "([a-zA-Z]+\.[a-zA-Z.]+)"/g)])].sort();
const entities = [...new Set([...found(/\bentityType: "([A-Z][A-Za-z]+)"/g), ...found(/_ENTITY = "([A-Z][A-Za-z]+)"/g), ...found(/\bENTITY = "([A-Z][A-Za-z]+)"/g)])];
const actors = found(/\blabel: "(system(?::[a-z-]+)?)"/g);

describe("audit names", () => {
  const zh = createTranslator(zhCN);
  const english = createTranslator(en);

  it("finds what the code writes (the scan works)", () => {
    expect(actions.length).toBeGreaterThan(100);
    expect(entities).toContain("WorkGroup");
    expect(actors).toContain("system:seed");
  });

  it("names every action in Chinese and in English", () => {
    expect(actions.filter((a) => !hasActionLabel(a, zh) || !hasActionLabel(a, english))).toEqual([]);
    expect(auditActionLabel("workGroup.dissolve", zh)).toBe("解散工作群");
    expect(auditActionLabel("workGroup.dissolve", english)).toBe("Group dissolved");
  });

  it("names every object type", () => {
    expect(entities.filter((e) => auditEntityLabel(e, zh) === e || auditEntityLabel(e, english) === e && !/^[A-Z][a-z]+$/.test(e))).toEqual([]);
    expect(auditEntityLabel("ServiceCase", zh)).toBe("工单");
  });

  it("names every system actor, and leaves a person's label as recorded", () => {
    for (const a of actors) {
      expect(auditActorLabel(a, zh), a).toMatch(/[\u4e00-\u9fff]/);
      expect(auditActorLabel(a, english), a).not.toMatch(/system/);
    }
    expect(auditActorLabel("system:seed", zh)).toBe("演示数据初始化");
    expect(auditActorLabel("admin@wegovern.demo", zh)).toBe("admin@wegovern.demo");
    // An unknown system actor still reads as "the system", never as its code.
    expect(auditActorLabel("system:something-new", zh)).toBe("系统");
  });
});
