import type { Metadata } from "next";
import { Link } from "@/components/ui/link";
import { formatDate } from "@/components/groups/format";
import { Badge, Card, PageHeader } from "@/components/ui/card";
import { Cell, DataList, ListBody, ListHead, ListRow } from "@/components/ui/data-list";
import { Th } from "@/components/ui/table";
import { getI18n } from "@/lib/i18n/server";
import { requirePagePermission } from "@/lib/server/actor";
import { db } from "@/lib/server/db";
import { chinaToday } from "@/lib/training/assign";
import { manageLists } from "@/lib/training/queries";
import { readQuiz } from "@/lib/training/quiz";
import { audience as audienceShape } from "@/lib/training/schemas";
import { ActiveToggle, AssignForm, CourseForm, NewPolicyForm, OutsideCompletionForm, PublishPolicyForm } from "../_components/forms";
import { TrainingTabs } from "../_components/tabs";

export async function generateMetadata(): Promise<Metadata> {
  const { t } = await getI18n();
  return { title: t("training.manage.title") };
}

// ADMIN (training.manage): courses, their quiz and audience, policy versions. HR (training.assign):
// assignment by hand and completions recorded outside the portal.
export default async function TrainingManagePage() {
  const actor = await requirePagePermission("training.manage", "training.assign");
  const { t, locale } = await getI18n();
  const { courses, policies, departments } = await manageLists(db());
  const canManage = actor.permissions.has("training.manage");
  const canAssign = actor.permissions.has("training.assign");
  const deptName = new Map(departments.map((d) => [d.id, d.name]));
  const courseOptions = courses.filter((c) => c.active).map((c) => ({ value: c.id, label: `${c.code} · ${locale === "en" ? c.titleEn : c.titleZh}` }));
  const audienceLabel = (c: (typeof courses)[number]) => {
    const a = audienceShape.safeParse(c.audience);
    if (c.audienceKind === "EVERYONE" || !a.success) return t("training.audience.EVERYONE");
    if (c.audienceKind === "ROLES") return a.data.roles.map((r) => t(`roles.${r}`)).join(t("common.listSeparator"));
    return a.data.departmentIds.map((id) => deptName.get(id) ?? "?").join(t("common.listSeparator"));
  };

  return (
    <>
      <PageHeader title={t("training.manage.title")} description={t("training.manage.description")} />
      <TrainingTabs actor={actor} current="manage" t={t} />
      <div className="space-y-6">
        <DataList caption={t("training.manage.coursesCaption")}>
          <ListHead>
              <Th>{t("training.fields.code")}</Th>
              <Th>{t("training.fields.course")}</Th>
              <Th>{t("training.fields.version")}</Th>
              <Th>{t("training.fields.questions")}</Th>
              <Th>{t("training.fields.passingScore")}</Th>
              <Th>{t("training.fields.audienceKind")}</Th>
              <Th>{t("training.fields.recurrence")}</Th>
              <Th>{t("training.fields.dueWorkingDays")}</Th>
              <Th>{t("training.fields.active")}</Th>
        </ListHead>
          <ListBody data-testid="manage-courses">
            {courses.map((c) => (
              <ListRow key={c.id}>
                <Cell label={t("training.fields.code")} className="whitespace-nowrap font-mono">
                  {canManage ? (
                    <Link href={`/training/manage/courses/${c.id}`} className="text-blue-800 hover:underline" aria-label={`${t("training.manage.edit")} ${c.code}`}>
                      {c.code}
                    </Link>
                  ) : (
                    c.code
                  )}
                </Cell>
                <Cell kind="title" className="sm:min-w-40">
                  {locale === "en" ? c.titleEn : c.titleZh}
                  <div className="text-xs text-slate-500">{t(`training.category.${c.category}`)}</div>
                </Cell>
                <Cell label={t("training.fields.version")}>v{c.contentVersion}</Cell>
                <Cell label={t("training.fields.questions")} className="tabular-nums">{readQuiz(c.quiz).length}</Cell>
                <Cell label={t("training.fields.passingScore")} className="tabular-nums">{c.passingScore}</Cell>
                <Cell label={t("training.fields.audienceKind")} className="sm:min-w-32">{audienceLabel(c)}</Cell>
                <Cell label={t("training.fields.recurrence")} className="whitespace-nowrap">{c.recurrence === "MONTHS" ? t("training.manage.every", { months: c.recurrenceMonths ?? 0 }) : t(`training.recurrence.${c.recurrence}`)}</Cell>
                <Cell label={t("training.fields.dueWorkingDays")} className="tabular-nums">{c.dueWorkingDays}</Cell>
                <Cell kind="status" className="whitespace-nowrap">
                  <Badge tone={c.active ? "green" : "slate"}>{t(c.active ? "training.manage.active" : "training.manage.inactive")}</Badge>{" "}
                  {canManage ? <ActiveToggle id={c.id} version={c.version} active={c.active} /> : null}
                </Cell>
              </ListRow>
            ))}
          </ListBody>
        </DataList>

        {canAssign ? (
          <div className="grid grid-cols-1 gap-6 lg:grid-cols-2">
            <Card title={t("training.manage.assignTitle")}>
              <AssignForm courses={courseOptions} />
            </Card>
            <Card title={t("training.manage.outsideTitle")}>
              <OutsideCompletionForm courses={courses.map((c) => ({ value: c.id, label: `${c.code} · ${locale === "en" ? c.titleEn : c.titleZh}` }))} today={chinaToday(new Date()).toISOString().slice(0, 10)} />
            </Card>
          </div>
        ) : null}

        {canManage ? (
          <>
            <h2 className="text-base font-semibold text-slate-900">{t("training.manage.policiesCaption")}</h2>
            {policies.map((p) => (
              <Card key={p.id} title={`${locale === "en" ? p.titleEn : p.titleZh} · ${p.currentVersionNo ? t("training.manage.currentVersion", { version: p.currentVersionNo }) : t("training.manage.noVersion")}`}>
                {p.versions[0] ? <p className="mb-3 text-xs text-slate-500">{t("training.policy.published", { version: p.versions[0].versionNo, date: formatDate(p.versions[0].publishedAt, locale) })}</p> : null}
                <PublishPolicyForm documentId={p.id} currentVersionNo={p.currentVersionNo ?? 0} body={p.versions[0]?.body ?? ""} />
              </Card>
            ))}
            <Card title={t("training.manage.newPolicy")}>
              <NewPolicyForm />
            </Card>
            <Card title={t("training.manage.newCourse")}>
              <p className="mb-4 text-sm text-slate-600">{t("training.manage.newCourseDescription")}</p>
              <CourseForm departments={departments.map((d) => ({ value: d.id, label: `${"　".repeat(d.depth)}${d.name}` }))} />
            </Card>
          </>
        ) : null}
      </div>
    </>
  );
}
