import type { Metadata } from "next";
import { Link } from "@/components/ui/link";
import { notFound } from "next/navigation";
import { cache, type ReactNode } from "react";
import { ClassificationBadge, ReviewBadge, StatusBadge } from "@/components/groups/badges";
import { formatDate, formatDateTime, formatDay } from "@/components/groups/format";
import { GroupActions } from "@/components/groups/group-actions";
import { Alert } from "@/components/ui/alert";
import { Badge, Card, PageHeader } from "@/components/ui/card";
import { loadPolicy } from "@/lib/groups/policy";
import { isArchiveFresh, isoDay, localDay, reviewStateOf } from "@/lib/groups/policy-rules";
import { departmentOptions, getGroup, groupAbilities, personLabel, type GroupDetail } from "@/lib/groups/queries";
import { getI18n } from "@/lib/i18n/server";
import { requirePagePermission } from "@/lib/server/actor";
import { db } from "@/lib/server/db";
import { id as idSchema } from "@/lib/validation";

type Props = { params: Promise<{ id: string }> };

/** The page and its title read the group once per request. */
const load = cache(async (id: string) => {
  const actor = await requirePagePermission("groups.request", "groups.read:department", "groups.read:all");
  // A forged or malformed id is simply not found.
  if (!idSchema.safeParse(id).success) notFound();
  const group = await getGroup(actor, db(), id);
  if (!group) notFound();
  return { actor, group };
});

export async function generateMetadata({ params }: Props): Promise<Metadata> {
  const { t } = await getI18n();
  const { id } = await params;
  if (!idSchema.safeParse(id).success) return { title: t("groups.title") };
  const { group } = await load(id);
  return { title: `${group.name} · ${t("groups.title")}` };
}

function Field({ label, children }: { label: string; children: ReactNode }) {
  return (
    <div className="min-w-0">
      <dt className="text-xs font-medium text-slate-500">{label}</dt>
      <dd className="mt-0.5 break-words text-sm text-slate-900">{children}</dd>
    </div>
  );
}

function historyLabel(t: (key: string) => string, action: string): string {
  const key = `groups.history.${action}`;
  const text = t(key);
  return text === key ? action : text;
}

/** The one detail worth a line in the history: to whom, why, what. */
function historyDetail(after: unknown): string | null {
  if (!after || typeof after !== "object") return null;
  const a = after as Record<string, unknown>;
  const value = a.ownerName ?? a.comment ?? a.content;
  return typeof value === "string" ? value : null;
}

function person(p: GroupDetail["owner"]): string {
  return p ? personLabel(p) : "—";
}

/** A violation's sentence from what the check found (its details). */
function violationText(t: (key: string, params?: Record<string, string | number>) => string, v: GroupDetail["violationRecords"][number], classification: string): string {
  const d = (v.details ?? {}) as Record<string, unknown>;
  const num = (k: string) => (typeof d[k] === "number" ? (d[k] as number) : 0);
  const names = v.departed.map((m) => m.employee?.name ?? m.userid).join(t("common.listSeparator"));
  return t(`groups.detail.violationKinds.${v.kind}`, { external: num("external"), departed: num("departed"), members: num("members"), limit: num("limit"), names, classification });
}

export default async function GroupPage({ params }: Props) {
  const { id } = await params;
  const { actor, group } = await load(id);
  const { t, locale } = await getI18n();
  const policy = await loadPolicy(db());
  const now = new Date();
  const abilities = groupAbilities(actor, group);
  const review = group.status === "ACTIVE" ? reviewStateOf(group.reviewDueAt, now) : null;
  const newestArchive = group.archiveRecords[0]?.exportedOn ?? null;
  const pendingRequest = group.requests.find((r) => r.status === "PENDING");
  const openViolations = group.violationRecords.filter((v) => v.resolvedAt === null);
  const classificationName = t(`groups.classification.${group.classification}`);
  const departments = abilities.register ? await departmentOptions(db()) : [];

  return (
    <div className="mx-auto max-w-4xl space-y-4">
      <p className="text-sm">
        <Link href="/groups" className="text-blue-800 hover:underline">
          ← {t("groups.detail.backToRegistry")}
        </Link>
      </p>
      <PageHeader
        title={<span className="break-all">{group.name}</span>}
        description={
          <span className="flex flex-wrap items-center gap-2">
            <StatusBadge status={group.status} label={t(`groups.status.${group.status}`)} />
            <ClassificationBadge classification={group.classification} label={t(`groups.classification.${group.classification}`)} />
            {review ? <ReviewBadge state={review} label={t(`groups.review.${review}`)} /> : null}
            {group.ownerless ? <Badge tone="red">{t("groups.ownerless")}</Badge> : null}
            {group.outsidePortal ? <Badge tone="amber">{t("groups.outsidePortal")}</Badge> : null}
            {openViolations.length ? <Badge tone="red">{t("groups.violationsBadge")}</Badge> : null}
            {group.wecomGoneReason === "NOT_LISTED" || group.wecomGoneReason === "DISMISSED" ? <Badge tone="slate">{t(`groups.goneBadge.${group.wecomGoneReason}`)}</Badge> : null}
          </span>
        }
      />

      {group.ownerless ? <Alert tone="error">{t("groups.ownerlessWarning", { name: group.owner?.name ?? group.wecomOwnerUserid ?? "" })}</Alert> : null}
      {group.outsidePortal ? <Alert tone="warning">{t("groups.detail.outsideWarning")}</Alert> : null}
      {!group.ownerId && group.wecomOwnerUserid ? <Alert tone="warning">{t("groups.detail.ownerUnlinked", { userid: group.wecomOwnerUserid })}</Alert> : null}
      {group.wecomGoneAt ? (
        <Alert tone="info">
          {t(group.wecomGoneReason === "DISMISSED" ? "groups.detail.goneDismissed" : "groups.detail.goneNotListed", {
            date: formatDateTime(group.wecomGoneReason === "DISMISSED" ? group.wecomGoneAt : group.wecomLastSeenAt, locale),
          })}
        </Alert>
      ) : null}
      {pendingRequest ? (
        <Alert tone="info">
          {group.status === "DISSOLUTION_PENDING" ? t("groups.detail.dissolutionPending") : t("groups.detail.pendingApproval")}{" "}
          <Link href={`/approvals/${pendingRequest.id}`} className="font-medium underline">
            {t("groups.detail.viewRequest")}
          </Link>
        </Alert>
      ) : null}

      <Card title={t("groups.detail.details")}>
        <dl className="grid grid-cols-1 gap-4 sm:grid-cols-2">
          <Field label={t("groups.fields.purpose")}>
            <span className="whitespace-pre-line">{group.purpose}</span>
          </Field>
          <Field label={t("groups.fields.department")}>{group.department?.name ?? "—"}</Field>
          <Field label={t("groups.fields.owner")}>
            <span className={group.ownerless ? "line-through" : undefined}>{person(group.owner)}</span>
          </Field>
          <Field label={t("groups.fields.administrators")}>
            {group.administratorPeople.length ? group.administratorPeople.map((p) => personLabel(p)).join(t("common.listSeparator")) : t("groups.detail.none")}
          </Field>
          <Field label={t("groups.fields.platform")}>{t(`groups.platform.${group.platform}`)}</Field>
          <Field label={t("groups.fields.kind")}>{t(`groups.kind.${group.kind}`)}</Field>
          <Field label={t("groups.fields.expectedSize")}>{group.expectedSize}</Field>
          <Field label={t("groups.fields.externalId")}>{group.externalId ?? "—"}</Field>
          <Field label={t("groups.fields.requester")}>{person(group.requester)}</Field>
          <Field label={t("groups.fields.createdAt")}>{formatDateTime(group.createdAt, locale)}</Field>
          <Field label={t("groups.fields.activatedAt")}>{formatDateTime(group.activatedAt, locale)}</Field>
          <Field label={t("groups.fields.reviewDueAt")}>{group.status === "ACTIVE" ? formatDate(group.reviewDueAt, locale) : "—"}</Field>
          <Field label={t("groups.fields.lastReviewedAt")}>{formatDateTime(group.lastReviewedAt, locale)}</Field>
          {group.dissolvedAt ? <Field label={t("groups.fields.dissolvedAt")}>{formatDateTime(group.dissolvedAt, locale)}</Field> : null}
          <Field label={t("groups.fields.policyVersion")}>{group.policyVersion}</Field>
        </dl>
      </Card>

      {group.wecomLastSeenAt ? (
        <Card title={t("groups.detail.wecom")}>
          <dl className="grid grid-cols-1 gap-4 sm:grid-cols-2" data-testid="group-wecom">
            <Field label={t("groups.fields.wecomName")}>{group.wecomName || "—"}</Field>
            <Field label={t("groups.fields.wecomOwner")}>
              {group.wecomOwnerUserid ?? "—"}
              {group.owner && group.wecomOwnerUserid ? ` · ${personLabel(group.owner)}` : null}
            </Field>
            <Field label={t("groups.fields.wecomStatus")}>{group.wecomStatus === null ? "—" : t(`groups.wecomStatus.${group.wecomStatus}`)}</Field>
            <Field label={t("groups.fields.members")}>
              {t("groups.detail.membersLine", {
                total: (group.internalMemberCount ?? 0) + (group.externalMemberCount ?? 0),
                internal: group.internalMemberCount ?? 0,
                external: group.externalMemberCount ?? 0,
              })}
            </Field>
            <Field label={t("groups.fields.wecomLastSeenAt")}>{formatDateTime(group.wecomLastSeenAt, locale)}</Field>
            {group.foundInWecomAt ? <Field label={t("groups.fields.foundInWecomAt")}>{formatDateTime(group.foundInWecomAt, locale)}</Field> : null}
          </dl>
          <div className="mt-4">
            <h3 className="text-xs font-medium text-slate-500">{t("groups.fields.internalMembers")}</h3>
            <ul className="mt-1 flex flex-wrap gap-x-3 gap-y-1 text-sm text-slate-900" data-testid="group-members">
              {group.internalMembers.map((m) => (
                <li key={m.userid} className="break-all">
                  {m.employee ? m.employee.name : m.userid}
                  {m.employee ? null : <span className="text-slate-500">{t("groups.detail.unknownMember")}</span>}
                  {m.employee?.status === "DEPARTED" ? (
                    <span className="ml-1">
                      <Badge tone="red">{t("groups.detail.departed")}</Badge>
                    </span>
                  ) : null}
                </li>
              ))}
            </ul>
            <p className="mt-2 text-xs text-slate-500">{t("groups.detail.internalMembersHint")}</p>
          </div>
        </Card>
      ) : null}

      {group.wecomLastSeenAt || group.violationRecords.length ? (
        <Card title={t("groups.detail.violations")}>
          {group.violationRecords.length === 0 ? (
            <p className="text-sm text-slate-600">{t("groups.detail.violationsEmpty")}</p>
          ) : (
            <ul className="divide-y divide-slate-100" data-testid="group-violations">
              {group.violationRecords.map((v) => (
                <li key={v.id} className="space-y-1 py-3 text-sm first:pt-0 last:pb-0">
                  <p className="flex flex-wrap items-center gap-2">
                    <Badge tone={v.resolvedAt ? "slate" : "red"}>{v.resolvedAt ? t("groups.detail.violationResolved") : t("groups.detail.violationOpen")}</Badge>
                    <span className="break-words text-slate-900">{violationText(t, v, classificationName)}</span>
                  </p>
                  <p className="text-slate-500">
                    {t("groups.detail.violationOpened", { date: formatDateTime(v.openedAt, locale) })}
                    {v.resolvedAt ? ` · ${t("groups.detail.violationResolvedAt", { date: formatDateTime(v.resolvedAt, locale) })}` : null}
                  </p>
                </li>
              ))}
            </ul>
          )}
          <p className="mt-3 text-xs text-slate-500">{t("groups.detail.violationsHint")}</p>
        </Card>
      ) : null}

      {abilities.register || abilities.confirmReview || abilities.recordArchive || abilities.requestDissolution || abilities.transfer ? (
        <Card title={t("groups.actions.title")}>
          <GroupActions
            group={{ id: group.id, version: group.version }}
            abilities={abilities}
            reviewDays={policy.reviewDays[group.classification]}
            reviewDue={formatDate(group.reviewDueAt, locale)}
            archive={{ fresh: isArchiveFresh(newestArchive, now, policy.archiveWindowDays), windowDays: policy.archiveWindowDays, newestOn: newestArchive ? formatDay(newestArchive, locale) : null }}
            today={isoDay(localDay(now))}
            register={
              abilities.register
                ? { departments: departments.map((d) => ({ id: d.id, label: `${"　".repeat(d.depth)}${d.name}` })), departmentId: group.departmentId, classification: group.classification }
                : undefined
            }
          />
        </Card>
      ) : null}

      <Card title={t("groups.detail.archives")}>
        {group.archiveRecords.length === 0 ? (
          <p className="text-sm text-slate-600">{t("groups.detail.archivesEmpty")}</p>
        ) : (
          <ul className="divide-y divide-slate-100" data-testid="archive-records">
            {group.archiveRecords.map((a) => (
              <li key={a.id} className="space-y-1 py-3 text-sm first:pt-0 last:pb-0">
                <p className="font-medium text-slate-900">
                  {formatDay(a.exportedOn, locale)} · <span className="break-words">{a.content}</span>
                </p>
                <p className="break-words text-slate-700">
                  {t("groups.detail.archiveColumns.location")}：{a.location}
                </p>
                <p className="text-slate-500">
                  {t("groups.detail.archiveColumns.recordedBy")}：{a.recordedBy?.name ?? "—"} · {formatDateTime(a.createdAt, locale)}
                </p>
                {a.note ? <p className="whitespace-pre-line break-words text-slate-600">{a.note}</p> : null}
              </li>
            ))}
          </ul>
        )}
      </Card>

      <Card title={t("groups.detail.requests")}>
        {group.requests.length === 0 ? (
          <p className="text-sm text-slate-600">{t("groups.detail.requestsEmpty")}</p>
        ) : (
          <ul className="divide-y divide-slate-100" data-testid="group-requests">
            {group.requests.map((r) => (
              <li key={r.id} className="flex flex-wrap items-center justify-between gap-2 py-2 text-sm first:pt-0 last:pb-0">
                <Link href={`/approvals/${r.id}`} className="font-medium text-blue-800 hover:underline">
                  {t(`groups.requestType.${r.type}`)} · {t(`groups.requestStatus.${r.status}`)}
                </Link>
                <span className="text-slate-500">
                  {r.requester?.name ?? "—"} · {formatDateTime(r.createdAt, locale)}
                  {r.closedAt ? ` → ${formatDateTime(r.closedAt, locale)}` : ""}
                </span>
              </li>
            ))}
          </ul>
        )}
      </Card>

      <Card title={t("groups.detail.history")}>
        {group.history.length === 0 ? (
          <p className="text-sm text-slate-600">{t("groups.detail.historyEmpty")}</p>
        ) : (
          <ol className="space-y-2" data-testid="group-history">
            {group.history.map((h) => (
              <li key={h.id} className="text-sm">
                <span className="font-medium text-slate-900">{historyLabel(t, h.action)}</span>
                {historyDetail(h.after) ? <span className="break-words text-slate-700">：{historyDetail(h.after)}</span> : null}
                <span className="block text-slate-500 sm:inline sm:before:content-['_·_']">
                  {h.actorName ?? h.actorLabel} · {formatDateTime(h.createdAt, locale)}
                </span>
              </li>
            ))}
          </ol>
        )}
      </Card>
    </div>
  );
}
