import { newId } from "@/lib/ids";
import { writeAuditEvent, type AuditActor } from "@/lib/server/audit-write";
import { DomainError } from "@/lib/server/errors";
import type { DbClient, Tx } from "@/lib/server/prisma-client";
import type { WeComClient } from "./client";
import { WeComError } from "./errors";

// Content rules pushed to WeCom (issue 15, item 6; docs/wecom.md "Content rules in WeCom"). ADMIN
// publishes the words of the active content-compliance rules (lib/content: every term of every
// active rule list) as WeCom sensitive-word intercept rules (externalcontact/add_intercept_rule,
// doc 95130) for chosen departments, warn only or warn and block. WeCom's limits, checked here
// before any call:
// - at most 300 words a rule: the words, in a stable order (rule code, then term), are split into
//   rules of 300 — slot 1 holds the first 300, slot 2 the next, …;
// - each word at most 32 characters: a longer one cannot be sent and is listed as refused;
// - a rule name at most 20 characters: "内容合规敏感词 n";
// - at most 100 rules a company, counting the rules made in WeCom's console: the push is refused
//   whole, before any change, when its rules do not fit beside them.
// The rules the portal made are kept by slot (wecom_intercept_rules): publishing again updates the
// same WeCom rules (update_intercept_rule: words, type, departments added and removed), deletes
// the slots no longer needed, and adds one only for a new slot — or when WeCom no longer has the
// rule (deleted in its console), in which case it is made again. Each push is a row with WeCom's
// answer per rule (rule id, or errcode and its explanation) and one audit event. One push at a
// time (a partial unique index on RUNNING).
//
// Never a duplicate rule: WeCom's add_intercept_rule takes no key of ours, so the rule's name is the
// key. The push row (RUNNING, with its plan) is written before any call; a rule's id is recorded as
// soon as WeCom answers. A worker killed (or a timeout) between WeCom making a rule and the portal
// recording its id leaves a rule in WeCom named "内容合规敏感词 n" that no slot holds: every push
// first lists WeCom's rules, and such a rule is adopted for slot n (recorded, then updated) rather
// than a second one made; one beyond the slots needed is deleted like any slot no longer needed.

export const INTERCEPT_LIMITS = { rules: 100, wordsPerRule: 300, wordChars: 32, nameChars: 20 } as const;
/** A push RUNNING longer than this was abandoned (its process died); the next one may start. */
const STALE_PUSH_MS = 10 * 60_000;

export type InterceptType = 1 | 2;
export type RuleResult = { slot: number; ruleId: string | null; ruleName: string; words: number; action: "created" | "updated" | "recreated" | "adopted" | "deleted" | "failed"; errcode: number | null; zh: string | null; en: string | null };
export type RefusedWord = { word: string; reason: "tooLong" };
export type InterceptPlan = { words: number; chunks: string[][]; refused: RefusedWord[] };

const chars = (s: string) => Array.from(s).length;
export const ruleName = (slot: number) => `内容合规敏感词 ${slot}`;
const RULE_NAME = /^内容合规敏感词 ([1-9][0-9]{0,2})$/;

/** Splits the words into WeCom rules (pure): distinct, trimmed, in the given order. */
export function planInterceptRules(terms: readonly string[]): InterceptPlan {
  const seen = new Set<string>();
  const ok: string[] = [];
  const refused: RefusedWord[] = [];
  for (const raw of terms) {
    const word = raw.trim();
    if (!word || seen.has(word)) continue;
    seen.add(word);
    if (chars(word) > INTERCEPT_LIMITS.wordChars) refused.push({ word, reason: "tooLong" });
    else ok.push(word);
  }
  const chunks: string[][] = [];
  for (let i = 0; i < ok.length; i += INTERCEPT_LIMITS.wordsPerRule) chunks.push(ok.slice(i, i + INTERCEPT_LIMITS.wordsPerRule));
  return { words: ok.length, chunks, refused };
}

/** Every term of every active content rule, by rule code then term. */
export async function contentWords(client: DbClient | Tx): Promise<string[]> {
  const rules = await client.contentRule.findMany({ where: { active: true }, select: { terms: { select: { term: true }, orderBy: { term: "asc" } } }, orderBy: { code: "asc" } });
  return rules.flatMap((r) => r.terms.map((t) => t.term));
}

export type PublishInput = { departmentIds: string[]; interceptType: InterceptType };
export type PublishOutcome = { pushId: string; status: "DONE" | "PARTIAL" | "FAILED"; results: RuleResult[]; refused: RefusedWord[]; words: number };

function wecomRefusal(e: WeComError): never {
  throw new DomainError("INVALID_STATE", "wecom.intercept.errors.wecom", { params: { errcode: e.errcode ?? e.kind, zh: e.zh, en: e.en } });
}

/**
 * Publishes the content rules' words. `client`: the customer-contact app's (WeCom ties the
 * intercept-rule API to customer contact). Throws DomainError, before any change in WeCom, for a
 * department not from WeCom, no words, too many rules or a push already running.
 */
export async function publishInterceptRules(prisma: DbClient, client: WeComClient, actor: AuditActor, input: PublishInput, now = new Date()): Promise<PublishOutcome> {
  const departments = await prisma.department.findMany({ where: { id: { in: input.departmentIds } }, select: { id: true, name: true, wecomId: true } });
  if (input.departmentIds.length === 0 || departments.length !== new Set(input.departmentIds).size) throw new DomainError("VALIDATION", "wecom.intercept.errors.noDepartments", { field: "departmentIds" });
  const notInWeCom = departments.find((d) => d.wecomId === null);
  if (notInWeCom) throw new DomainError("VALIDATION", "wecom.intercept.errors.departmentNotInWeCom", { field: "departmentIds", params: { name: notInWeCom.name } });
  const wecomIds = departments.map((d) => d.wecomId!).sort((a, b) => a - b);

  const plan = planInterceptRules(await contentWords(prisma));
  if (plan.chunks.length === 0) throw new DomainError("VALIDATION", "wecom.intercept.errors.noWords", { params: { refused: plan.refused.length } });
  const stored = await prisma.weComInterceptRule.findMany({ orderBy: { slot: "asc" } });
  const ours = new Set(stored.map((r) => r.ruleId));
  let list: Awaited<ReturnType<WeComClient["interceptRuleList"]>>;
  try {
    list = await client.interceptRuleList();
  } catch (e) {
    if (e instanceof WeComError) wecomRefusal(e);
    throw e;
  }
  // Rules with our name that no slot holds: made by a push that never learnt their id (see the top).
  const orphans = new Map<number, string>();
  for (const r of list.rule_list ?? []) {
    const m = ours.has(r.rule_id) ? null : RULE_NAME.exec(r.rule_name);
    if (m && !orphans.has(Number(m[1]))) orphans.set(Number(m[1]), r.rule_id);
  }
  const orphanIds = new Set(orphans.values());
  const others = (list.rule_list ?? []).filter((r) => !ours.has(r.rule_id) && !orphanIds.has(r.rule_id)).length;
  const capacity = INTERCEPT_LIMITS.rules - others;
  if (plan.chunks.length > capacity) throw new DomainError("VALIDATION", "wecom.intercept.errors.tooManyRules", { params: { needed: plan.chunks.length, capacity, others, words: plan.words } });

  // One push at a time: an abandoned one is closed first.
  await prisma.weComInterceptPush.updateMany({ where: { status: "RUNNING", createdAt: { lt: new Date(now.getTime() - STALE_PUSH_MS) } }, data: { status: "FAILED", finishedAt: now } });
  const pushId = newId();
  try {
    await prisma.weComInterceptPush.create({ data: { id: pushId, actorId: actor.id, status: "RUNNING", interceptType: input.interceptType, departmentIds: departments.map((d) => d.id), words: plan.words, refused: plan.refused, createdAt: now } });
  } catch (e) {
    if ((e as { code?: unknown })?.code === "P2002") throw new DomainError("INVALID_STATE", "wecom.intercept.errors.busy");
    throw e;
  }

  const results: RuleResult[] = [];
  const bySlot = new Map(stored.map((r) => [r.slot, r]));
  const failed = (slot: number, ruleId: string | null, words: number, e: unknown): RuleResult => {
    if (!(e instanceof WeComError)) throw e;
    return { slot, ruleId, ruleName: ruleName(slot), words, action: "failed", errcode: e.errcode, zh: e.zh, en: e.en };
  };
  const keep = (slot: number, ruleId: string, words: number) =>
    prisma.weComInterceptRule.upsert({
      where: { slot },
      create: { slot, ruleId, ruleName: ruleName(slot), wordCount: words, interceptType: input.interceptType, departmentWecomIds: wecomIds, updatedAt: now },
      update: { ruleId, ruleName: ruleName(slot), wordCount: words, interceptType: input.interceptType, departmentWecomIds: wecomIds, updatedAt: now },
    });
  const add = async (slot: number, words: string[]) => (await client.addInterceptRule({ rule_name: ruleName(slot), word_list: words, intercept_type: input.interceptType, applicable_range: { department_list: wecomIds } })).rule_id;
  /** A rule of ours WeCom has but no slot recorded: recorded first, then given this push's words. */
  const adopt = async (slot: number, ruleId: string, words: string[]): Promise<RuleResult> => {
    orphans.delete(slot);
    await keep(slot, ruleId, 0);
    // Its departments are whatever the push that made it chose: those not chosen now are removed.
    const removed = ((await client.getInterceptRule(ruleId)).rule.applicable_range.department_list ?? []).filter((d) => !wecomIds.includes(d));
    await client.updateInterceptRule({
      rule_id: ruleId,
      rule_name: ruleName(slot),
      word_list: words,
      intercept_type: input.interceptType,
      add_applicable_range: { department_list: wecomIds },
      ...(removed.length ? { remove_applicable_range: { department_list: removed } } : {}),
    });
    await keep(slot, ruleId, words.length);
    return { slot, ruleId, ruleName: ruleName(slot), words: words.length, action: "adopted", errcode: 0, zh: null, en: null };
  };

  let crashed = false;
  try {
    for (let k = 0; k < plan.chunks.length; k++) {
      const slot = k + 1;
      const words = plan.chunks[k];
      const existing = bySlot.get(slot);
      try {
        if (existing) {
          const removed = existing.departmentWecomIds.filter((d) => !wecomIds.includes(d));
          let gone = false;
          try {
            await client.getInterceptRule(existing.ruleId);
          } catch (e) {
            if (!(e instanceof WeComError) || e.kind !== "API") throw e;
            gone = true; // deleted in WeCom's console: made again below
          }
          if (!gone) {
            await client.updateInterceptRule({
              rule_id: existing.ruleId,
              rule_name: ruleName(slot),
              word_list: words,
              intercept_type: input.interceptType,
              add_applicable_range: { department_list: wecomIds },
              ...(removed.length ? { remove_applicable_range: { department_list: removed } } : {}),
            });
            await keep(slot, existing.ruleId, words.length);
            results.push({ slot, ruleId: existing.ruleId, ruleName: ruleName(slot), words: words.length, action: "updated", errcode: 0, zh: null, en: null });
            continue;
          }
          const orphan = orphans.get(slot);
          if (orphan) {
            results.push(await adopt(slot, orphan, words));
            continue;
          }
          const ruleId = await add(slot, words);
          await keep(slot, ruleId, words.length);
          results.push({ slot, ruleId, ruleName: ruleName(slot), words: words.length, action: "recreated", errcode: 0, zh: null, en: null });
          continue;
        }
        const orphan = orphans.get(slot);
        if (orphan) {
          results.push(await adopt(slot, orphan, words));
          continue;
        }
        const ruleId = await add(slot, words);
        await keep(slot, ruleId, words.length);
        results.push({ slot, ruleId, ruleName: ruleName(slot), words: words.length, action: "created", errcode: 0, zh: null, en: null });
      } catch (e) {
        results.push(failed(slot, existing?.ruleId ?? null, words.length, e));
      }
    }
    // Rules of ours no slot recorded, beyond the slots needed: deleted.
    for (const [slot, ruleId] of orphans) {
      try {
        await client.delInterceptRule(ruleId);
        results.push({ slot, ruleId, ruleName: ruleName(slot), words: 0, action: "deleted", errcode: 0, zh: null, en: null });
      } catch (e) {
        results.push(failed(slot, ruleId, 0, e));
      }
    }
    // Slots no longer needed (fewer words than before).
    for (const r of stored.filter((s) => s.slot > plan.chunks.length)) {
      try {
        await client.delInterceptRule(r.ruleId);
        await prisma.weComInterceptRule.delete({ where: { slot: r.slot } });
        results.push({ slot: r.slot, ruleId: r.ruleId, ruleName: r.ruleName, words: 0, action: "deleted", errcode: 0, zh: null, en: null });
      } catch (e) {
        results.push(failed(r.slot, r.ruleId, 0, e));
      }
    }
  } catch (e) {
    crashed = true; // not WeCom's answer (the database, a bug): the push is recorded as failed
    throw e;
  } finally {
    const failures = results.filter((r) => r.action === "failed").length;
    const status = crashed ? "FAILED" : failures === 0 && results.length > 0 ? "DONE" : failures === results.length ? "FAILED" : "PARTIAL";
    await prisma.$transaction(async (tx) => {
      await tx.weComInterceptPush.update({ where: { id: pushId }, data: { status, results, finishedAt: new Date() } });
      await writeAuditEvent(tx, actor, {
        action: "wecom.intercept.publish",
        entityType: "WeComInterceptPush",
        entityId: pushId,
        after: { status, interceptType: input.interceptType, departmentWecomIds: wecomIds, words: plan.words, refused: plan.refused.length, rules: results.map((r) => ({ slot: r.slot, ruleId: r.ruleId, action: r.action, errcode: r.errcode, words: r.words })) },
      });
    });
  }
  const failures = results.filter((r) => r.action === "failed").length;
  return { pushId, status: failures === 0 ? "DONE" : failures === results.length ? "FAILED" : "PARTIAL", results, refused: plan.refused, words: plan.words };
}

export type InterceptView = {
  words: number;
  rulesNeeded: number;
  refused: RefusedWord[];
  rules: { slot: number; ruleId: string; ruleName: string; wordCount: number; interceptType: number; departmentWecomIds: number[]; updatedAt: string }[];
  pushes: { id: string; status: string; interceptType: number; words: number; createdAt: string; results: RuleResult[]; refused: RefusedWord[] }[];
  departments: { id: string; name: string; path: string; depth: number; wecomId: number }[];
};

/** What the content-rules page's WeCom section shows. */
export async function interceptView(client: DbClient | Tx): Promise<InterceptView> {
  const plan = planInterceptRules(await contentWords(client));
  const [rules, pushes, departments] = await Promise.all([
    client.weComInterceptRule.findMany({ orderBy: { slot: "asc" } }),
    client.weComInterceptPush.findMany({ orderBy: { createdAt: "desc" }, take: 5 }),
    client.department.findMany({ where: { wecomId: { not: null }, wecomRemovedAt: null }, select: { id: true, name: true, path: true, depth: true, wecomId: true }, orderBy: { path: "asc" }, take: 1000 }),
  ]);
  return {
    words: plan.words,
    rulesNeeded: plan.chunks.length,
    refused: plan.refused,
    rules: rules.map((r) => ({ ...r, updatedAt: r.updatedAt.toISOString() })),
    pushes: pushes.map((p) => ({ id: p.id, status: p.status, interceptType: p.interceptType, words: p.words, createdAt: p.createdAt.toISOString(), results: p.results as RuleResult[], refused: p.refused as RefusedWord[] })),
    departments: departments.map((d) => ({ ...d, wecomId: d.wecomId! })),
  };
}
