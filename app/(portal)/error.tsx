"use client";
import { ErrorView } from "@/components/shell/error-view";

// A page that fails keeps the shell around it (navigation stays usable).
export default function PortalError({ error, reset }: { error: Error & { digest?: string }; reset: () => void }) {
  return <ErrorView digest={error.digest} reset={reset} />;
}
