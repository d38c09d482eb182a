import "server-only";
import type { Tx } from "@/lib/server/db";
import type { RuleKind } from "./default-rules";
import { compileMatcher, type MatchRuleSet } from "./matcher";
import { checkMedia, MEDIA_ARTICLE, type MediaForCheck } from "./media-check";

// The active rule lists as the matcher takes them, and the findings of one text with its media.

export type RuleInfo = { code: string; kind: RuleKind; nameZh: string; nameEn: string; article: string };
export type LoadedRules = { set: MatchRuleSet; rules: Map<string, RuleInfo> };

export async function loadRules(tx: Tx): Promise<LoadedRules> {
  const [rules, exemptions] = await Promise.all([
    tx.contentRule.findMany({ where: { active: true }, include: { terms: { select: { term: true, standsAlone: true } } }, orderBy: { code: "asc" } }),
    tx.contentExemption.findMany({ select: { phrase: true } }),
  ]);
  return {
    set: {
      terms: rules.flatMap((r) => r.terms.map((t) => ({ rule: r.code, term: t.term, standsAlone: t.standsAlone }))),
      exemptions: exemptions.map((e) => e.phrase),
    },
    rules: new Map(rules.map((r) => [r.code, { code: r.code, kind: r.kind, nameZh: r.nameZh, nameEn: r.nameEn, article: r.article }])),
  };
}

export type FindingDraft = {
  ruleCode: string;
  ruleKind: string;
  article: string;
  term: string;
  startOffset: number | null;
  endOffset: number | null;
  mediaId: string | null;
};

/** Every finding of a revision: text hits (with original offsets) then media findings. */
export function findingsFor(loaded: LoadedRules, text: string, media: readonly MediaForCheck[], plannedAt: Date): FindingDraft[] {
  const hits = compileMatcher(loaded.set).match(text);
  const out: FindingDraft[] = hits.map((h) => {
    const rule = loaded.rules.get(h.rule)!;
    return { ruleCode: h.rule, ruleKind: rule.kind, article: rule.article, term: text.slice(h.start, h.end), startOffset: h.start, endOffset: h.end, mediaId: null };
  });
  for (const m of checkMedia(media, plannedAt)) {
    out.push({ ruleCode: m.rule, ruleKind: "MEDIA", article: MEDIA_ARTICLE, term: m.term, startOffset: null, endOffset: null, mediaId: m.mediaId });
  }
  return out;
}
