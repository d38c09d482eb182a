import type { Metadata } from "next";
import { headers } from "next/headers";
import type { ReactNode } from "react";
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

/** The not-found pages' title (a page's own metadata; the catch-all's layout sets it for its 404). */
export async function notFoundMetadata(): Promise<Metadata> {
  const { t } = await getI18n();
  return { title: t("common.notFoundTitle") };
}

/** The frame of a 404 outside the portal's shell: the root not-found, and the catch-all's for
 * someone not signed in. */
export function PlainNotFoundFrame({ children }: { children: ReactNode }) {
  return (
    <main id="main" className="mx-auto max-w-lg px-4">
      {children}
    </main>
  );
}
