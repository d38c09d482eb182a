"use client";
import { ErrorView } from "@/components/shell/error-view";

// Outside the portal's shell (the sign-in pages, or the shell itself failing).
export default function ErrorPage({ error, reset }: { error: Error & { digest?: string }; reset: () => void }) {
  return (
    <main id="main" className="mx-auto max-w-lg px-4">
      <ErrorView digest={error.digest} reset={reset} />
    </main>
  );
}
