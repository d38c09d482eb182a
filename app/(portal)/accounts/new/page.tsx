import type { Metadata } from "next";
import { forbidden } from "next/navigation";
import { AccountRequestForm } from "@/components/accounts/account-request-form";
import { PageHeader } from "@/components/ui/card";
import { departmentOptions, personOptions } from "@/lib/accounts/queries";
import { getI18n } from "@/lib/i18n/server";
import { requirePagePermission } from "@/lib/server/actor";
import { db } from "@/lib/server/db";
import { firstValues, type SearchParams } from "@/lib/url";

export async function generateMetadata(): Promise<Metadata> {
  const { t } = await getI18n();
  return { title: t("accounts.form.requestTitle") };
}

export default async function NewAccountPage({ searchParams }: { searchParams: Promise<SearchParams> }) {
  const actor = await requirePagePermission("accounts.request", "accounts.manage");
  const register = firstValues(await searchParams).mode === "register";
  if (register && !actor.permissions.has("accounts.manage")) forbidden();
  if (!register && !actor.permissions.has("accounts.request")) forbidden();
  const { t } = await getI18n();
  const client = db();
  const [departments, [me]] = await Promise.all([departmentOptions(client), personOptions(client, [actor.id])]);
  return (
    <div className="mx-auto max-w-2xl">
      <PageHeader
        title={t(register ? "accounts.form.registerTitle" : "accounts.form.requestTitle")}
        description={t(register ? "accounts.form.registerDescription" : "accounts.form.requestDescription")}
      />
      <AccountRequestForm
        mode={register ? "register" : "request"}
        departments={departments.map((d) => ({ id: d.id, name: d.name, depth: d.depth }))}
        defaultDepartmentId={actor.departmentId}
        me={me ?? { id: actor.id, label: actor.name }}
      />
    </div>
  );
}
