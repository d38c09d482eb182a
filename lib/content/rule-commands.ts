import "server-only";
import { newId } from "@/lib/ids";
import type { ActionContext } from "@/lib/server/action";
import { DomainError, forbidden, notFound, stale } from "@/lib/server/errors";
import { normaliseTerm } from "./matcher";
import type { ExemptionAddInput, ExemptionRemoveInput, RuleCreateInput, RuleUpdateInput, TermAddInput, TermRemoveInput } from "./schemas";

// Editing the rule lists (content.configure). New findings use the lists as they are when a
// revision is written; findings already stored keep the rule and article they were found with.

const RULE_ENTITY = "ContentRule";
const EXEMPTION_ENTITY = "ContentExemption";
const err = (key: string, field?: string) => new DomainError("CONFLICT", `content.errors.${key}`, { field });

function configure(actor: ActionContext<unknown>["actor"]) {
  if (!actor.permissions.has("content.configure")) throw forbidden();
}

export async function addTerm({ actor, input, tx, audit }: ActionContext<TermAddInput>) {
  configure(actor);
  const rule = await tx.contentRule.findUnique({ where: { id: input.ruleId }, include: { terms: { select: { term: true } } } });
  if (!rule) throw notFound();
  const normalised = normaliseTerm(input.term);
  if (!normalised) throw new DomainError("VALIDATION", "errors.v.required", { field: "term" });
  if (rule.terms.some((t) => normaliseTerm(t.term) === normalised)) throw err("termExists", "term");
  const id = newId();
  await tx.contentTerm.create({ data: { id, ruleId: rule.id, term: input.term, standsAlone: input.standsAlone } });
  await audit({ action: "content.rule.addTerm", entityType: RULE_ENTITY, entityId: rule.id, before: null, after: { code: rule.code, term: input.term, standsAlone: input.standsAlone } });
  return { id };
}

export async function removeTerm({ actor, input, tx, audit }: ActionContext<TermRemoveInput>) {
  configure(actor);
  const term = await tx.contentTerm.findUnique({ where: { id: input.termId }, include: { rule: { select: { id: true, code: true } } } });
  if (!term) throw notFound();
  await tx.contentTerm.delete({ where: { id: term.id } });
  await audit({ action: "content.rule.removeTerm", entityType: RULE_ENTITY, entityId: term.rule.id, before: { code: term.rule.code, term: term.term, standsAlone: term.standsAlone }, after: null });
  return { id: term.id };
}

export async function addExemption({ actor, input, tx, audit }: ActionContext<ExemptionAddInput>) {
  configure(actor);
  const existing = await tx.contentExemption.findMany({ select: { phrase: true } });
  if (existing.some((e) => normaliseTerm(e.phrase) === normaliseTerm(input.phrase))) throw err("exemptionExists", "phrase");
  const id = newId();
  await tx.contentExemption.create({ data: { id, phrase: input.phrase, reason: input.reason } });
  await audit({ action: "content.exemption.add", entityType: EXEMPTION_ENTITY, entityId: id, before: null, after: { phrase: input.phrase, reason: input.reason } });
  return { id };
}

export async function removeExemption({ actor, input, tx, audit }: ActionContext<ExemptionRemoveInput>) {
  configure(actor);
  const row = await tx.contentExemption.findUnique({ where: { id: input.exemptionId } });
  if (!row) throw notFound();
  await tx.contentExemption.delete({ where: { id: row.id } });
  await audit({ action: "content.exemption.remove", entityType: EXEMPTION_ENTITY, entityId: row.id, before: { phrase: row.phrase, reason: row.reason }, after: null });
  return { id: row.id };
}

export async function updateRule({ actor, input, tx, audit }: ActionContext<RuleUpdateInput>) {
  configure(actor);
  const rule = await tx.contentRule.findUnique({ where: { id: input.ruleId } });
  if (!rule) throw notFound();
  if (rule.version !== input.version) throw stale();
  const data = { article: input.article, nameZh: input.nameZh, nameEn: input.nameEn, active: input.active };
  const { count } = await tx.contentRule.updateMany({ where: { id: rule.id, version: rule.version }, data: { ...data, version: { increment: 1 } } });
  if (count !== 1) throw stale();
  await audit({
    action: "content.rule.update",
    entityType: RULE_ENTITY,
    entityId: rule.id,
    before: { code: rule.code, article: rule.article, nameZh: rule.nameZh, nameEn: rule.nameEn, active: rule.active, version: rule.version },
    after: { code: rule.code, ...data, version: rule.version + 1 },
  });
  return { id: rule.id };
}

export async function createRule({ actor, input, tx, audit }: ActionContext<RuleCreateInput>) {
  configure(actor);
  if (input.code.startsWith("MEDIA_")) throw err("ruleCodeReserved", "code");
  if (await tx.contentRule.findUnique({ where: { code: input.code }, select: { id: true } })) throw err("ruleExists", "code");
  const id = newId();
  await tx.contentRule.create({ data: { id, ...input } });
  await audit({ action: "content.rule.create", entityType: RULE_ENTITY, entityId: id, before: null, after: input });
  return { id };
}
