"use client";
import { useRouter } from "next/navigation";
import { useCallback, useState, type ReactNode } from "react";
import { Alert } from "@/components/ui/alert";
import { SelectField, TextField } from "@/components/ui/field";
import { ActionForm, SubmitButton } from "@/components/ui/form";
import { useI18n } from "@/lib/i18n/client";
import {
  assignItemAction,
  bulkAssignAction,
  closeCaseAction,
  departNowAction,
  openCaseAction,
  reassignAccountAction,
  recordFailureAction,
  recordRefusalAction,
  refreshResultsAction,
  requestAccountDissolutionAction,
  signWaiverAction,
  startItemAction,
  startTransfersAction,
} from "@/lib/offboarding/actions";
import {
  accountDissolveSchema,
  assignItemSchema,
  bulkAssignSchema,
  caseRefSchema,
  departSchema,
  failureSchema,
  itemRefSchema,
  openCaseSchema,
  refreshResultsSchema,
  startTransfersSchema,
  waiverSchema,
} from "@/lib/offboarding/schemas";


// The offboarding forms, each bound to its Server Action (the server decides again whatever the
// page offered). After a success the page is read again (router.refresh) so counts and statuses
// show the new state.

export type Person = { id: string; label: string };

function useRefresh() {
  const router = useRouter();
  return useCallback(() => router.refresh(), [router]);
}

function Hidden({ values }: { values: Record<string, string | number | undefined> }) {
  return (
    <>
      {Object.entries(values).map(([k, v]) => (v === undefined || v === "" ? null : <input key={k} type="hidden" name={k} value={String(v)} />))}
    </>
  );
}

export function OpenCaseForm({ employees, today, defaultEmployeeId }: { employees: Person[]; today: string; defaultEmployeeId?: string }) {
  const { t } = useI18n();
  const router = useRouter();
  const onSuccess = useCallback((data: { id: string }) => router.push(`/offboarding/${data.id}`), [router]);
  return (
    <ActionForm action={openCaseAction} schema={openCaseSchema} onSuccess={onSuccess} ariaLabel={t("offboarding.newCase")}>
      <SelectField name="employeeId" label={t("offboarding.fields.employee")} required placeholder="—" options={employees.map((e) => ({ value: e.id, label: e.label }))} defaultValue={defaultEmployeeId ?? ""} />
      <TextField name="lastWorkingDay" type="date" label={t("offboarding.fields.lastWorkingDay")} hint={t("offboarding.departureNote")} required min={today} defaultValue={today} />
      <SubmitButton>{t("offboarding.actions.open")}</SubmitButton>
    </ActionForm>
  );
}

export function BulkForms({ caseId, filter, count, successors }: { caseId: string; filter: Record<string, string | undefined>; count: number; successors: Person[] }) {
  const { t } = useI18n();
  const refresh = useRefresh();
  const [message, setMessage] = useState<string | null>(null);
  const onAssigned = useCallback(
    (d: { assigned: number; matching: number }) => {
      setMessage(t("offboarding.bulk.assigned", d));
      refresh();
    },
    [t, refresh],
  );
  const onStarted = useCallback(
    ({ groupsLastDay, ...d }: { started: number; groupsDone: number; groupsWaiting: number; limited: number; noWecomUser: number; groupsViaWecom: number; groupsLastDay: string | null }) => {
      setMessage(
        t("offboarding.bulk.started", d) +
          (d.groupsWaiting > 0 ? t("offboarding.bulk.groupsWaiting", d) : "") +
          (d.noWecomUser > 0 ? t("offboarding.bulk.noWecomUser", d) : "") +
          (d.groupsViaWecom > 0 ? t("offboarding.bulk.groupsViaWecom", { count: d.groupsViaWecom, day: groupsLastDay ?? "" }) : ""),
      );
      refresh();
    },
    [t, refresh],
  );
  return (
    <div className="space-y-4" data-testid="offboarding-bulk">
      {message ? <Alert tone="success">{message}</Alert> : null}
      <p className="text-sm text-slate-600">{t("offboarding.bulk.hint", { count })}</p>
      <ActionForm action={bulkAssignAction} schema={bulkAssignSchema} onSuccess={onAssigned} ariaLabel={t("offboarding.bulk.title")} className="grid items-end gap-3 sm:grid-cols-3">
        <Hidden values={{ caseId, ...filter }} />
        <SelectField name="successorId" label={t("offboarding.fields.successor")} required placeholder="—" options={successors.map((p) => ({ value: p.id, label: p.label }))} />
        <SelectField
          name="mode"
          label={t("offboarding.fields.mode")}
          options={[
            { value: "unassigned", label: t("offboarding.bulk.modeUnassigned") },
            { value: "replace", label: t("offboarding.bulk.modeReplace") },
          ]}
        />
        <SubmitButton>{t("offboarding.bulk.assign", { count })}</SubmitButton>
      </ActionForm>
      <ActionForm action={startTransfersAction} schema={startTransfersSchema} onSuccess={onStarted} ariaLabel={t("offboarding.bulk.start")} confirm={{ title: t("confirm.offboarding.start.title", { count }), body: t("confirm.offboarding.start.body", { count }), confirmLabel: t("confirm.offboarding.start.action", { count }), tone: "primary" }}>
        <Hidden values={{ caseId, ...filter }} />
        <p className="text-sm text-slate-600">{t("offboarding.bulk.startHint")}</p>
        <SubmitButton variant="secondary">{t("offboarding.bulk.start")}</SubmitButton>
      </ActionForm>
    </div>
  );
}

/** "刷新结果": WeCom's transfer results for this case now (the schedule reads them every 10 minutes). */
export function RefreshResultsForm({ caseId }: { caseId: string }) {
  const { t } = useI18n();
  const refresh = useRefresh();
  const [message, setMessage] = useState<string | null>(null);
  const onDone = useCallback(
    (d: { changed: number; waiting: number }) => {
      setMessage(d.waiting === 0 ? t("offboarding.refresh.nothing") : t("offboarding.refresh.done", d));
      refresh();
    },
    [t, refresh],
  );
  return (
    <ActionForm action={refreshResultsAction} schema={refreshResultsSchema} onSuccess={onDone} ariaLabel={t("offboarding.actions.refreshResults")} className="space-y-2">
      <Hidden values={{ caseId }} />
      <p className="text-sm text-slate-600">{t("offboarding.refresh.hint")}</p>
      {message ? (
        <p role="status" className="text-sm text-green-800" data-testid="refresh-results-message">
          {message}
        </p>
      ) : null}
      <SubmitButton variant="secondary">{t("offboarding.actions.refreshResults")}</SubmitButton>
    </ActionForm>
  );
}

export type ItemForActions = { id: string; kind: "ACCOUNT" | "CONTACT" | "GROUP"; status: string; version: number; successorId: string | null; waivedByHrId: string | null; waivedByAdminId: string | null };

function Row({ children }: { children: ReactNode }) {
  return <div className="border-t border-slate-100 pt-3 first:border-t-0 first:pt-0">{children}</div>;
}

/** One item's actions, folded in a <details> so the table stays readable on a 375 px phone. */
export function ItemActions({ item, successors, signAs }: { item: ItemForActions; successors: Person[]; signAs: ("HR" | "ADMIN")[] }) {
  const { t } = useI18n();
  const refresh = useRefresh();
  const ref = { itemId: item.id, version: item.version };
  const assignable = ["PENDING", "REFUSED", "FAILED"].includes(item.status);
  const waivable = assignable;
  return (
    <details className="text-sm" data-testid="item-actions">
      <summary className="min-h-10 cursor-pointer py-2 text-blue-800">{t("offboarding.actions.details")}</summary>
      <div className="mt-1 w-full max-w-sm space-y-3 rounded-md border border-slate-200 bg-white p-3 shadow-sm">
        {assignable ? (
          <Row>
            <ActionForm action={assignItemAction} schema={assignItemSchema} onSuccess={refresh} ariaLabel={t("offboarding.actions.reassign")}>
              <Hidden values={ref} />
              <SelectField name="successorId" label={t("offboarding.fields.successor")} required placeholder="—" defaultValue={item.successorId ?? ""} options={successors.map((p) => ({ value: p.id, label: p.label }))} />
              <SubmitButton variant="secondary">{t("offboarding.actions.reassign")}</SubmitButton>
            </ActionForm>
          </Row>
        ) : null}
        {assignable && item.successorId && item.kind !== "ACCOUNT" ? (
          <Row>
            <ActionForm action={startItemAction} schema={itemRefSchema} onSuccess={refresh} ariaLabel={t("offboarding.actions.start")}>
              <Hidden values={ref} />
              <SubmitButton>{t("offboarding.actions.start")}</SubmitButton>
            </ActionForm>
          </Row>
        ) : null}
        {assignable && item.successorId && item.kind === "ACCOUNT" ? (
          <Row>
            <ActionForm action={reassignAccountAction} schema={itemRefSchema} onSuccess={refresh} ariaLabel={t("offboarding.actions.accountReassign")}>
              <Hidden values={ref} />
              <SubmitButton>{t("offboarding.actions.accountReassign")}</SubmitButton>
            </ActionForm>
          </Row>
        ) : null}
        {assignable && item.kind === "ACCOUNT" ? (
          <Row>
            <ActionForm action={requestAccountDissolutionAction} schema={accountDissolveSchema} onSuccess={refresh} ariaLabel={t("offboarding.actions.accountDissolve")}>
              <Hidden values={ref} />
              <TextField name="reason" label={t("offboarding.fields.reason")} required maxLength={500} />
              <SubmitButton variant="secondary">{t("offboarding.actions.accountDissolve")}</SubmitButton>
            </ActionForm>
          </Row>
        ) : null}
        {item.status === "TRANSFERRING" ? (
          <>
            <Row>
              <ActionForm action={recordRefusalAction} schema={itemRefSchema} onSuccess={refresh} ariaLabel={t("offboarding.actions.refused")}>
                <Hidden values={ref} />
                <SubmitButton variant="secondary">{t("offboarding.actions.refused")}</SubmitButton>
              </ActionForm>
            </Row>
            <Row>
              <ActionForm action={recordFailureAction} schema={failureSchema} onSuccess={refresh} ariaLabel={t("offboarding.actions.failed")}>
                <Hidden values={ref} />
                <TextField name="reason" label={t("offboarding.fields.reason")} required maxLength={500} />
                <SubmitButton variant="danger">{t("offboarding.actions.failed")}</SubmitButton>
              </ActionForm>
            </Row>
          </>
        ) : null}
        {waivable && signAs.length > 0 ? (
          <Row>
            <ActionForm action={signWaiverAction} schema={waiverSchema} onSuccess={refresh} ariaLabel={t("offboarding.actions.waive")}>
              <Hidden values={ref} />
              <SelectField
                name="as"
                label={t("offboarding.fields.signAs")}
                options={signAs.map((r) => ({ value: r, label: r === "HR" ? t("offboarding.waiverHr") : t("offboarding.waiverAdmin") }))}
              />
              <TextField name="reason" label={t("offboarding.fields.reason")} required maxLength={500} />
              <SubmitButton variant="secondary">{t("offboarding.actions.waive")}</SubmitButton>
            </ActionForm>
          </Row>
        ) : null}
      </div>
    </details>
  );
}

export function CaseForms({ caseId, version, canDepart }: { caseId: string; version: number; canDepart: boolean }) {
  const { t } = useI18n();
  const refresh = useRefresh();
  return (
    <div className="flex flex-wrap gap-3">
      <ActionForm action={closeCaseAction} schema={caseRefSchema} onSuccess={refresh} ariaLabel={t("offboarding.actions.close")} confirm={{ title: t("confirm.offboarding.close.title"), body: t("confirm.offboarding.close.body"), confirmLabel: t("confirm.offboarding.close.action"), done: t("confirm.offboarding.close.done"), tone: "primary" }}>
        <Hidden values={{ caseId, version }} />
        <SubmitButton>{t("offboarding.actions.close")}</SubmitButton>
      </ActionForm>
      {canDepart ? (
        <ActionForm action={departNowAction} schema={departSchema} onSuccess={refresh} ariaLabel={t("offboarding.actions.depart")} confirm={{ title: t("confirm.offboarding.depart.title"), body: t("confirm.offboarding.depart.body"), confirmLabel: t("confirm.offboarding.depart.action"), done: t("confirm.offboarding.depart.done") }}>
          <Hidden values={{ caseId }} />
          <SubmitButton variant="danger">{t("offboarding.actions.depart")}</SubmitButton>
        </ActionForm>
      ) : null}
    </div>
  );
}
