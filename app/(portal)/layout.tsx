import { AppShell } from "@/components/shell/app-shell";
import { Toaster } from "@/components/ui/toast";
import { getI18n } from "@/lib/i18n/server";
import { requireActor } from "@/lib/server/actor";

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
