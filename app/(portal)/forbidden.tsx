import type { Metadata } from "next";
import { ForbiddenView } from "@/components/shell/forbidden-view";
import { getI18n } from "@/lib/i18n/server";

export async function generateMetadata(): Promise<Metadata> {
  const { t } = await getI18n();
  return { title: t("common.forbiddenTitle") };
}

// forbidden() from a portal page (requirePagePermission) renders here, inside the shell.
export default function PortalForbidden() {
  return <ForbiddenView />;
}
