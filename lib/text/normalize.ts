// The one text normalisation behind every "does this text contain that word" rule: the content
// matcher (lib/content/matcher.ts) and the work-group naming rule's blocked words
// (lib/groups/naming-rule.ts). Pure: no server imports (both run in the browser too).
//
// foldText() reads the text code point by code point and writes a folded copy in which
// - invisible characters are dropped: Unicode format characters (category Cf: zero-width space,
//   zero-width (non-)joiner, word joiner, soft hyphen, BOM, the bidirectional marks and
//   isolates, …) and the other default-ignorable code points (variation selectors, the Hangul
//   fillers, the combining grapheme joiner). A reader does not see them, so matching does not
//   either: "全\u200B网第一" is read, and matched, as 全网第一;
// - every code point is NFKC-normalised (full-width ＮＯ．１ becomes NO.1, ① becomes 1, a CJK
//   compatibility ideograph becomes its unified one) and lower-cased;
// - traditional characters are folded to simplified by a small table (TRADITIONAL_TO_SIMPLIFIED):
//   the characters of the default content terms, content exemptions and naming-rule blocked
//   words and exemptions, so 國家級 is read as 国家级. It is not a converter: a traditional
//   character outside the table stays as it is (an ADMIN-added term with other characters matches
//   its traditional spelling only if that spelling is listed too), and only one-to-one folds are
//   in it (no 乾/干, 著/着, 髮/发 style ambiguities);
// - characters the caller's `skip` says to skip are dropped too, and the next kept character is
//   marked `gapBefore`: the content matcher skips horizontal whitespace (a term matches across
//   inserted spaces: "NO. 1", "全网 第一"); the naming rule skips whitespace, punctuation, symbols
//   and the template's separators. A rule that matches Latin words whole uses `gapBefore` as a
//   word boundary ("NO.1 2025" still ends NO.1 before the space).
//
// Each UTF-16 unit of the folded text remembers the original code point it came from (`starts`,
// `ends`: UTF-16 offsets as String.prototype.slice counts them), so a match in the folded text
// maps back to the ORIGINAL characters, invisible and skipped ones inside it included.

export type FoldedText = {
  /** The folded text (what rules are matched against). */
  text: string;
  /** Per UTF-16 unit of `text`: the offset in the original text of the code point it came from. */
  starts: number[];
  /** Per UTF-16 unit of `text`: the end offset of that original code point. */
  ends: number[];
  /** Per UTF-16 unit of `text`: 1 when a skipped (visible) character stood right before it. */
  gapBefore: Uint8Array;
};

export type FoldOptions = {
  /** Characters (after folding) to leave out of the folded text, marking a gap. */
  skip?: (ch: string) => boolean;
};

const INVISIBLE_RE = /[\p{Cf}\p{Default_Ignorable_Code_Point}]/u;
const INVISIBLE_GLOBAL = /[\p{Cf}\p{Default_Ignorable_Code_Point}]/gu;

/** True for a format character (Cf) or another default-ignorable code point. */
export function isInvisible(ch: string): boolean {
  return INVISIBLE_RE.test(ch);
}

/** The text without its invisible characters (for showing what was found). */
export function withoutInvisible(text: string): string {
  return text.replace(INVISIBLE_GLOBAL, "");
}

/** Horizontal whitespace: spaces and tabs of every kind, not line breaks (a term does not run across lines). */
export function isHorizontalSpace(ch: string): boolean {
  return ch === " " || ch === "\t" || (ch > "\u007f" && HORIZONTAL_SPACE_RE.test(ch));
}
const HORIZONTAL_SPACE_RE = /^[^\S\n\r\v\f\u0085\u2028\u2029]$/u;

/** Whitespace, punctuation or a symbol: what separates words. */
export function isDelimiter(ch: string): boolean {
  return DELIMITER_RE.test(ch);
}
const DELIMITER_RE = /[\p{White_Space}\p{P}\p{S}]/u;

/**
 * Traditional → simplified, pairwise ("traditional simplified" one after the other). Limited to
 * the characters of the default rule lists (see the file's comment); each traditional character
 * here is not also a standard simplified character of another meaning.
 */
const TRADITIONAL_PAIRS =
  "絕绝對对語语廣广條条項项優优進进歡欢價价國国網网銷销獨独無无級级際际頂顶極极緻致終终巔巅巓巅敵敌軍军領领遙遥個个選选發发創创補补" +
  "內内萬万僅仅後后機机關关薦荐專专檢检馳驰標标隨随時时漲涨馬马錯错過过沒没會会醫医療疗藥药傳传祕秘見见徹彻復复複复預预壓压證证証证" +
  "訓训諾诺錄录題题試试資资風风險险穩稳賺赚賠赔產产潛潜隻只報报詞词眾众衆众臺台檯台颱台運运營营規规範范誘诱導导單单轉转贊赞讚赞禮礼" +
  "賬账現现冊册稱称術术間间順顺較较錶表務务態态驟骤財财經经體体測测臨临紅红劑剂監监觀观驗验紙纸來来蒞莅癒愈註注迴回";

export const TRADITIONAL_TO_SIMPLIFIED: ReadonlyMap<string, string> = (() => {
  const map = new Map<string, string>();
  const chars = [...TRADITIONAL_PAIRS];
  for (let i = 0; i + 1 < chars.length; i += 2) map.set(chars[i], chars[i + 1]);
  return map;
})();

// The fold of one code point (NFKC, lower case, traditional → simplified; "" for an invisible
// one), cached: texts repeat the same few thousand characters. Bounded, so a stream of rare
// characters cannot grow it without end.
const CACHE_LIMIT = 20_000;
const cache = new Map<number, string>();

function foldCodePoint(cp: number, original: string): string {
  if (cp < 0x80) return cp >= 0x41 && cp <= 0x5a ? String.fromCharCode(cp + 32) : original;
  const cached = cache.get(cp);
  if (cached !== undefined) return cached;
  let out = "";
  if (!INVISIBLE_RE.test(original)) {
    for (const ch of original.normalize("NFKC").toLowerCase()) {
      if (INVISIBLE_RE.test(ch)) continue;
      out += TRADITIONAL_TO_SIMPLIFIED.get(ch) ?? ch;
    }
  }
  if (cache.size >= CACHE_LIMIT) cache.clear();
  cache.set(cp, out);
  return out;
}

/** Folds a text for matching, keeping each folded unit's origin (see the file's comment). */
export function foldText(input: string, options: FoldOptions = {}): FoldedText {
  const skip = options.skip;
  let text = "";
  const starts: number[] = [];
  const ends: number[] = [];
  const gaps: number[] = [];
  let gap = false;
  let i = 0;
  while (i < input.length) {
    const cp = input.codePointAt(i)!;
    const width = cp > 0xffff ? 2 : 1;
    const mapped = foldCodePoint(cp, width === 1 ? input[i] : input.slice(i, i + 2));
    const end = i + width;
    if (mapped.length === 1 && mapped.charCodeAt(0) < 0xd800) {
      // The common case: one BMP unit out.
      if (skip && skip(mapped)) gap = true;
      else {
        text += mapped;
        starts.push(i);
        ends.push(end);
        if (gap) gaps.push(starts.length - 1);
        gap = false;
      }
    } else {
      for (const ch of mapped) {
        if (skip && skip(ch)) {
          gap = true;
          continue;
        }
        for (let k = 0; k < ch.length; k++) {
          starts.push(i);
          ends.push(end);
        }
        if (gap) gaps.push(starts.length - ch.length);
        gap = false;
        text += ch;
      }
    }
    i = end;
  }
  const gapBefore = new Uint8Array(text.length);
  for (const g of gaps) gapBefore[g] = 1;
  return { text, starts, ends, gapBefore };
}

/** The folded text alone (for comparing and storing keys). */
export function foldString(input: string, options: FoldOptions = {}): string {
  return foldText(input, options).text;
}
