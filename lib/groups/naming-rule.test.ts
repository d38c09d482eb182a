import { describe, expect, it } from "vitest";
import {
  blockedWordsIn,
  characterCount,
  checkGroupName,
  DEFAULT_BLOCKED_WORD_EXEMPTIONS,
  matchKey,
  normalizePart,
  parseBlockedWords,
  parseTemplate,
  validateNamingRule,
  type NamingRule,
} from "./naming-rule";

const dept = { name: "华东销售部", code: "SALES-EAST" };
const rule: NamingRule = {
  template: "{部门}-{项目}-{用途}",
  maxLength: 30,
  blockedWords: ["测试", "test", "临时", "top secret"],
  blockedWordExemptions: DEFAULT_BLOCKED_WORD_EXEMPTIONS,
};

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

describe("matchKey: the shared folding", () => {
  it("folds width, case, traditional script, and leaves out invisible characters, spaces and punctuation", () => {
    expect(matchKey("ＴＥＳＴ")).toBe("test");
    expect(matchKey("Ｔｅｓｔ１２")).toBe("test12");
    expect(matchKey("te\u200Bst")).toBe("test");
    expect(matchKey("測試")).toBe("测试");
    expect(matchKey("产品·测试 群")).toBe("产品测试群");
    expect(matchKey("  ")).toBe("");
  });
});

const words = (text: string, blocked: readonly string[], exemptions: readonly string[] = []) => blockedWordsIn(text, blocked, exemptions).map((h) => h.word);

describe("blockedWordsIn: CJK anywhere, Latin whole words (issue 13 item 2)", () => {
  const blocked = ["测试", "临时", "红包", "test", "top secret"];

  it.each([
    // CJK neighbours on both sides, one side, none
    ["测试", "测试"],
    ["测试群", "测试"],
    ["新品测试", "测试"],
    ["新品测试群", "测试"],
    ["华东临时工作组", "临时"],
    ["抢红包活动", "红包"],
    ["产品·测试", "测试"],
    ["产品（测试）", "测试"],
    ["测试abc", "测试"],
    ["v2测试用", "测试"],
    // hidden with spaces, punctuation, width or script
    ["测 试群", "测试"],
    ["测-试", "测试"],
    ["测·试·群", "测试"],
    ["測試群", "测试"],
    ["臨時", "临时"],
    ["紅包群", "红包"],
    // Latin: whole words; CJK or a gap is a boundary
    ["Test", "test"],
    ["ＴＥＳＴ", "test"],
    ["test-1", "test"],
    ["test群", "test"],
    ["群test", "test"],
    ["新test群", "test"],
    ["te st", "test"],
    ["TOP  SECRET", "top secret"],
    ["top-secret", "top secret"],
    ["ＴＯＰ　ＳＥＣＲＥＴ", "top secret"], // ideographic space
  ])("%s is blocked (%s)", (text, expected) => {
    expect(words(text, blocked)).toEqual([expected]);
  });

  it.each(["contest", "testing", "tester", "latest", "attest", "v2test", "test2", "top", "secret top", "产品", "测验", "试测"])("%s is not blocked", (text) => {
    expect(words(text, blocked)).toEqual([]);
  });

  it("finds a blocked word hidden with invisible characters of every kind, at every position", () => {
    const invisibles = ["\u200B", "\u200C", "\u200D", "\u2060", "\u00AD", "\uFEFF", "\u200E", "\u202E", "\u2066", "\u180E", "\u061C", "\u{E0041}"];
    for (const z of invisibles) {
      for (const text of [`${z}测试群`, `测${z}试群`, `测试${z}群`, `新${z}测${z}试${z}`, `t${z}est`, `${z}test${z}`, `临${z}${z}时`]) {
        const hits = blockedWordsIn(text, blocked);
        expect(hits.map((h) => h.word), JSON.stringify(text)).toHaveLength(1);
        // What was found is what a person sees: the invisible characters taken out.
        expect(hits[0].found).toBe(hits[0].word === "test" ? "test" : hits[0].word);
      }
    }
    // An invisible character does not make a Latin word boundary: "con\u200Btest" reads "contest".
    expect(words("con\u200Btest", blocked)).toEqual([]);
    expect(words("test\u200Bing", blocked)).toEqual([]);
  });

  it("names what was found, as the requester wrote it", () => {
    expect(blockedWordsIn("新品測 試群", blocked)).toEqual([{ word: "测试", found: "測 試" }]);
    expect(blockedWordsIn("ＴＥＳＴ群", blocked)).toEqual([{ word: "test", found: "ＴＥＳＴ" }]);
    expect(blockedWordsIn("測\u200B試", blocked)).toEqual([{ word: "测试", found: "測試" }]);
  });

  it("does not count a blocked word inside an exemption, but does count it elsewhere in the part", () => {
    expect(words("检测试剂群", blocked, DEFAULT_BLOCKED_WORD_EXEMPTIONS)).toEqual([]);
    expect(words("檢測試劑", blocked, DEFAULT_BLOCKED_WORD_EXEMPTIONS)).toEqual([]); // traditional too
    expect(words("检测 试剂", blocked, DEFAULT_BLOCKED_WORD_EXEMPTIONS)).toEqual([]);
    expect(words("客户来临时", blocked, DEFAULT_BLOCKED_WORD_EXEMPTIONS)).toEqual([]);
    expect(words("检测试剂测试", blocked, DEFAULT_BLOCKED_WORD_EXEMPTIONS)).toEqual(["测试"]);
    expect(words("临时来临时", blocked, DEFAULT_BLOCKED_WORD_EXEMPTIONS)).toEqual(["临时"]);
    // Without the exemption the same part is blocked.
    expect(words("检测试剂群", blocked)).toEqual(["测试"]);
    // An administrator's own exemption, Latin as well as CJK.
    expect(words("测试仪采购", blocked, ["测试仪"])).toEqual([]);
    expect(words("test kitchen", blocked, ["test kitchen"])).toEqual([]);
    expect(words("test", blocked, ["test kitchen"])).toEqual(["test"]);
  });

  it("treats extra delimiters (the template's separators) as gaps", () => {
    expect(words("客户~测试", ["测试"])).toEqual(["测试"]);
    expect(blockedWordsIn("客户xtest", ["test"], [], new Set(["x"])).map((h) => h.word)).toEqual(["test"]);
    expect(words("客户xtest", ["test"])).toEqual([]);
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

  it("reports blocked words in the part where they are, with what was found", () => {
    const check = checkGroupName(rule, { department: dept, parts: ["ＴＥＳＴ", "产品·测试"] });
    expect(check.problems).toEqual([
      { code: "BLOCKED_WORD_VARIANT", word: "test", part: "项目", found: "ＴＥＳＴ" },
      { code: "BLOCKED_WORD", word: "测试", part: "用途", found: "测试" },
    ]);
    // A blocked word inside a longer Chinese name (issue 13 item 2), hidden or not.
    expect(checkGroupName(rule, { department: dept, parts: ["新品测试群", "周末临\u200B时值班"] }).problems).toEqual([
      { code: "BLOCKED_WORD", word: "测试", part: "项目", found: "测试" },
      { code: "BLOCKED_WORD", word: "临时", part: "用途", found: "临时" },
    ]);
    expect(checkGroupName(rule, { department: dept, parts: ["检测试剂", "服务来临时"] }).ok).toBe(true);
    expect(checkGroupName(rule, { department: dept, parts: ["Contest", "latest"] }).ok).toBe(true);
  });

  it("does not check the department name or the template's literal text for blocked words", () => {
    const r = { ...rule, template: "测试-{部门}-{项目}", blockedWords: ["测试", "华东销售部"] };
    expect(checkGroupName(r, { department: dept, parts: ["答疑"] }).ok).toBe(true);
  });

  it("uses the template's separators as gaps: a Latin word next to one is a whole word", () => {
    const r = { ...rule, template: "{项目}_{用途}", blockedWords: ["test"] };
    expect(checkGroupName(r, { department: dept, parts: ["a_test", "答疑"] }).problems).toEqual([{ code: "BLOCKED_WORD", word: "test", part: "项目", found: "test" }]);
    expect(checkGroupName(r, { department: dept, parts: ["atest", "答疑"] }).ok).toBe(true);
  });

  it("reports a broken template instead of throwing", () => {
    expect(checkGroupName({ ...rule, template: "{部门" }, { department: dept, parts: [] }).problems[0]).toEqual({ code: "TEMPLATE_INVALID" });
  });
});

describe("the rule an administrator saves", () => {
  it("parses blocked words from lines, commas and 、, dropping blanks and duplicates by folding", () => {
    expect(parseBlockedWords("测试\nTEST, test ，临时、 ＴＥＳＴ\n\n  top   secret \n測試\nte\u200Bst")).toEqual(["测试", "TEST", "临时", "top secret"]);
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
    expect(validateNamingRule({ ...rule, blockedWordExemptions: ["——"] })).toEqual([{ code: "EXEMPTION_NO_LETTERS", word: "——" }]);
    expect(validateNamingRule({ ...rule, blockedWordExemptions: ["长".repeat(51)] }).map((p) => p.code)).toEqual(["EXEMPTION_TOO_LONG"]);
    expect(validateNamingRule({ ...rule, blockedWordExemptions: Array.from({ length: 501 }, (_, i) => `词${i}`) }).map((p) => p.code)).toEqual(["TOO_MANY_EXEMPTIONS"]);
  });
});
