// The work-group naming rule (SPEC §4), pure: the request form runs it as the requester types
// and the server runs it again on what arrives, so both show the same enforced name and the same
// problems. No server imports.
//
// A template is text with placeholders in braces, e.g. "{部门}-{项目}-{用途}":
// - {部门} is the department's name as the directory holds it (readable for the members of the
//   group, who see its name on their phones); {部门代码} is the department's code instead, for a
//   company that prefers short ASCII prefixes. Both are filled in, never typed.
// - Any other placeholder is a free part the requester types ({项目}, {用途}, ...), in the order
//   of the template. Everything outside braces is literal text, copied as it is.
//
// Length is counted in characters as a person sees them (extended grapheme clusters): "群" is 1,
// "👍" is 1, a family emoji "👨‍👩‍👧" is 1, "🇨🇳" is 1. Where Intl.Segmenter is missing (very old
// browsers), Unicode code points are counted instead; the server always has it.
//
// Blocked words are matched case-blind in the free parts only (the department comes from the
// directory and the literal text from the administrator):
// - Both sides are folded by the shared normalisation (lib/text/normalize.ts, the content
//   matcher's too): invisible characters (Cf: zero-width space and joiners, soft hyphen, BOM, bidi
//   marks, …) dropped, NFKC (full-width "ＴＥＳＴ" becomes "test", "１２" becomes "12"), lower
//   case, the traditional characters of the default lists folded to simplified (測試 is 测试),
//   and whitespace, punctuation, symbols and the template's separators left out (a gap).
// - Chinese writes no spaces, so a blocked word in CJK script (Han, kana, Hangul) matches
//   anywhere in the part: "测试" blocks "测试", "测试群", "新品测试用", "测 试", "测-试" and "測試".
// - A blocked word that begins or ends with a Latin letter or digit (any script written with
//   spaces) matches there only at a word boundary: a gap, a CJK character or the part's edge.
//   "test" blocks "Test", "ＴＥＳＴ", "test-1", "te st" and "test群", not "contest" or "testing".
// - Exemptions (the policy's blockedWordExemptions; DEFAULT_BLOCKED_WORD_EXEMPTIONS to start
//   with) are longer words in which a blocked word does not count: the chemistry lab's 检测试剂群
//   contains 测试 across two words (检测 + 试剂); "来临时" is 来临 + 时, not 临时.

import { foldString, foldText, isDelimiter, withoutInvisible } from "@/lib/text/normalize";

export const DEPARTMENT_NAME_PLACEHOLDER = "部门";
export const DEPARTMENT_CODE_PLACEHOLDER = "部门代码";

export const MAX_FREE_PARTS = 5;
export const MAX_PLACEHOLDER_LENGTH = 20;
export const MIN_NAME_LENGTH_LIMIT = 5;
export const MAX_NAME_LENGTH_LIMIT = 200;
export const MAX_BLOCKED_WORDS = 500;
export const MAX_BLOCKED_WORD_LENGTH = 50;

export const MAX_BLOCKED_WORD_EXEMPTIONS = 500;

export type NamingRule = {
  template: string;
  maxLength: number;
  blockedWords: readonly string[];
  /** Longer words in which a blocked word does not count (see the file's comment). */
  blockedWordExemptions: readonly string[];
};

/** The exemptions every install starts with (the migration writes exactly these; ADMIN edits them):
 * everyday words in which a default blocked word (测试, 临时) appears across two words. */
export const DEFAULT_BLOCKED_WORD_EXEMPTIONS: readonly string[] = [
  "检测试剂",
  "检测试纸",
  "检测试验",
  "监测试点",
  "观测试验",
  "来临时",
  "面临时",
  "光临时",
  "降临时",
  "莅临时",
];

export type TemplateSegment =
  | { kind: "literal"; text: string }
  | { kind: "departmentName" }
  | { kind: "departmentCode" }
  | { kind: "free"; key: string };

export type TemplateProblem =
  | { code: "EMPTY_TEMPLATE" }
  | { code: "UNBALANCED_BRACE"; at: number }
  | { code: "EMPTY_PLACEHOLDER"; at: number }
  | { code: "PLACEHOLDER_TOO_LONG"; placeholder: string }
  | { code: "DUPLICATE_PART"; part: string }
  | { code: "NO_FREE_PART" }
  | { code: "TOO_MANY_PARTS"; max: number };

export type ParsedTemplate = { segments: TemplateSegment[]; freeParts: string[]; problems: TemplateProblem[] };

/** Cuts a template into literal text and placeholders, listing every problem at once. */
export function parseTemplate(template: string): ParsedTemplate {
  const segments: TemplateSegment[] = [];
  const problems: TemplateProblem[] = [];
  const freeParts: string[] = [];
  if (template.trim() === "") return { segments, freeParts, problems: [{ code: "EMPTY_TEMPLATE" }] };

  let literal = "";
  const chars = [...template];
  for (let i = 0; i < chars.length; i++) {
    const ch = chars[i];
    if (ch === "}") {
      problems.push({ code: "UNBALANCED_BRACE", at: i });
      continue;
    }
    if (ch !== "{") {
      literal += ch;
      continue;
    }
    const close = chars.indexOf("}", i + 1);
    const nextOpen = chars.indexOf("{", i + 1);
    if (close === -1 || (nextOpen !== -1 && nextOpen < close)) {
      problems.push({ code: "UNBALANCED_BRACE", at: i });
      continue;
    }
    const key = chars.slice(i + 1, close).join("").trim();
    if (literal) segments.push({ kind: "literal", text: literal });
    literal = "";
    i = close;
    if (key === "") {
      problems.push({ code: "EMPTY_PLACEHOLDER", at: i });
    } else if ([...key].length > MAX_PLACEHOLDER_LENGTH) {
      problems.push({ code: "PLACEHOLDER_TOO_LONG", placeholder: key });
    } else if (key === DEPARTMENT_NAME_PLACEHOLDER) {
      segments.push({ kind: "departmentName" });
    } else if (key === DEPARTMENT_CODE_PLACEHOLDER) {
      segments.push({ kind: "departmentCode" });
    } else if (freeParts.includes(key)) {
      problems.push({ code: "DUPLICATE_PART", part: key });
    } else {
      freeParts.push(key);
      segments.push({ kind: "free", key });
    }
  }
  if (literal) segments.push({ kind: "literal", text: literal });
  // Only said when nothing else is wrong: a broken placeholder may be the free part meant.
  if (freeParts.length === 0 && problems.length === 0) {
    problems.push({ code: "NO_FREE_PART" });
  }
  if (freeParts.length > MAX_FREE_PARTS) problems.push({ code: "TOO_MANY_PARTS", max: MAX_FREE_PARTS });
  return { segments, freeParts, problems };
}

// ---------------------------------------------------------------------------------------------
// Characters and words

const graphemes: Intl.Segmenter | null =
  typeof Intl !== "undefined" && "Segmenter" in Intl ? new Intl.Segmenter(undefined, { granularity: "grapheme" }) : null;

/** Characters as a person counts them (grapheme clusters), never UTF-16 units. */
export function characterCount(text: string): number {
  if (!graphemes) return [...text].length;
  return Array.from(graphemes.segment(text)).length;
}

/** The template's separators and every whitespace, punctuation and symbol: skipped when matching. */
function skipper(extraDelimiters: ReadonlySet<string>): (ch: string) => boolean {
  return extraDelimiters.size ? (ch) => isDelimiter(ch) || extraDelimiters.has(ch) : isDelimiter;
}

/**
 * A word as blocked-word matching reads it (lib/text/normalize.ts foldText): invisible characters
 * dropped, NFKC, lower case, traditional characters of the default lists folded, whitespace,
 * punctuation and symbols left out. "ＴＥＳＴ", "te\u200Bst" and "t-e-s-t" all read "test".
 */
export function matchKey(text: string, extraDelimiters: ReadonlySet<string> = new Set()): string {
  return foldString(text, { skip: skipper(extraDelimiters) });
}

const CJK = /[\p{Script=Han}\p{Script=Hiragana}\p{Script=Katakana}\p{Script=Hangul}]/u;
const LETTER_OR_DIGIT = /[\p{L}\p{N}\p{M}]/u;

/** A letter, digit or mark of a script written with spaces between words (not CJK). */
function isLatinWordChar(ch: string | undefined): boolean {
  return ch !== undefined && LETTER_OR_DIGIT.test(ch) && !CJK.test(ch);
}

function codePointBefore(text: string, at: number): string | undefined {
  if (at <= 0) return undefined;
  const low = text.charCodeAt(at - 1);
  if (low >= 0xdc00 && low <= 0xdfff && at >= 2) return text.slice(at - 2, at);
  return text[at - 1];
}

function codePointAt(text: string, at: number): string | undefined {
  if (at >= text.length) return undefined;
  return String.fromCodePoint(text.codePointAt(at)!);
}

export type BlockedWordHit = {
  /** The blocked word as the administrator wrote it. */
  word: string;
  /** What the part says there (the original characters, invisible ones removed). */
  found: string;
};

/**
 * The blocked words found in a text (see the file's comment), in the list's order, each with what
 * was found the first time. `exemptions` are longer words in which a blocked word does not count;
 * `extraDelimiters` are the template's separators.
 */
export function blockedWordsIn(
  text: string,
  blockedWords: readonly string[],
  exemptions: readonly string[] = [],
  extraDelimiters: ReadonlySet<string> = new Set(),
): BlockedWordHit[] {
  const skip = skipper(extraDelimiters);
  const folded = foldText(text, { skip });
  const hay = folded.text;
  if (!hay) return [];
  const exempt: Array<{ s: number; e: number }> = [];
  for (const phrase of exemptions) {
    const key = foldString(phrase, { skip });
    if (!key) continue;
    for (let at = hay.indexOf(key); at !== -1; at = hay.indexOf(key, at + 1)) exempt.push({ s: at, e: at + key.length });
  }
  const hits: BlockedWordHit[] = [];
  for (const word of blockedWords) {
    const key = foldString(word, { skip });
    if (!key) continue;
    // A blocked word that begins (ends) with a Latin letter or digit matches only where no other
    // one is right before (after) it; Chinese, Japanese and Korean match anywhere.
    const latinStart = isLatinWordChar(codePointAt(key, 0));
    const latinEnd = isLatinWordChar(codePointBefore(key, key.length));
    for (let at = hay.indexOf(key); at !== -1; at = hay.indexOf(key, at + 1)) {
      const end = at + key.length;
      if (latinStart && !folded.gapBefore[at] && isLatinWordChar(codePointBefore(hay, at))) continue;
      if (latinEnd && end < hay.length && !folded.gapBefore[end] && isLatinWordChar(codePointAt(hay, end))) continue;
      if (exempt.some((x) => x.s <= at && end <= x.e && x.e - x.s > key.length)) continue;
      hits.push({ word, found: withoutInvisible(text.slice(folded.starts[at], folded.ends[end - 1])) });
      break;
    }
  }
  return hits;
}

// ---------------------------------------------------------------------------------------------
// Building and checking a name

/** Spaces at the ends removed and runs of whitespace inside made one space. */
export function normalizePart(value: string): string {
  return value.replace(/\s+/gu, " ").trim();
}

export type NameProblem =
  | { code: "TEMPLATE_INVALID" }
  | { code: "DEPARTMENT_REQUIRED" }
  | { code: "PART_REQUIRED"; part: string }
  | { code: "TOO_LONG"; length: number; max: number }
  /** `found` is what the part says there: the word as listed (any case), or (…_VARIANT) another spelling of it. */
  | { code: "BLOCKED_WORD" | "BLOCKED_WORD_VARIANT"; word: string; part: string; found: string };

export type NamePiece = { kind: "literal" | "department" | "free"; text: string; key?: string; missing: boolean };

export type NameCheck = {
  /** The enforced name: what the group will be called. */
  name: string;
  /** Its length in characters (characterCount). */
  length: number;
  /** The pieces of the name, for a preview that marks what is typed and what is filled in. */
  pieces: NamePiece[];
  /** The free parts by placeholder, normalised. */
  parts: Record<string, string>;
  problems: NameProblem[];
};

export type NameInput = {
  department?: { name: string; code: string } | null;
  /** The free parts in the template's order; missing ones count as empty. */
  parts: readonly string[];
};

/** The enforced name and every problem with it; `ok` when there are none. */
export function checkGroupName(rule: NamingRule, input: NameInput): NameCheck & { ok: boolean } {
  const template = parseTemplate(rule.template);
  const problems: NameProblem[] = [];
  if (template.problems.length) problems.push({ code: "TEMPLATE_INVALID" });

  // The template's separators: its literal characters that are not letters or digits (a literal
  // "群" in "{项目}群" is text, not a separator).
  const literalChars = new Set(
    template.segments.flatMap((s) => (s.kind === "literal" ? [...foldString(s.text)].filter((c) => !/[\p{L}\p{N}\p{M}]/u.test(c)) : [])),
  );
  const parts: Record<string, string> = {};
  const pieces: NamePiece[] = [];
  let freeIndex = 0;
  let departmentMissing = false;
  for (const segment of template.segments) {
    if (segment.kind === "literal") {
      pieces.push({ kind: "literal", text: segment.text, missing: false });
    } else if (segment.kind === "departmentName" || segment.kind === "departmentCode") {
      const text = input.department ? (segment.kind === "departmentName" ? input.department.name : input.department.code) : "";
      if (!text) departmentMissing = true;
      pieces.push({ kind: "department", text, missing: !text });
    } else {
      const value = normalizePart(input.parts[freeIndex] ?? "");
      freeIndex++;
      parts[segment.key] = value;
      pieces.push({ kind: "free", key: segment.key, text: value, missing: value === "" });
      if (value === "") problems.push({ code: "PART_REQUIRED", part: segment.key });
      for (const hit of blockedWordsIn(value, rule.blockedWords, rule.blockedWordExemptions, literalChars)) {
        problems.push({ code: hit.found.toLowerCase() === hit.word.toLowerCase() ? "BLOCKED_WORD" : "BLOCKED_WORD_VARIANT", word: hit.word, part: segment.key, found: hit.found });
      }
    }
  }
  if (departmentMissing) problems.unshift({ code: "DEPARTMENT_REQUIRED" });

  const name = pieces.map((p) => p.text).join("");
  const length = characterCount(name);
  if (length > rule.maxLength) problems.push({ code: "TOO_LONG", length, max: rule.maxLength });
  return { name, length, pieces, parts, problems, ok: problems.length === 0 };
}

// ---------------------------------------------------------------------------------------------
// The rule itself (what ADMIN saves)

export type RuleProblem =
  | TemplateProblem
  | { code: "MAX_LENGTH_RANGE"; min: number; max: number }
  | { code: "TOO_MANY_BLOCKED_WORDS"; max: number }
  | { code: "BLOCKED_WORD_TOO_LONG"; word: string; max: number }
  | { code: "BLOCKED_WORD_NO_LETTERS"; word: string }
  | { code: "TOO_MANY_EXEMPTIONS"; max: number }
  | { code: "EXEMPTION_TOO_LONG"; word: string; max: number }
  | { code: "EXEMPTION_NO_LETTERS"; word: string }
  | { code: "TEMPLATE_LONGER_THAN_MAX"; length: number; max: number };

/**
 * Blocked words (or exemptions) as an administrator typed them (one a line, or separated by commas or 、),
 * trimmed, blanks dropped, duplicates (after folding) dropped keeping the first.
 */
export function parseBlockedWords(text: string): string[] {
  const seen = new Set<string>();
  const out: string[] = [];
  for (const raw of text.split(/[\n\r,，、;；]+/u)) {
    const word = normalizePart(raw);
    if (!word) continue;
    const key = matchKey(word);
    if (seen.has(key) && key !== "") continue;
    seen.add(key);
    out.push(word);
  }
  return out;
}

/** Every problem of a rule an administrator wants to save. */
export function validateNamingRule(rule: NamingRule): RuleProblem[] {
  const template = parseTemplate(rule.template);
  const problems: RuleProblem[] = [...template.problems];
  if (!Number.isInteger(rule.maxLength) || rule.maxLength < MIN_NAME_LENGTH_LIMIT || rule.maxLength > MAX_NAME_LENGTH_LIMIT) {
    problems.push({ code: "MAX_LENGTH_RANGE", min: MIN_NAME_LENGTH_LIMIT, max: MAX_NAME_LENGTH_LIMIT });
  } else if (template.problems.length === 0) {
    // The literal text alone must leave room for something to be typed.
    const fixed = characterCount(template.segments.map((s) => (s.kind === "literal" ? s.text : "")).join(""));
    if (fixed + template.freeParts.length > rule.maxLength) problems.push({ code: "TEMPLATE_LONGER_THAN_MAX", length: fixed, max: rule.maxLength });
  }
  if (rule.blockedWords.length > MAX_BLOCKED_WORDS) problems.push({ code: "TOO_MANY_BLOCKED_WORDS", max: MAX_BLOCKED_WORDS });
  for (const word of rule.blockedWords) {
    if (characterCount(word) > MAX_BLOCKED_WORD_LENGTH) problems.push({ code: "BLOCKED_WORD_TOO_LONG", word, max: MAX_BLOCKED_WORD_LENGTH });
    else if (matchKey(word) === "") problems.push({ code: "BLOCKED_WORD_NO_LETTERS", word });
  }
  if (rule.blockedWordExemptions.length > MAX_BLOCKED_WORD_EXEMPTIONS) problems.push({ code: "TOO_MANY_EXEMPTIONS", max: MAX_BLOCKED_WORD_EXEMPTIONS });
  for (const word of rule.blockedWordExemptions) {
    if (characterCount(word) > MAX_BLOCKED_WORD_LENGTH) problems.push({ code: "EXEMPTION_TOO_LONG", word, max: MAX_BLOCKED_WORD_LENGTH });
    else if (matchKey(word) === "") problems.push({ code: "EXEMPTION_NO_LETTERS", word });
  }
  return problems;
}
