import { Card, PageHeader } from "@/components/ui/card";
import { getI18n } from "@/lib/i18n/server";
import { requireActor } from "@/lib/server/actor";
import { homeAttention } from "@/lib/home/attention";
import type { Metadata } from "next";

export async function generateMetadata(): Promise<Metadata> {
  const { t } = await getI18n();
  return { title: t("nav.home") };
}

export default async function HomePage() {
  const actor = await requireActor();
  const { t } = await getI18n();
  // The attention items and the department's name in one round trip (lib/home/attention.ts).
  const { items, departmentName } = await homeAttention(actor);
  return (
    <>
      <PageHeader
        title={t("home.greeting", { name: actor.name })}
        description={`${t("common.labelled", { label: t("home.yourDepartment"), value: departmentName ?? "" })} · ${t("common.labelled", { label: t("home.yourRoles"), value: actor.roles.map((r) => t(`roles.${r}`)).join(t("common.listSeparator")) })}`}
      />
      <Card title={t("home.attentionTitle")}>
        {items.length === 0 ? (
          <p className="text-sm text-slate-600">{t("home.attentionEmpty")}</p>
        ) : (
          <ul className="divide-y divide-slate-100">
            {items.map((item) => (
              <li key={item.key} className="py-2 text-sm">
                <a href={item.href} className="text-blue-800 hover:underline">{t(item.labelKey, item.params)}</a>
              </li>
            ))}
          </ul>
        )}
      </Card>
    </>
  );
}
