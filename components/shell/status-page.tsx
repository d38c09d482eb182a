import type { ReactNode } from "react";

/** The body of the not-found, refused and error pages, inside the shell's <main>. */
export function StatusPage({ title, children, actions, testId }: { title: string; children: ReactNode; actions: ReactNode; testId: string }) {
  return (
    <div className="mx-auto max-w-lg py-8 text-center sm:py-12" data-testid={testId}>
      <h1 className="text-xl font-semibold text-slate-900 sm:text-2xl">{title}</h1>
      <div className="mt-2 text-slate-700">{children}</div>
      <div className="mt-6 flex flex-wrap justify-center gap-2">{actions}</div>
    </div>
  );
}
