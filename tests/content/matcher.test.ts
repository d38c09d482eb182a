import { describe, expect, it } from "vitest";
import { DEFAULT_EXEMPTIONS, DEFAULT_RULES, splitTerm } from "@/lib/content/default-rules";
import { compileMatcher, normalise, segments, type MatchRuleSet } from "@/lib/content/matcher";
import { TRADITIONAL_TO_SIMPLIFIED } from "@/lib/text/normalize";
import { CORPUS } from "./corpus";

const defaults: MatchRuleSet = {
  terms: DEFAULT_RULES.flatMap((r) => r.terms.map((raw) => ({ rule: r.code, ...splitTerm(raw) }))),
  exemptions: DEFAULT_EXEMPTIONS.map((e) => e.phrase),
};
const matcher = compileMatcher(defaults);
const found = (text: string) => matcher.match(text).map((h) => [h.rule, text.slice(h.start, h.end)]);

describe("the corpus of marketing copy", () => {
  it("has at least 30 samples", () => {
    expect(CORPUS.length).toBeGreaterThanOrEqual(30);
  });
  for (const sample of CORPUS) {
    it(`${sample.name}`, () => {
      expect(found(sample.text)).toEqual(sample.expected);
    });
  }
});

describe("normalise", () => {
  it("folds full-width forms and case, keeping each character's original offsets", () => {
    const n = normalise("ＮＯ．１好");
    expect(n.text).toBe("no.1好");
    expect(n.starts).toEqual([0, 1, 2, 3, 4]);
  });
  it("maps a character that expands (①, ㈱) to the one original it came from", () => {
    const n = normalise("a①㈱");
    expect(n.text).toBe("a1(株)");
    expect(n.starts).toEqual([0, 1, 2, 2, 2]);
    expect(n.ends).toEqual([1, 2, 3, 3, 3]);
  });
  it("keeps astral characters (emoji) as two UTF-16 units of one origin", () => {
    const text = "😀全网第一";
    const hits = compileMatcher(defaults).match(text);
    expect(hits).toEqual([{ rule: "AD_ABSOLUTE", term: "全网第一", start: 2, end: 6 }]);
  });
});

describe("matching", () => {
  it("finds NO.1 in every width and case, pointing at the original text", () => {
    for (const text of ["ＮＯ．１", "No.1", "NO.1", "no.1", "Ｎｏ.1"]) {
      const hits = matcher.match(`品牌${text}！`);
      expect(hits).toHaveLength(1);
      expect(`品牌${text}！`.slice(hits[0].start, hits[0].end)).toBe(text);
    }
  });
  it("a stand-alone term does not hit inside an exempt word, but the same term does elsewhere", () => {
    const m = compileMatcher({ terms: [{ rule: "R", term: "最", standsAlone: true }], exemptions: ["最生活"] });
    expect(m.match("最生活")).toEqual([]);
    expect(m.match("最生活最")).toEqual([{ rule: "R", term: "最", start: 3, end: 4 }]);
  });
  it("a term that does not stand alone hits even inside an exempt word", () => {
    const m = compileMatcher({ terms: [{ rule: "R", term: "最", standsAlone: false }], exemptions: ["最生活"] });
    expect(m.match("最生活")).toHaveLength(1);
  });
  it("the exemption itself is matched after normalisation (full-width exempt word)", () => {
    const m = compileMatcher({ terms: [{ rule: "R", term: "TOP", standsAlone: true }], exemptions: ["TOPSHOP"] });
    expect(m.match("ＴＯＰＳＨＯＰ门店")).toEqual([]);
    expect(m.match("TOP 门店")).toHaveLength(1);
  });
  it("a Latin stand-alone term needs word boundaries; a Chinese one does not", () => {
    const m = compileMatcher({ terms: [{ rule: "R", term: "TOP1", standsAlone: true }, { rule: "R", term: "第一", standsAlone: true }], exemptions: [] });
    expect(m.match("TOP10")).toEqual([]);
    expect(m.match("ATOP1")).toEqual([]);
    expect(m.match("是TOP1的")).toHaveLength(1);
    expect(m.match("行业第一名")).toHaveLength(1);
  });
  it("a hit inside a longer hit is dropped; the same span in two rules is kept twice", () => {
    const m = compileMatcher({
      terms: [
        { rule: "A", term: "第一", standsAlone: false },
        { rule: "A", term: "全网第一", standsAlone: false },
        { rule: "B", term: "全网第一", standsAlone: false },
      ],
      exemptions: [],
    });
    expect(m.match("全网第一")).toEqual([
      { rule: "A", term: "全网第一", start: 0, end: 4 },
      { rule: "B", term: "全网第一", start: 0, end: 4 },
    ]);
  });
  it("overlapping hits that are not contained are both kept", () => {
    const m = compileMatcher({ terms: [{ rule: "A", term: "最佳", standsAlone: false }, { rule: "A", term: "佳品", standsAlone: false }], exemptions: [] });
    expect(m.match("最佳品")).toEqual([
      { rule: "A", term: "最佳", start: 0, end: 2 },
      { rule: "A", term: "佳品", start: 1, end: 3 },
    ]);
  });
  it("finds every occurrence, including repeated and adjacent ones", () => {
    const hits = matcher.match("第一第一，全网第一");
    expect(hits.map((h) => [h.start, h.end])).toEqual([[0, 2], [2, 4], [5, 9]]);
  });
  it("fail links: a term found after a partial match of a longer one", () => {
    const m = compileMatcher({ terms: [{ rule: "A", term: "abcd", standsAlone: false }, { rule: "A", term: "bce", standsAlone: false }], exemptions: [] });
    expect(m.match("abce")).toEqual([{ rule: "A", term: "bce", start: 1, end: 4 }]);
  });
  it("HTML in a text is text: a term inside a tag's text is found at its offsets", () => {
    const text = "<script>alert('全网第一')</script>";
    expect(matcher.match(text).map((h) => text.slice(h.start, h.end))).toEqual(["全网第一"]);
  });
  it("blank and duplicated terms are ignored; an empty rule set finds nothing", () => {
    const m = compileMatcher({ terms: [{ rule: "A", term: "  ", standsAlone: false }, { rule: "A", term: "最", standsAlone: false }, { rule: "A", term: "最", standsAlone: false }], exemptions: [""] });
    expect(m.termCount).toBe(2);
    expect(m.match("最")).toHaveLength(1);
    expect(compileMatcher({ terms: [], exemptions: [] }).match("全网第一")).toEqual([]);
  });
  it("a long article gives the same hits as its pieces", () => {
    const piece = CORPUS.map((s) => s.text).join("\n");
    const article = Array.from({ length: 20 }, () => piece).join("\n");
    const perPiece = matcher.match(piece).length;
    expect(matcher.match(article)).toHaveLength(perPiece * 20);
  });
});

describe("invisible characters, spaces and traditional script (issue 13 item 1)", () => {
  const INVISIBLES = ["\u200B", "\u200C", "\u200D", "\u2060", "\u00AD", "\uFEFF", "\u200E", "\u202E", "\u2066", "\u180E", "\u{E0020}"];
  const spans = (text: string) => matcher.match(text).map((h) => [h.term, h.start, h.end]);

  it("finds a term with an invisible character inside it, the finding covering the original characters", () => {
    for (const z of INVISIBLES) {
      // 全网第一 with one invisible character after each of its characters in turn.
      for (let at = 1; at < 4; at++) {
        const term = [..."全网第一"];
        term.splice(at, 0, z);
        const written = term.join("");
        const text = `我们的电饭煲${written}，快来抢购`;
        const hits = matcher.match(text);
        expect(hits, JSON.stringify(written)).toEqual([{ rule: "AD_ABSOLUTE", term: "全网第一", start: 6, end: 6 + written.length }]);
        expect(text.slice(hits[0].start, hits[0].end)).toBe(written);
      }
    }
  });

  it("several invisible characters of several kinds, in several terms, with CJK on both sides", () => {
    const text = "品质\u200B国\u00AD家\u2060级认证，销\uFEFF量\u200D第\u200C一，药\u202E到病除";
    expect(matcher.match(text).map((h) => [h.term, text.slice(h.start, h.end)])).toEqual([
      ["国家级", "国\u00AD家\u2060级"],
      ["销量第一", "销\uFEFF量\u200D第\u200C一"],
      ["药到病除", "药\u202E到病除"],
    ]);
  });

  it("an invisible character next to a term is not part of the finding", () => {
    expect(spans("\u200B全网第一\u200B")).toEqual([["全网第一", 1, 5]]);
  });

  it("an exempt word hidden with an invisible character is still exempt; an invisible character is no Latin word break", () => {
    expect(matcher.match("客服第\u200B一时间回复")).toEqual([]);
    expect(matcher.match("入选TOP1\u200B0榜单")).toEqual([]);
    expect(spans("入选TOP1\u200B榜单")).toEqual([["TOP1", 2, 6]]);
  });

  it("a term matches across spaces and tabs inserted in it (half- and full-width), not across a line break", () => {
    for (const written of ["NO. 1", "N O.1", "ＮＯ．　１", "No .1"]) {
      const text = `行业${written}品牌`;
      const hits = matcher.match(text);
      expect(hits.map((h) => [h.term, text.slice(h.start, h.end)]), written).toEqual([["NO.1", written]]);
    }
    expect(spans("销量 全网\t第一")).toEqual([["全网第一", 3, 8]]);
    expect(spans("TOP 1 经销商")).toEqual([["TOP1", 0, 5]]);
    // A line break ends a term: only the stand-alone 第一 of the next line.
    expect(spans("销量全网\n第一批货")).toEqual([["第一", 5, 7]]);
  });

  it("a skipped space is still a Latin word boundary, so a number after it does not hide the term", () => {
    expect(spans("NO.1 2026新款")).toEqual([["NO.1", 0, 4]]);
    expect(spans("TOP1 10强")).toEqual([["TOP1", 0, 4]]);
    expect(matcher.match("TOP 10 榜单")).toEqual([]);
  });

  it("the unpunctuated NO1 is a default term; 第1 spellings of 第一 claims are too", () => {
    for (const written of ["NO1", "No1", "ＮＯ１", "no 1"]) expect(matcher.match(`行业${written}品牌`).map((h) => h.term), written).toEqual(["NO1"]);
    expect(matcher.match("NO10强")).toEqual([]);
    expect(matcher.match("销量第1，全网第１").map((h) => h.term)).toEqual(["销量第1", "全网第1"]);
  });

  it("traditional-script spellings of default terms are found, pointing at the traditional characters", () => {
    const text = "國家級工藝，全網第一，無副作用，穩賺不賠";
    expect(matcher.match(text).map((h) => [h.term, text.slice(h.start, h.end)])).toEqual([
      ["国家级", "國家級"],
      ["全网第一", "全網第一"],
      ["无副作用", "無副作用"],
      ["稳赚不赔", "穩賺不賠"],
    ]);
  });

  it("every default term is found in its traditional spelling (the fold table covers the default lists)", () => {
    const toTraditional = new Map([...TRADITIONAL_TO_SIMPLIFIED].map(([t, s]) => [s, t]));
    for (const r of DEFAULT_RULES) {
      for (const raw of r.terms) {
        const { term } = splitTerm(raw);
        const traditional = [...term].map((c) => toTraditional.get(c) ?? c).join("");
        const text = `。${traditional}。`;
        expect(matcher.match(text).some((h) => h.term === term && text.slice(h.start, h.end) === traditional), `${term} / ${traditional}`).toBe(true);
      }
    }
  });
});

describe("segments", () => {
  it("splits a text into plain and highlighted parts, merging overlaps", () => {
    expect(segments("abcdef", [{ start: 1, end: 3, id: "x" }, { start: 2, end: 4, id: "y" }])).toEqual([
      { text: "a", hit: false, ids: [] },
      { text: "bcd", hit: true, ids: ["x", "y"] },
      { text: "ef", hit: false, ids: [] },
    ]);
  });
  it("ignores offsets outside the text", () => {
    expect(segments("ab", [{ start: 1, end: 9 }])).toEqual([{ text: "ab", hit: false, ids: [] }]);
  });
});
