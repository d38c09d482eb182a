import { AppShell } from "@/components/shell/app-shell";
import { notFoundMetadata, PlainNotFoundFrame } from "@/components/shell/not-found-view";
import { getActor } from "@/lib/server/actor";

// The title from here: a not-found file's own metadata is not used below the root.
export const generateMetadata = notFoundMetadata;

// Every address no other route answers (a catch-all matches last): a signed-in person gets the 404
// inside the portal's shell (navigation at hand), anyone else a plain page. The shell is rendered
// here, for these addresses only, not in app/not-found.tsx, which Next.js renders on every request.
export default async function MissingLayout({ children }: { children: React.ReactNode }) {
  const actor = await getActor();
  if (actor) return <AppShell actor={actor}>{children}</AppShell>;
  return <PlainNotFoundFrame>{children}</PlainNotFoundFrame>;
}
