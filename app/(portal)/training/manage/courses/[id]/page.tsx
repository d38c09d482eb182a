import type { Metadata } from "next";
import { notFound } from "next/navigation";
import { LinkButton } from "@/components/ui/button";
import { Card, PageHeader } from "@/components/ui/card";
import { getI18n } from "@/lib/i18n/server";
import { requirePagePermission } from "@/lib/server/actor";
import { db } from "@/lib/server/db";
import { readQuiz, quizToText } from "@/lib/training/quiz";
import { audience as audienceShape } from "@/lib/training/schemas";
import { id as idSchema } from "@/lib/validation";
import { CourseForm } from "../../../_components/forms";

export async function generateMetadata(): Promise<Metadata> {
  const { t } = await getI18n();
  return { title: t("training.manage.title") };
}

// ADMIN edits a course: material, quiz, pass mark, audience, recurrence, due period.
export default async function EditCoursePage({ params }: { params: Promise<{ id: string }> }) {
  await requirePagePermission("training.manage");
  const { t } = await getI18n();
  const { id } = await params;
  if (!idSchema.safeParse(id).success) notFound();
  const client = db();
  const [course, departments] = await Promise.all([
    client.trainingCourse.findUnique({ where: { id } }),
    client.department.findMany({ orderBy: { path: "asc" }, select: { id: true, name: true, depth: true } }),
  ]);
  if (!course) notFound();
  const aud = audienceShape.safeParse(course.audience);
  return (
    <>
      <PageHeader title={t("training.manage.editTitle", { code: course.code })} description={t("training.manage.editDescription")} actions={<LinkButton href="/training/manage">{t("training.manage.title")}</LinkButton>} />
      <Card>
        <CourseForm
          departments={departments.map((d) => ({ value: d.id, label: `${"　".repeat(d.depth)}${d.name}` }))}
          initial={{
            id: course.id,
            version: course.version,
            code: course.code,
            titleZh: course.titleZh,
            titleEn: course.titleEn,
            category: course.category,
            content: course.content,
            quizText: quizToText(readQuiz(course.quiz)),
            passingScore: course.passingScore,
            audienceKind: course.audienceKind,
            roles: aud.success ? aud.data.roles : [],
            departmentIds: aud.success ? aud.data.departmentIds : [],
            recurrence: course.recurrence,
            recurrenceMonths: course.recurrenceMonths,
            dueWorkingDays: course.dueWorkingDays,
          }}
        />
      </Card>
    </>
  );
}
