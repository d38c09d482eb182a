"use client";
import { startTransition, useActionState } from "react";
import { Alert } from "@/components/ui/alert";
import { Button } from "@/components/ui/button";
import { useI18n } from "@/lib/i18n/client";
import { loginAction } from "@/lib/auth/login-action";

export function LoginForm({ returnTo, notice }: { returnTo: string; notice?: string }) {
  const { t } = useI18n();
  const [state, action, pending] = useActionState(loginAction, null);
  const error = state && !state.ok ? state.formError : undefined;
  return (
    <form
      className="space-y-4"
      aria-label={t("auth.signInTitle")}
      onSubmit={(event) => {
        // A transition, not the action prop, so a failed attempt keeps the e-mail typed in.
        event.preventDefault();
        const formData = new FormData(event.currentTarget);
        startTransition(() => action(formData));
      }}
    >
      {error ? <Alert tone="error">{error}</Alert> : notice ? <Alert tone="info">{notice}</Alert> : null}
      <input type="hidden" name="returnTo" value={returnTo} />
      <div className="space-y-1">
        <label htmlFor="email" className="block text-sm font-medium">{t("auth.email")}</label>
        <input id="email" name="email" type="email" autoComplete="username" required maxLength={320}
          className="block w-full rounded-md border border-slate-300 px-3 py-2 text-sm focus:outline-2 focus:outline-blue-600" />
      </div>
      <div className="space-y-1">
        <label htmlFor="password" className="block text-sm font-medium">{t("auth.password")}</label>
        <input id="password" name="password" type="password" autoComplete="current-password" required maxLength={1024}
          className="block w-full rounded-md border border-slate-300 px-3 py-2 text-sm focus:outline-2 focus:outline-blue-600" />
      </div>
      <Button type="submit" className="w-full" disabled={pending} aria-busy={pending}>
        {pending ? t("auth.submitting") : t("auth.submit")}
      </Button>
    </form>
  );
}
