import { AppShell } from "@/components/shell/app-shell";
import { requireActor } from "@/lib/server/actor";

export default async function PortalLayout({ children }: { children: React.ReactNode }) {
  const actor = await requireActor();
  return <AppShell actor={actor}>{children}</AppShell>;
}
