import type { Metadata } from "next";
import { GroupRequestForm } from "@/components/groups/group-request-form";
import { PageHeader } from "@/components/ui/card";
import { loadPolicy } from "@/lib/groups/policy";
import { departmentOptions, personOptions } from "@/lib/groups/queries";
import { getI18n } from "@/lib/i18n/server";
import { requirePagePermission } from "@/lib/server/actor";
import { db } from "@/lib/server/db";

export async function generateMetadata(): Promise<Metadata> {
  const { t } = await getI18n();
  return { title: t("groups.request.title") };
}

export default async function NewGroupPage() {
  const actor = await requirePagePermission("groups.request");
  const { t } = await getI18n();
  const client = db();
  const [policy, departments, [me]] = await Promise.all([loadPolicy(client), departmentOptions(client), personOptions(client, [actor.id])]);
  return (
    <div className="mx-auto max-w-3xl">
      <PageHeader title={t("groups.request.title")} description={t("groups.request.description")} />
      <GroupRequestForm
        rule={{ template: policy.template, maxLength: policy.maxLength, blockedWords: policy.blockedWords, blockedWordExemptions: policy.blockedWordExemptions }}
        policyVersion={policy.version}
        departments={departments}
        defaultDepartmentId={actor.departmentId}
        me={me ?? { id: actor.id, label: actor.name }}
      />
    </div>
  );
}
