import type { Metadata } from "next";
import { AppShell } from "@/components/shell/app-shell";
import { NotFoundView } from "@/components/shell/not-found-view";
import { getI18n } from "@/lib/i18n/server";
import { getActor } from "@/lib/server/actor";

export async function generateMetadata(): Promise<Metadata> {
  const { t } = await getI18n();
  return { title: t("common.notFoundTitle") };
}

// An address the portal does not have. A signed-in person gets it inside the shell (navigation at
// hand); anyone else a plain page. Records that do not exist render app/(portal)/not-found.tsx.
export default async function NotFound() {
  const actor = await getActor();
  if (actor) return <AppShell actor={actor}><NotFoundView /></AppShell>;
  return (
    <main id="main" className="mx-auto max-w-lg px-4">
      <NotFoundView />
    </main>
  );
}
