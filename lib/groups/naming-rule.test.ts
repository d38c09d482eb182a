import { describe, expect, it } from "vitest";
import {
  blockedWordsIn,
  characterCount,
  checkGroupName,
  foldForMatching,
  normalizePart,
  parseBlockedWords,
  parseTemplate,
  validateNamingRule,
  wordsOf,
  type NamingRule,
} from "./naming-rule";

const dept = { name: "华东销售部", code: "SALES-EAST" };
const rule: NamingRule = { template: "{部门}-{项目}-{用途}", maxLength: 30, blockedWords: ["测试", "test", "临时", "top secret"] };

describe("parseTemplate", () => {
  it("cuts the template into literal text, department placeholders and free parts in order", () => {
    const t = parseTemplate("{部门}-{项目}-{用途}");
    expect(t.problems).toEqual([]);
    expect(t.freeParts).toEqual(["项目", "用途"]);
    expect(t.segments).toEqual([
      { kind: "departmentName" },
      { kind: "literal", text: "-" },
      { kind: "free", key: "项目" },
      { kind: "literal", text: "-" },
      { kind: "free", key: "用途" },
    ]);
  });

  it("knows {部门代码} and trims spaces inside braces", () => {
    const t = parseTemplate("[{ 部门代码 }] {用途}群");
    expect(t.segments).toEqual([
      { kind: "literal", text: "[" },
      { kind: "departmentCode" },
      { kind: "literal", text: "] " },
      { kind: "free", key: "用途" },
      { kind: "literal", text: "群" },
    ]);
  });

  it("lists every problem at once", () => {
    expect(parseTemplate("").problems).toEqual([{ code: "EMPTY_TEMPLATE" }]);
    expect(parseTemplate("   ").problems).toEqual([{ code: "EMPTY_TEMPLATE" }]);
    expect(parseTemplate("{部门}-{项目").problems.map((p) => p.code)).toContain("UNBALANCED_BRACE");
    expect(parseTemplate("{部门}}-{项目}").problems.map((p) => p.code)).toEqual(["UNBALANCED_BRACE"]);
    expect(parseTemplate("{a{b}}").problems.map((p) => p.code)).toContain("UNBALANCED_BRACE");
    expect(parseTemplate("{}-{项目}").problems.map((p) => p.code)).toEqual(["EMPTY_PLACEHOLDER"]);
    expect(parseTemplate("{项目}-{项目}").problems).toEqual([{ code: "DUPLICATE_PART", part: "项目" }]);
    expect(parseTemplate("{部门}-固定").problems).toEqual([{ code: "NO_FREE_PART" }]);
    expect(parseTemplate("{a}{b}{c}{d}{e}{f}").problems).toEqual([{ code: "TOO_MANY_PARTS", max: 5 }]);
    expect(parseTemplate(`{${"长".repeat(21)}}`).problems.map((p) => p.code)).toEqual(["PLACEHOLDER_TOO_LONG"]);
  });
});

describe("characterCount", () => {
  it("counts characters as people see them, not UTF-16 units", () => {
    expect(characterCount("群")).toBe(1);
    expect(characterCount("华东销售部")).toBe(5);
    expect(characterCount("𠮷")).toBe(1); // outside the BMP: two UTF-16 units
    expect("𠮷".length).toBe(2);
    expect(characterCount("👍")).toBe(1);
    expect(characterCount("👍🏽")).toBe(1); // with a skin-tone modifier
    expect(characterCount("👨‍👩‍👧")).toBe(1); // a ZWJ family
    expect(characterCount("🇨🇳")).toBe(1); // a flag: two regional indicators
    expect(characterCount("é")).toBe(1); // e + combining acute
    expect(characterCount("ＡＢＣ")).toBe(3);
    expect(characterCount("")).toBe(0);
  });
});

describe("folding and words", () => {
  it("folds full-width to half-width and upper to lower case", () => {
    expect(foldForMatching("ＴＥＳＴ")).toBe("test");
    expect(foldForMatching("Ｔｅｓｔ１２")).toBe("test12");
    expect(foldForMatching("te\u200Bst")).toBe("test"); // zero-width space removed
  });

  it("cuts at whitespace, punctuation, symbols and where CJK meets other letters", () => {
    expect(wordsOf("产品·测试")).toEqual(["产品", "测试"]);
    expect(wordsOf("客户 服务")).toEqual(["客户", "服务"]);
    expect(wordsOf("test群")).toEqual(["test", "群"]);
    expect(wordsOf("v2测试abc")).toEqual(["v2", "测试", "abc"]);
    expect(wordsOf("测试群")).toEqual(["测试群"]);
    expect(wordsOf("Top—Secret！")).toEqual(["top", "secret"]);
    expect(wordsOf("  ")).toEqual([]);
  });
});

describe("blockedWordsIn: whole words, case-blind", () => {
  const blocked = ["测试", "test", "top secret"];
  it.each([
    ["测试", ["测试"]],
    ["测试 用", ["测试"]],
    ["产品·测试", ["测试"]],
    ["产品（测试）", ["测试"]],
    ["测试abc", ["测试"]],
    ["Test", ["test"]],
    ["TEST", ["test"]],
    ["ＴＥＳＴ", ["test"]],
    ["ｔｅｓｔ", ["test"]],
    ["test-1", ["test"]],
    ["test群", ["test"]],
    ["te\u200Bst", ["test"]],
    ["TOP  SECRET", ["top secret"]],
    ["top-secret", ["top secret"]],
    ["ＴＯＰ　ＳＥＣＲＥＴ", ["top secret"]], // ideographic space
  ])("%s is blocked", (text, expected) => {
    expect(blockedWordsIn(text, blocked)).toEqual(expected);
  });

  it.each(["测试群", "检测试剂", "contest", "testing", "tester", "latest", "top", "secret top", "产品"])("%s is not blocked", (text) => {
    expect(blockedWordsIn(text, blocked)).toEqual([]);
  });

  it("treats extra delimiters (the template's separators) as word breaks", () => {
    expect(blockedWordsIn("客户~测试", ["测试"])).toEqual(["测试"]); // ~ is a symbol anyway
    expect(blockedWordsIn("客户x测试", ["测试"], new Set(["x"]))).toEqual(["测试"]);
  });
});

describe("checkGroupName", () => {
  it("fills the department and the free parts into the template", () => {
    const check = checkGroupName(rule, { department: dept, parts: ["双十一", "客户答疑"] });
    expect(check).toMatchObject({ ok: true, name: "华东销售部-双十一-客户答疑", length: 14, parts: { 项目: "双十一", 用途: "客户答疑" }, problems: [] });
    expect(check.pieces.map((p) => p.kind)).toEqual(["department", "literal", "free", "literal", "free"]);
  });

  it("uses the department code for {部门代码}", () => {
    const check = checkGroupName({ ...rule, template: "{部门代码}_{项目}" }, { department: dept, parts: ["Q4"] });
    expect(check.name).toBe("SALES-EAST_Q4");
  });

  it("normalises the free parts: trimmed, inner whitespace one space", () => {
    const check = checkGroupName(rule, { department: dept, parts: ["  双十一   大促 ", "\t答疑 "] });
    expect(check.name).toBe("华东销售部-双十一 大促-答疑");
    expect(normalizePart("  a \n b ")).toBe("a b");
  });

  it("asks for every missing part and for the department", () => {
    const check = checkGroupName(rule, { department: null, parts: ["", "   "] });
    expect(check.ok).toBe(false);
    expect(check.problems).toEqual([
      { code: "DEPARTMENT_REQUIRED" },
      { code: "PART_REQUIRED", part: "项目" },
      { code: "PART_REQUIRED", part: "用途" },
    ]);
    expect(checkGroupName(rule, { department: dept, parts: ["只有一个"] }).problems).toEqual([{ code: "PART_REQUIRED", part: "用途" }]);
  });

  it("counts the length in characters: CJK and emoji are one each", () => {
    const r = { ...rule, maxLength: 12 };
    // 华东销售部-ab-👨‍👩‍👧🇨🇳 = 5 + 1 + 2 + 1 + 2 = 11
    expect(checkGroupName(r, { department: dept, parts: ["ab", "👨‍👩‍👧🇨🇳"] })).toMatchObject({ ok: true, length: 11 });
    // 12 exactly is allowed
    expect(checkGroupName(r, { department: dept, parts: ["abc", "👨‍👩‍👧🇨🇳"] })).toMatchObject({ ok: true, length: 12 });
    // 13 is one too many; in UTF-16 units it would already be far over
    const over = checkGroupName(r, { department: dept, parts: ["abcd", "👨‍👩‍👧🇨🇳"] });
    expect(over.problems).toEqual([{ code: "TOO_LONG", length: 13, max: 12 }]);
    expect(over.name.length).toBeGreaterThan(13);
  });

  it("reports blocked words in the part where they are, whole-word and case-blind", () => {
    const check = checkGroupName(rule, { department: dept, parts: ["ＴＥＳＴ", "产品·测试"] });
    expect(check.problems).toEqual([
      { code: "BLOCKED_WORD", word: "test", part: "项目" },
      { code: "BLOCKED_WORD", word: "测试", part: "用途" },
    ]);
    expect(checkGroupName(rule, { department: dept, parts: ["检测试剂", "测试群"] }).ok).toBe(true);
    expect(checkGroupName(rule, { department: dept, parts: ["Contest", "latest"] }).ok).toBe(true);
  });

  it("does not check the department name or the template's literal text for blocked words", () => {
    const r = { ...rule, template: "测试-{部门}-{项目}", blockedWords: ["测试", "华东销售部"] };
    expect(checkGroupName(r, { department: dept, parts: ["答疑"] }).ok).toBe(true);
  });

  it("uses the template's separators, but not its letters, as word breaks", () => {
    const r = { ...rule, template: "{项目}群{用途}", blockedWords: ["测试"] };
    // "群" is a letter of the template, not a separator: "测试群" in a part stays one word.
    expect(checkGroupName(r, { department: dept, parts: ["测试群", "答疑"] }).ok).toBe(true);
  });

  it("reports a broken template instead of throwing", () => {
    expect(checkGroupName({ ...rule, template: "{部门" }, { department: dept, parts: [] }).problems[0]).toEqual({ code: "TEMPLATE_INVALID" });
  });
});

describe("the rule an administrator saves", () => {
  it("parses blocked words from lines, commas and 、, dropping blanks and duplicates by folding", () => {
    expect(parseBlockedWords("测试\nTEST, test ，临时、 ＴＥＳＴ\n\n  top   secret ")).toEqual(["测试", "TEST", "临时", "top secret"]);
  });

  it("accepts the default rule", () => {
    expect(validateNamingRule(rule)).toEqual([]);
  });

  it("refuses a bad template, a length outside 5–200, a template longer than the limit and words without letters", () => {
    expect(validateNamingRule({ ...rule, template: "{项目" }).map((p) => p.code)).toContain("UNBALANCED_BRACE");
    expect(validateNamingRule({ ...rule, maxLength: 4 }).map((p) => p.code)).toEqual(["MAX_LENGTH_RANGE"]);
    expect(validateNamingRule({ ...rule, maxLength: 201 }).map((p) => p.code)).toEqual(["MAX_LENGTH_RANGE"]);
    expect(validateNamingRule({ ...rule, maxLength: 7.5 }).map((p) => p.code)).toEqual(["MAX_LENGTH_RANGE"]);
    expect(validateNamingRule({ ...rule, template: "很长的固定前缀文字-{项目}", maxLength: 10 }).map((p) => p.code)).toEqual(["TEMPLATE_LONGER_THAN_MAX"]);
    expect(validateNamingRule({ ...rule, blockedWords: ["---"] })).toEqual([{ code: "BLOCKED_WORD_NO_LETTERS", word: "---" }]);
    expect(validateNamingRule({ ...rule, blockedWords: ["长".repeat(51)] }).map((p) => p.code)).toEqual(["BLOCKED_WORD_TOO_LONG"]);
  });
});
