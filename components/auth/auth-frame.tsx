import { Suspense, type ReactNode } from "react";
import { LanguageSwitch } from "@/components/shell/language-switch";

/** The signed-out pages' frame (sign-in, a refused sign-in): the product's short name and the
 * language switch above a card, centred, phone first; `footer` below the card. */
export function AuthFrame({ appShort, children, footer }: { appShort: string; children: ReactNode; footer?: ReactNode }) {
  return (
    <main className="flex min-h-screen items-center justify-center px-4 py-10">
      <div className="w-full max-w-sm space-y-6">
        <div className="flex items-center justify-between">
          <p className="text-lg font-semibold text-blue-800">{appShort}</p>
          <Suspense>
            <LanguageSwitch />
          </Suspense>
        </div>
        <div className="space-y-4 rounded-lg border border-slate-200 bg-white p-6 shadow-sm">{children}</div>
        {footer}
      </div>
    </main>
  );
}
