import { LinkButton } from "@/components/ui/button";
import { getI18n } from "@/lib/i18n/server";
import { StatusPage } from "./status-page";

export async function ForbiddenView() {
  const { t } = await getI18n();
  return (
    <StatusPage title={t("common.forbiddenTitle")} testId="forbidden" actions={<LinkButton href="/">{t("common.backToHome")}</LinkButton>}>
      <p>{t("common.forbiddenBody")}</p>
    </StatusPage>
  );
}
