"use client";
import { EmployeeSessionsForm } from "@/components/directory/employee-sessions-form";
import { TextField } from "@/components/ui/field";
import { ActionForm, SubmitButton } from "@/components/ui/form";
import { endSessionAction, linkWeComUseridAction } from "@/lib/auth/sign-in-actions";
import { endSessionSchema, weComLinkSchema } from "@/lib/auth/sign-in-schemas";
import { useI18n } from "@/lib/i18n/client";

export type SessionRow = { id: string; method: string; ip: string | null; device: string; since: string; lastSeen: string };

/** ADMIN, on an employee's page: the WeCom member they sign in as, their active sessions (method,
 * time, address) each with "end", and "end all". The server refuses anyone else. */
export function EmployeeSignIn({ employeeId, wecomUserid, sessions, canLink, canEnd }: { employeeId: string; wecomUserid: string | null; sessions: SessionRow[]; canLink: boolean; canEnd: boolean }) {
  const { t } = useI18n();
  return (
    <div className="space-y-4">
      {canLink ? (
        <ActionForm action={linkWeComUseridAction} schema={weComLinkSchema} successMessage={t("signIn.sessions.wecomSaved")} ariaLabel={t("signIn.sessions.wecomUserid")}>
          <input type="hidden" name="employeeId" value={employeeId} />
          <TextField name="wecomUserid" label={t("signIn.sessions.wecomUserid")} hint={t("signIn.sessions.wecomUseridHint")} defaultValue={wecomUserid ?? ""} maxLength={64} autoComplete="off" />
          <SubmitButton variant="secondary">{t("signIn.sessions.wecomSave")}</SubmitButton>
        </ActionForm>
      ) : (
        <p className="text-sm text-slate-700">
          {t("signIn.sessions.wecomUserid")}：{wecomUserid ?? t("signIn.sessions.wecomNone")}
        </p>
      )}
      {canEnd ? (
        <>
          <h3 className="text-sm font-semibold text-slate-800">{t("signIn.sessions.active")}</h3>
          {sessions.length === 0 ? <p className="text-sm text-slate-600">{t("signIn.sessions.none")}</p> : null}
          <ul className="divide-y divide-slate-100" data-testid="active-sessions">
            {sessions.map((s) => (
              <li key={s.id} className="flex flex-wrap items-center justify-between gap-2 py-2 text-sm" data-testid="active-session">
                <div className="min-w-0">
                  <p className="font-medium">{t(`signIn.methodNames.${s.method}`)}</p>
                  <p className="text-xs text-slate-600">
                    {t("signIn.sessions.since")} {s.since} · {t("signIn.sessions.lastSeen")} {s.lastSeen} · {t("signIn.sessions.address")} {s.ip ?? "—"}
                  </p>
                  {s.device ? <p className="truncate text-xs text-slate-500" title={s.device}>{s.device}</p> : null}
                </div>
                <ActionForm action={endSessionAction} schema={endSessionSchema} successMessage={t("signIn.sessions.ended")} ariaLabel={`${t("signIn.sessions.end")} ${s.since}`} className="shrink-0">
                  <input type="hidden" name="employeeId" value={employeeId} />
                  <input type="hidden" name="sessionId" value={s.id} />
                  <SubmitButton variant="secondary">{t("signIn.sessions.end")}</SubmitButton>
                </ActionForm>
              </li>
            ))}
          </ul>
          <EmployeeSessionsForm employeeId={employeeId} />
        </>
      ) : null}
    </div>
  );
}
