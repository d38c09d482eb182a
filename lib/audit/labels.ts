import type { Translate } from "@/lib/i18n/translate";

// An audit event's codes as a person reads them: its action ("workGroup.dissolve" → 解散工作群),
// the type of its object ("WorkGroup" → 工作群) and a system actor ("system:seed" → 演示数据初始化).
// The codes stay in the data, the CSV's code columns and the filters; the names are in
// lib/i18n/messages/audit.ts. A code without a name (an action added without one) is shown as
// written rather than hidden, and tests/audit/labels.test.ts lists every action the code writes so
// that none is added without its name.

const messageKey = (code: string) => code.replace(/[.:-]/g, "_");

function named(t: Translate, prefix: string, code: string): string | null {
  const key = `${prefix}.${messageKey(code)}`;
  const label = t(key);
  return label === key ? null : label;
}

export function auditActionLabel(action: string, t: Translate): string {
  return named(t, "audit.actionNames", action) ?? action;
}

export function auditEntityLabel(entityType: string, t: Translate): string {
  return named(t, "audit.entityNames", entityType) ?? entityType;
}

/** A person's label (their e-mail or name) as recorded; a system actor by its name. */
export function auditActorLabel(actorLabel: string, t: Translate): string {
  if (actorLabel !== "system" && !actorLabel.startsWith("system:")) return actorLabel;
  return named(t, "audit.actorNames", actorLabel) ?? t("audit.systemActor");
}

export function hasActionLabel(action: string, t: Translate): boolean {
  return named(t, "audit.actionNames", action) !== null;
}

/** A changed field of an event's before/after ("departmentId" → 部门); a field without a name as written. */
export function auditFieldLabel(field: string, t: Translate): string {
  return /^[A-Za-z]+$/.test(field) ? (named(t, "audit.fieldNames", field) ?? field) : field;
}
