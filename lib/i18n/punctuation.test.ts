import { describe, expect, it } from "vitest";
import { en, zhCN } from "./messages";

// Chinese text uses full-width punctuation (：，、（）；！？), one form of address (您), and the
// English text has no Chinese left in it. These scans walk every message of every domain.

type Tree = { readonly [key: string]: string | Tree };

function leaves(tree: Tree, prefix = ""): [string, string][] {
  return Object.entries(tree).flatMap(([k, v]) => (typeof v === "string" ? [[`${prefix}${k}`, v] as [string, string]] : leaves(v, `${prefix}${k}.`)));
}

const CJK = "[\\u3400-\\u9fff\\uff00-\\uffef\\u3000-\\u303f]";
// ASCII punctuation touching a CJK character on one side and a CJK character or a placeholder on
// the other (a placeholder usually stands for Chinese text, a name or a number said in Chinese).
const NEAR = `(?:${CJK}|\\{\\w+\\})`;
const ASCII_BETWEEN = new RegExp(`${CJK}\\s*[:,;!?()]\\s*${NEAR}|${NEAR}\\s*[:,;!?()]\\s*${CJK}|${CJK}[:,;!?(]$|^\\)${CJK}`, "u");

describe("Chinese messages", () => {
  const all = leaves(zhCN as unknown as Tree);

  it("are many (the scan sees them all)", () => {
    expect(all.length).toBeGreaterThan(1000);
  });

  it("use full-width punctuation between Chinese characters", () => {
    // Messages that show what to type, where the ASCII character is the syntax itself.
    const literal = new Set([
      "training.manage.contentHint", // Markdown: [文字](https://链接)
      "training.v.quizLine", // a quiz line starts with "?"
    ]);
    const found = all.filter(([key, text]) => !literal.has(key) && ASCII_BETWEEN.test(text.replace(/\{\w+, plural,[^]*\}/g, "")));
    expect(found.map(([key, text]) => `${key}: ${text}`)).toEqual([]);
  });

  it("address the reader as 您, never 你", () => {
    const found = all.filter(([, text]) => /你(?!们)/.test(text) || /你们/.test(text));
    expect(found.map(([key, text]) => `${key}: ${text}`)).toEqual([]);
  });
});

describe("English messages", () => {
  const all = leaves(en as unknown as Tree);

  it("say real plurals, never \"item(s)\"", () => {
    expect(all.filter(([, text]) => /\w\((s|es|ies)\)/.test(text)).map(([key, text]) => `${key}: ${text}`)).toEqual([]);
  });

  it("have no Chinese characters or full-width punctuation left in them (names of Chinese things aside)", () => {
    // A few messages name a Chinese thing on purpose: the language switch offers 中文, and the
    // product's Chinese name is shown beside its English one.
    const allowed = new Set([
      "common.appName",
      // Chinese words as what they are: examples of text the rules match, the Chinese words an
      // import accepts, the name WeCom departments get, the template's Chinese placeholders.
      "directory.wecom.warnings.departmentNames",
      "groups.naming.ruleProblems.NO_FREE_PART",
      "groups.settings.templateHint",
      "groups.settings.blockedWordsHint",
      "groups.settings.blockedWordExemptionsHint",
      "service.import.columnsIntro",
      "privacy.apiImport.columns",
      "content.rules.standsAloneHint",
    ]);
    const found = all.filter(([key, text]) => !allowed.has(key) && /[\u3400-\u9fff\u3000-\u303f\uff01-\uff1f]/u.test(text.replace(/中文|简体中文/g, "")));
    expect(found.map(([key, text]) => `${key}: ${text}`)).toEqual([]);
  });
});
