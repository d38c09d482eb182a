import type { Metadata } from "next";
import { notFound } from "next/navigation";
import { formatDate, formatDateTime } from "@/components/groups/format";
import { LinkButton } from "@/components/ui/button";
import { Badge, Card, PageHeader } from "@/components/ui/card";
import { ProvisionalBadge } from "@/components/ui/provisional-badge";
import { loadHolidayCoverage } from "@/lib/calendar/coverage";
import { Alert } from "@/components/ui/alert";
import { getI18n } from "@/lib/i18n/server";
import { requirePagePermission } from "@/lib/server/actor";
import { db } from "@/lib/server/db";
import { courseForTaking } from "@/lib/training/queries";
import { isMultiple } from "@/lib/training/quiz";
import { id as idSchema } from "@/lib/validation";
import { Markup } from "../../_components/markup";
import { QuizForm } from "../../_components/forms";

export async function generateMetadata(): Promise<Metadata> {
  const { t } = await getI18n();
  return { title: t("training.title") };
}

// Taking a course: the material, then the quiz (only when the course is assigned to the reader and
// not yet completed). Right answers never leave the server: the form gets prompts and choices only.
export default async function CoursePage({ params }: { params: Promise<{ id: string }> }) {
  const actor = await requirePagePermission("training.take");
  const { t, locale } = await getI18n();
  const { id } = await params;
  if (!idSchema.safeParse(id).success) notFound();
  const [data, coverage] = await Promise.all([courseForTaking(actor, db(), id), loadHolidayCoverage(db())]);
  if (!data) notFound();
  const { course, assignment } = data;
  const title = locale === "en" ? course.titleEn : course.titleZh;
  const now = new Date();
  const overdue = assignment?.status === "ASSIGNED" && assignment.dueAt < now;

  return (
    <>
      <PageHeader
        title={title}
        description={`${t(`training.category.${course.category}`)} · ${t("training.course.version", { version: course.contentVersion })}`}
        actions={<LinkButton href="/training">{t("training.course.back")}</LinkButton>}
      />
      <div className="mb-4 flex flex-wrap items-center gap-2 text-sm" data-testid="course-status">
        {assignment ? (
          <>
            {overdue ? <Badge tone="red">{t("training.status.overdue")}</Badge> : <Badge tone={assignment.status === "COMPLETED" ? "green" : "amber"}>{t(`training.status.${assignment.status}`)}</Badge>}
            {assignment.status === "ASSIGNED" ? (
              <span>
                {t("training.course.dueNote", { date: formatDate(assignment.dueAt, locale) })}
                <ProvisionalBadge year={coverage.provisionalYear(assignment.dueAt)} t={t} />
              </span>
            ) : null}
            <span className="text-slate-600">{t("training.course.attemptsSoFar", { count: assignment.attempts })}</span>
          </>
        ) : null}
      </div>
      {!course.active ? <div className="mb-4"><Alert tone="warning">{t("training.course.inactive")}</Alert></div> : null}

      <div className="space-y-6">
        <Card title={t("training.course.material")}>
          <Markup source={course.content} />
        </Card>

        <Card title={t("training.course.quiz")}>
          {!assignment ? (
            <Alert tone="info">{t("training.course.notAssigned")}</Alert>
          ) : assignment.status === "COMPLETED" ? (
            <div data-testid="course-completed">
              <Alert tone="success">
                {assignment.method === "OUTSIDE"
                  ? t("training.course.completedOutside", { date: formatDate(assignment.completedAt, locale) })
                  : t("training.course.completedNote", { date: formatDateTime(assignment.completedAt, locale), score: assignment.score ?? "—" })}
              </Alert>
            </div>
          ) : (
            <QuizForm
              courseId={course.id}
              attempts={assignment.attempts}
              passingScore={course.passingScore}
              questions={course.quiz.map((q) => ({ prompt: q.prompt, choices: q.choices, multiple: isMultiple(q) }))}
            />
          )}
        </Card>
      </div>
    </>
  );
}
