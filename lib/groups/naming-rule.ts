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
// Blocked words are matched whole-word and case-blind, in the free parts only (the department
// comes from the directory and the literal text from the administrator):
// - Both sides are folded: NFKC (full-width "ＴＥＳＴ" becomes "TEST", "１２" becomes "12"), lower
//   case, invisible characters (zero-width space, joiners, BOM) removed.
// - A free part is cut into words at whitespace, punctuation, symbols and at the template's own
//   literal characters that are not letters or digits; and again where a run of CJK script (Han, kana, Hangul) meets a run of
//   other letters or digits, because Chinese writes no spaces and a Latin word beside Chinese
//   text is a word of its own ("test群" is "test" + "群").
// - A blocked word (cut the same way) matches when its words appear consecutively among the
//   part's words. So "测试" blocks the parts "测试", "测试 用", "产品·测试" and "测试abc", but
//   not "测试群" or "检测试剂" (substring matching would block the chemistry lab's 检测试剂群);
//   "test" blocks "Test", "ＴＥＳＴ", "test-1" and "test群", not "contest" or "testing".

export const DEPARTMENT_NAME_PLACEHOLDER = "部门";
export const DEPARTMENT_CODE_PLACEHOLDER = "部门代码";

export const MAX_FREE_PARTS = 5;
export const MAX_PLACEHOLDER_LENGTH = 20;
export const MIN_NAME_LENGTH_LIMIT = 5;
export const MAX_NAME_LENGTH_LIMIT = 200;
export const MAX_BLOCKED_WORDS = 500;
export const MAX_BLOCKED_WORD_LENGTH = 50;

export type NamingRule = { template: string; maxLength: number; blockedWords: readonly string[] };

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

const INVISIBLE = /\p{Default_Ignorable_Code_Point}/gu;

/** Full-width to half-width (NFKC), lower case, invisible characters removed: for matching only. */
export function foldForMatching(text: string): string {
  return text.normalize("NFKC").replace(INVISIBLE, "").toLowerCase();
}

const DELIMITER = /[\p{White_Space}\p{P}\p{S}]/u;
const CJK = /[\p{Script=Han}\p{Script=Hiragana}\p{Script=Katakana}\p{Script=Hangul}]/u;

/**
 * The words of a text for blocked-word matching (see the file's comment): folded, cut at
 * delimiters (plus `extraDelimiters`, the template's literal characters) and where CJK script
 * meets other letters or digits.
 */
export function wordsOf(text: string, extraDelimiters: ReadonlySet<string> = new Set()): string[] {
  const words: string[] = [];
  let current = "";
  let currentIsCjk: boolean | null = null;
  const flush = () => {
    if (current) words.push(current);
    current = "";
    currentIsCjk = null;
  };
  for (const ch of foldForMatching(text)) {
    if (DELIMITER.test(ch) || extraDelimiters.has(ch)) {
      flush();
      continue;
    }
    const isCjk = CJK.test(ch);
    // Combining marks stay with the character before them.
    if (currentIsCjk !== null && isCjk !== currentIsCjk && !/\p{M}/u.test(ch)) flush();
    current += ch;
    if (currentIsCjk === null) currentIsCjk = isCjk;
  }
  flush();
  return words;
}

function containsSequence(haystack: readonly string[], needle: readonly string[]): boolean {
  if (needle.length === 0 || needle.length > haystack.length) return false;
  outer: for (let i = 0; i + needle.length <= haystack.length; i++) {
    for (let j = 0; j < needle.length; j++) if (haystack[i + j] !== needle[j]) continue outer;
    return true;
  }
  return false;
}

/** The blocked words found in a text, as the administrator wrote them, in the list's order. */
export function blockedWordsIn(text: string, blockedWords: readonly string[], extraDelimiters: ReadonlySet<string> = new Set()): string[] {
  const words = wordsOf(text, extraDelimiters);
  return blockedWords.filter((blocked) => containsSequence(words, wordsOf(blocked)));
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
  | { code: "BLOCKED_WORD"; word: string; part: string };

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
    template.segments.flatMap((s) => (s.kind === "literal" ? [...foldForMatching(s.text)].filter((c) => !/[\p{L}\p{N}\p{M}]/u.test(c)) : [])),
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
      for (const word of blockedWordsIn(value, rule.blockedWords, literalChars)) {
        problems.push({ code: "BLOCKED_WORD", word, part: segment.key });
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
  | { code: "TEMPLATE_LONGER_THAN_MAX"; length: number; max: number };

/**
 * Blocked words as an administrator typed them (one a line, or separated by commas or 、),
 * trimmed, blanks dropped, duplicates (after folding) dropped keeping the first.
 */
export function parseBlockedWords(text: string): string[] {
  const seen = new Set<string>();
  const out: string[] = [];
  for (const raw of text.split(/[\n\r,，、;；]+/u)) {
    const word = normalizePart(raw);
    if (!word) continue;
    const key = wordsOf(word).join(" ");
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
    else if (wordsOf(word).length === 0) problems.push({ code: "BLOCKED_WORD_NO_LETTERS", word });
  }
  return problems;
}
