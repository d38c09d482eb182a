import { NotFoundView, notFoundMetadata } from "@/components/shell/not-found-view";

export const generateMetadata = notFoundMetadata;

// notFound() from any portal page (a missing or invisible record) renders here, inside the shell.
export default function PortalNotFound() {
  return <NotFoundView />;
}
