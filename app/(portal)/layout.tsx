import type { Metadata } from "next";
import { headers } from "next/headers";
import { AppShell } from "@/components/shell/app-shell";
import { Toaster } from "@/components/ui/toast";
import { getI18n } from "@/lib/i18n/server";
import { requireActor } from "@/lib/server/actor";
import { sectionOf } from "@/lib/shell/navigation";
import { PATH_HEADER } from "@/lib/url-header";

// Every page has a <title> (WeCom's web view shows it in its top bar): a page's own title when it
// sets one (generateMetadata), otherwise its section's name, both through the root layout's
// template "<title> · WeGovern".
export async function generateMetadata(): Promise<Metadata> {
  const { t } = await getI18n();
  const path = ((await headers()).get(PATH_HEADER) ?? "/").split("?")[0] || "/";
  // A template again (a plain title here would drop the root layout's for every page below), and
  // the section's name as the default of a page that sets none.
  return { title: { template: `%s · ${t("common.appShort")}`, default: `${t(sectionOf(path).labelKey)} · ${t("common.appShort")}` } };
}

export default async function PortalLayout({ children }: { children: React.ReactNode }) {
  const actor = await requireActor();
  const { t } = await getI18n();
  return (
    <>
      <AppShell actor={actor}>{children}</AppShell>
      <Toaster closeLabel={t("confirm.closeToast")} />
    </>
  );
}
