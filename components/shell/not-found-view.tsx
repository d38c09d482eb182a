import { headers } from "next/headers";
import { LinkButton } from "@/components/ui/button";
import { getI18n } from "@/lib/i18n/server";
import { parentOf, sectionOf } from "@/lib/shell/navigation";
import { PATH_HEADER } from "@/lib/url-header";
import { StatusPage } from "./status-page";

/** A missing record, or one the person may not see (the same answer for both: whether it exists is
 * not told), with a way back to its list and home. */
export async function NotFoundView() {
  const { t } = await getI18n();
  const path = ((await headers()).get(PATH_HEADER) ?? "/").split("?")[0] || "/";
  const parent = parentOf(path);
  return (
    <StatusPage
      title={t("common.notFoundTitle")}
      testId="not-found"
      actions={
        <>
          {parent && parent !== "/" ? (
            <LinkButton href={parent} variant="primary">
              {t("nav.backTo", { section: t(sectionOf(parent).labelKey) })}
            </LinkButton>
          ) : null}
          <LinkButton href="/">{t("common.backToHome")}</LinkButton>
        </>
      }
    >
      <p>{parent ? t("nav.notFoundHere") : t("common.notFoundBody")}</p>
    </StatusPage>
  );
}
