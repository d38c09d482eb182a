import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { foldText, isDelimiter, isHorizontalSpace, isInvisible, TRADITIONAL_TO_SIMPLIFIED, withoutInvisible } from "./normalize";

// Every format character (category Cf) Unicode has, and a few other default-ignorables.
const FORMAT_CHARACTERS: string[] = [];
for (let cp = 0; cp <= 0x10ffff; cp++) {
  if (cp >= 0xd800 && cp <= 0xdfff) continue;
  const ch = String.fromCodePoint(cp);
  if (/\p{Cf}/u.test(ch)) FORMAT_CHARACTERS.push(ch);
}
const NAMED_INVISIBLES = [
  "\u200B", // zero-width space
  "\u200C", // zero-width non-joiner
  "\u200D", // zero-width joiner
  "\u2060", // word joiner
  "\u00AD", // soft hyphen
  "\uFEFF", // BOM / zero-width no-break space
  "\u200E", // left-to-right mark
  "\u202E", // right-to-left override
  "\u2066", // left-to-right isolate
  "\u061C", // Arabic letter mark
  "\u180E", // Mongolian vowel separator
  "\uFE0F", // variation selector 16 (not Cf: default-ignorable)
  "\u034F", // combining grapheme joiner (not Cf: default-ignorable)
  "\u3164", // Hangul filler (not Cf: default-ignorable)
  "\u{E0041}", // tag letter A (astral)
];

describe("foldText: invisible characters", () => {
  it("knows every Cf character as invisible (the list is Unicode's, not ours)", () => {
    expect(FORMAT_CHARACTERS.length).toBeGreaterThan(150);
    for (const ch of [...FORMAT_CHARACTERS, ...NAMED_INVISIBLES]) expect(isInvisible(ch), `U+${ch.codePointAt(0)!.toString(16)}`).toBe(true);
  });

  it("drops every one of them, wherever it stands, and keeps the others' original offsets", () => {
    for (const ch of [...FORMAT_CHARACTERS, ...NAMED_INVISIBLES]) {
      const input = `${ch}全${ch}网第${ch}${ch}一${ch}`;
      const f = foldText(input);
      expect(f.text, `U+${ch.codePointAt(0)!.toString(16)}`).toBe("全网第一");
      // Each kept character maps back to itself in the original.
      expect(f.text.split("").map((_, i) => input.slice(f.starts[i], f.ends[i]))).toEqual(["全", "网", "第", "一"]);
      // An invisible character is not a gap (a reader does not see a break there).
      expect(Array.from(f.gapBefore)).toEqual([0, 0, 0, 0]);
    }
  });

  it("random invisible characters at random places never change the folded text, and a span maps back around them", () => {
    const invisible = fc.constantFrom(...FORMAT_CHARACTERS, ...NAMED_INVISIBLES);
    fc.assert(
      fc.property(fc.array(fc.tuple(fc.nat(20), invisible), { maxLength: 8 }), fc.constantFrom("国家级", "No.1", "臨時工作", "abc𠮷d"), (inserts, word) => {
        const chars = [...word];
        for (const [at, ch] of inserts) chars.splice(at % (chars.length + 1), 0, ch);
        const input = chars.join("");
        const f = foldText(input);
        expect(f.text).toBe(foldText(word).text);
        // The whole folded text maps to the original from its first to its last visible character.
        const s = f.starts[0];
        const e = f.ends[f.text.length - 1];
        expect(withoutInvisible(input.slice(s, e))).toBe(word);
      }),
    );
  });
});

describe("foldText: width, case and script", () => {
  it("folds full-width forms and case (NFKC, lower case)", () => {
    expect(foldText("ＮＯ．１ ＴＯＰ１").text).toBe("no.1 top1");
    expect(foldText("Ｔｅｓｔ１２").text).toBe("test12");
  });

  it("folds the traditional characters of the default lists to simplified", () => {
    expect(foldText("國家級").text).toBe("国家级");
    expect(foldText("全網第一").text).toBe("全网第一");
    expect(foldText("無副作用，藥到病除").text).toBe("无副作用,药到病除") // NFKC: the full-width comma too;
    expect(foldText("測試臨時紅包").text).toBe("测试临时红包");
  });

  it("its fold table is one character to one other Han character, never to itself", () => {
    expect(TRADITIONAL_TO_SIMPLIFIED.size).toBeGreaterThan(100);
    for (const [t, s] of TRADITIONAL_TO_SIMPLIFIED) {
      expect([...t]).toHaveLength(1);
      expect([...s]).toHaveLength(1);
      expect(t).not.toBe(s);
      expect(/\p{Script=Han}/u.test(t) && /\p{Script=Han}/u.test(s)).toBe(true);
      // A simplified character is never itself folded again.
      expect(TRADITIONAL_TO_SIMPLIFIED.has(s), `${t}→${s}`).toBe(false);
    }
  });

  it("maps an expanding character (①) and an astral one back to their single origin", () => {
    const f = foldText("a①𠮷");
    expect(f.text).toBe("a1𠮷");
    expect(f.starts).toEqual([0, 1, 2, 2]);
    expect(f.ends).toEqual([1, 2, 4, 4]);
  });
});

describe("foldText: skipped characters", () => {
  it("leaves out what `skip` names and marks a gap before the next kept character", () => {
    const f = foldText("NO.\u3000 1 2025", { skip: isHorizontalSpace });
    expect(f.text).toBe("no.12025");
    expect(Array.from(f.gapBefore)).toEqual([0, 0, 0, 1, 1, 0, 0, 0]);
    expect(f.starts[3]).toBe(5); // the "1" after the spaces
  });

  it("horizontal spaces are skipped, line breaks are not", () => {
    for (const ch of [" ", "\t", "\u00A0", "\u3000", "\u2003"]) expect(isHorizontalSpace(foldText(ch).text || ch)).toBe(true);
    for (const ch of ["\n", "\r", "\u2028"]) expect(isHorizontalSpace(ch)).toBe(false);
    expect(foldText("全网\n第一", { skip: isHorizontalSpace }).text).toBe("全网\n第一");
  });

  it("delimiters: whitespace, punctuation, symbols; not letters, digits or marks", () => {
    for (const ch of [" ", "-", "·", "（", "！", "~", "、", "+"]) expect(isDelimiter(ch)).toBe(true);
    for (const ch of ["a", "1", "测", "\u0301"]) expect(isDelimiter(ch)).toBe(false);
    expect(foldText("测-试 群", { skip: isDelimiter }).text).toBe("测试群");
  });
});
