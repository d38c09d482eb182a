import type { Metadata } from "next";
import { NotFoundView } from "@/components/shell/not-found-view";
import { getI18n } from "@/lib/i18n/server";

export async function generateMetadata(): Promise<Metadata> {
  const { t } = await getI18n();
  return { title: t("common.notFoundTitle") };
}

// notFound() from any portal page (a missing or invisible record) renders here, inside the shell.
export default function PortalNotFound() {
  return <NotFoundView />;
}
