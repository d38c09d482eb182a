// The content matcher (SPEC §11): finds the terms of the rule lists in a text in one pass.
// Pure: no database, no clock; used by the server (findings stored per revision) and by the
// browser (live findings while editing).
//
// - Normalisation: the shared one (lib/text/normalize.ts): invisible characters (Cf: zero-width
//   space and joiners, soft hyphen, BOM, bidi marks, …) dropped, every code point NFKC-normalised
//   and lower-cased on its own (full-width ＮＯ．１ and half-width No.1 become "no.1"), the
//   traditional characters of the default lists folded to simplified (國家級 is 国家级), and
//   spaces and tabs skipped, so a term matches across inserted spaces ("NO. 1", "全网 第一"; not
//   across a line break). Each normalised character keeps the offsets of the original code point
//   it came from, so a finding points into the ORIGINAL text (UTF-16 offsets, as
//   String.prototype.slice counts them) and covers what was skipped inside it.
// - One Aho-Corasick automaton over every term and every exempt phrase: a single pass over the
//   normalised text, O(text + hits), whatever the number of terms.
// - A term that "stands alone" does not hit inside an exempt phrase (a registered trademark or
//   product name containing 最, "第一时间" for 第一) and, where the term begins or ends with a Latin
//   letter or digit, not next to another one (TOP1 is not found in TOP10). A term that does not
//   stand alone hits wherever it occurs.
// - A hit contained in a longer hit of another term is dropped (全网第一 is one finding, not also
//   第一); two terms of different rules on exactly the same span are both kept.

import { foldText, isHorizontalSpace, type FoldedText } from "@/lib/text/normalize";

export type MatchTerm = {
  /** The rule the term belongs to (its code), named in each finding. */
  rule: string;
  term: string;
  standsAlone: boolean;
};

export type MatchRuleSet = {
  terms: readonly MatchTerm[];
  /** Longer words in which a stand-alone term is not a finding. */
  exemptions: readonly string[];
};

export type MatchHit = {
  rule: string;
  /** The term as the list writes it. */
  term: string;
  /** Offsets into the original text: text.slice(start, end) is what was found. */
  start: number;
  end: number;
};

/**
 * The text as the automaton reads it (lib/text/normalize.ts foldText): invisible characters
 * dropped, NFKC, lower case, traditional characters of the default lists folded to simplified,
 * horizontal whitespace skipped (marked as a gap), each unit keeping its original offsets.
 */
export function normalise(input: string): FoldedText {
  return foldText(input, { skip: isHorizontalSpace });
}

/** The normalised form of a term (what the automaton stores). */
export function normaliseTerm(term: string): string {
  return normalise(term.trim()).text;
}

const ASCII_WORD = /[a-z0-9]/;

type Pattern = { index: number; length: number; kind: "term" | "exempt" };

export type CompiledMatcher = {
  /** Finds every hit in the text, sorted by start, then longer first. */
  match(text: string): MatchHit[];
  readonly termCount: number;
};

/** Builds the automaton once per rule set; match() may then run on any number of texts. */
export function compileMatcher(rules: MatchRuleSet): CompiledMatcher {
  // Trie: per node a map of next characters; fail links; per node the patterns ending there.
  const next: Array<Map<string, number>> = [new Map()];
  const out: Pattern[][] = [[]];
  const terms: Array<MatchTerm & { normalised: string }> = [];

  const add = (normalised: string, pattern: Omit<Pattern, "length">) => {
    if (!normalised) return;
    let node = 0;
    for (const ch of normalised) {
      let child = next[node].get(ch);
      if (child === undefined) {
        child = next.length;
        next.push(new Map());
        out.push([]);
        next[node].set(ch, child);
      }
      node = child;
    }
    out[node].push({ ...pattern, length: normalised.length });
  };

  for (const t of rules.terms) {
    const normalised = normaliseTerm(t.term);
    if (!normalised) continue;
    add(normalised, { index: terms.length, kind: "term" });
    terms.push({ ...t, normalised });
  }
  rules.exemptions.forEach((phrase, index) => add(normaliseTerm(phrase), { index, kind: "exempt" }));

  // Breadth-first fail links; each node's output also holds its fail chain's (dictionary links
  // flattened: the lists are short, and it keeps the matching loop simple).
  const fail = new Array<number>(next.length).fill(0);
  const queue: number[] = [];
  for (const child of next[0].values()) queue.push(child);
  for (let qi = 0; qi < queue.length; qi++) {
    const node = queue[qi];
    for (const [ch, child] of next[node]) {
      let f = fail[node];
      while (f !== 0 && !next[f].has(ch)) f = fail[f];
      const target = next[f].get(ch);
      fail[child] = target !== undefined && target !== child ? target : 0;
      if (out[fail[child]].length) out[child] = out[child].concat(out[fail[child]]);
      queue.push(child);
    }
  }

  function match(input: string): MatchHit[] {
    const norm = normalise(input);
    const text = norm.text;
    const raw: Array<{ term: number; s: number; e: number }> = [];
    const exempt: Array<{ s: number; e: number }> = [];
    let node = 0;
    // Walked by code point, as the trie was built; offsets stay in UTF-16 units.
    for (let i = 0; i < text.length; ) {
      const cp = text.codePointAt(i)!;
      const ch = String.fromCodePoint(cp);
      const width = ch.length;
      while (node !== 0 && !next[node].has(ch)) node = fail[node];
      node = next[node].get(ch) ?? 0;
      const end = i + width;
      for (const p of out[node]) {
        const start = end - p.length;
        if (p.kind === "exempt") exempt.push({ s: start, e: end });
        else raw.push({ term: p.index, s: start, e: end });
      }
      i = end;
    }

    const kept = raw.filter((h) => {
      const t = terms[h.term];
      if (!t.standsAlone) return true;
      if (exempt.some((x) => x.s <= h.s && h.e <= x.e && x.e - x.s > h.e - h.s)) return false;
      // A skipped space is a word boundary ("NO.1 2025"); a dropped invisible character is not.
      if (ASCII_WORD.test(t.normalised[0]) && h.s > 0 && !norm.gapBefore[h.s] && ASCII_WORD.test(text[h.s - 1])) return false;
      if (ASCII_WORD.test(t.normalised[t.normalised.length - 1]) && h.e < text.length && !norm.gapBefore[h.e] && ASCII_WORD.test(text[h.e])) return false;
      return true;
    });

    // Drop a hit strictly inside a longer kept hit.
    kept.sort((a, b) => a.s - b.s || b.e - a.e);
    const result: MatchHit[] = [];
    let reachEnd = -1;
    let reachStart = -1;
    for (const h of kept) {
      const inside = h.e <= reachEnd && h.s >= reachStart && !(h.s === reachStart && h.e === reachEnd);
      if (inside) continue;
      if (h.e > reachEnd) {
        reachEnd = h.e;
        reachStart = h.s;
      }
      const t = terms[h.term];
      const start = norm.starts[h.s];
      const endOriginal = norm.ends[h.e - 1];
      result.push({ rule: t.rule, term: t.term, start, end: endOriginal });
    }
    // The same rule and span twice (a term listed twice, or two spellings normalising alike): once.
    const seen = new Set<string>();
    return result.filter((h) => {
      const key = `${h.rule}:${h.start}:${h.end}`;
      if (seen.has(key)) return false;
      seen.add(key);
      return true;
    });
  }

  return { match, termCount: terms.length };
}

/** Splits a text into plain and highlighted pieces for display (hits may overlap: merged). */
export function segments(text: string, hits: readonly { start: number; end: number; id?: string }[]): Array<{ text: string; hit: boolean; ids: string[] }> {
  const sorted = [...hits].filter((h) => h.start >= 0 && h.end <= text.length && h.end > h.start).sort((a, b) => a.start - b.start || b.end - a.end);
  const out: Array<{ text: string; hit: boolean; ids: string[] }> = [];
  let at = 0;
  for (let i = 0; i < sorted.length; ) {
    const s = Math.max(sorted[i].start, at);
    let e = sorted[i].end;
    const ids = sorted[i].id ? [sorted[i].id!] : [];
    i++;
    while (i < sorted.length && sorted[i].start < e) {
      e = Math.max(e, sorted[i].end);
      if (sorted[i].id) ids.push(sorted[i].id!);
      i++;
    }
    if (e <= at) continue;
    if (s > at) out.push({ text: text.slice(at, s), hit: false, ids: [] });
    out.push({ text: text.slice(s, e), hit: true, ids });
    at = e;
  }
  if (at < text.length) out.push({ text: text.slice(at), hit: false, ids: [] });
  return out;
}
