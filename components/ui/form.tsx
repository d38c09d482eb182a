"use client";
import { createContext, startTransition, useActionState, useContext, useEffect, useRef, useState, type ReactNode } from "react";
import type { z } from "zod";
import { fieldErrorsFrom, type ActionResult, type FieldErrors } from "@/lib/forms";
import { useI18n } from "@/lib/i18n/client";
import { formDataToObject } from "@/lib/validation";
import { Alert } from "./alert";
import { Button } from "./button";
import { ConfirmDialog } from "./confirm-dialog";
import { toast } from "./toast";

type Action<T> = (prev: ActionResult<T> | null, formData: FormData) => Promise<ActionResult<T>>;

const FormErrorsContext = createContext<FieldErrors>({});
const FormPendingContext = createContext(false);

/** The field errors of the enclosing <ActionForm>, from the browser's check or the server's. */
export function useFieldErrors(name: string): string[] | undefined {
  return useContext(FormErrorsContext)[name];
}

/**
 * A destructive or irreversible action asks first (docs/ui-forms.md): the dialog names what will
 * happen; `done` is said afterwards (a toast that survives the page's refresh or navigation).
 */
export type ConfirmSpec<T = unknown> = {
  title: string;
  body: ReactNode;
  confirmLabel: string;
  tone?: "danger" | "primary";
  done?: string | ((data: T) => string);
};

/** Focus and scroll to what went wrong: the error summary, else the first invalid field. */
function revealErrors(form: HTMLFormElement | null, summary: HTMLElement | null) {
  const target = summary ?? form?.querySelector<HTMLElement>("[aria-invalid=true]") ?? null;
  if (!target) return;
  // A phone's sticky bar or the top bar must not cover it: centre it.
  target.scrollIntoView({ block: "center", behavior: "auto" });
  target.focus({ preventScroll: true });
}

/**
 * A form bound to a Server Action. The same zod schema the server uses runs here first, so a
 * person sees what is wrong without a round trip; the server checks again whatever arrives.
 * After a failed submit (either check) focus and scroll go to the error summary at the top of the
 * form, which is announced (role=alert); with `confirm` the action runs only once the person has
 * confirmed it in a dialog.
 */
export function ActionForm<T>({
  action,
  schema,
  children,
  onSuccess,
  successMessage,
  confirm,
  className,
  ariaLabel,
  id,
}: {
  action: Action<T>;
  schema?: z.ZodType;
  children: ReactNode;
  onSuccess?: (data: T) => void;
  successMessage?: string;
  /** Ask first; a function decides from what is being sent (only a rejection asks, say). */
  confirm?: ConfirmSpec<T> | ((formData: FormData) => ConfirmSpec<T> | null);
  className?: string;
  ariaLabel?: string;
  id?: string;
}) {
  const { t } = useI18n();
  // The confirmation behind the submit in flight: its `done` is said once it has succeeded — here,
  // as the action answers, not in an effect: an action that removes its own form (revoking a token
  // takes the row's revoke button away) unmounts it in the same commit, and the effect never runs.
  // The same for onSuccess (the latest one passed): a batch approval's refresh empties the inbox and
  // takes the form away in the commit that brings the result, and its results were never shown.
  const confirmed = useRef<ConfirmSpec<T> | null>(null);
  const succeeded = useRef(onSuccess);
  useEffect(() => {
    succeeded.current = onSuccess;
  }, [onSuccess]);
  const [state, formAction, pending] = useActionState(async (prev: ActionResult<T> | null, formData: FormData) => {
    const result = await action(prev, formData);
    const done = confirmed.current?.done;
    confirmed.current = null;
    if (result?.ok && done) toast(typeof done === "function" ? done(result.data) : done);
    if (result?.ok) succeeded.current?.(result.data);
    return result;
  }, null);
  const [clientErrors, setClientErrors] = useState<FieldErrors | null>(null);
  const [asking, setAsking] = useState<{ formData: FormData; spec: ConfirmSpec<T> } | null>(null);
  // Set on every failed attempt (the same errors twice still move focus to them), acted on once
  // the errors are on the page.
  const revealNext = useRef(false);
  const formRef = useRef<HTMLFormElement>(null);
  const summaryRef = useRef<HTMLDivElement>(null);
  const seen = useRef<ActionResult<T> | null>(null);

  useEffect(() => {
    if (!state || seen.current === state) return;
    seen.current = state;
    if (!state.ok) revealErrors(formRef.current, summaryRef.current);
  }, [state]);

  useEffect(() => {
    if (!revealNext.current) return;
    revealNext.current = false;
    revealErrors(formRef.current, summaryRef.current);
  });

  const serverErrors = state && !state.ok ? (state.fieldErrors ?? {}) : {};
  const errors = clientErrors ?? serverErrors;
  const formError = clientErrors ? t("errors.formInvalid") : state && !state.ok ? state.formError : undefined;

  const send = (formData: FormData) => startTransition(() => formAction(formData));

  return (
    <form
      ref={formRef}
      id={id}
      aria-label={ariaLabel}
      className={className ?? "space-y-4"}
      noValidate
      onSubmit={(event) => {
        // Submitted through a transition rather than the action prop: React resets a form after
        // its action runs, and a person correcting one field must not lose the others.
        event.preventDefault();
        const formData = new FormData(event.currentTarget);
        const submitter = (event.nativeEvent as SubmitEvent).submitter;
        if (submitter instanceof HTMLButtonElement && submitter.name) formData.set(submitter.name, submitter.value);
        const result = schema?.safeParse(formDataToObject(formData));
        if (result && !result.success) {
          revealNext.current = true;
          setClientErrors(fieldErrorsFrom(result.error, t));
          return;
        }
        setClientErrors(null);
        const spec = typeof confirm === "function" ? confirm(formData) : (confirm ?? null);
        if (spec) return setAsking({ formData, spec });
        confirmed.current = null;
        send(formData);
      }}
    >
      {formError ? (
        <div ref={summaryRef} tabIndex={-1} data-testid="form-error-summary" className="scroll-mt-24 scroll-mb-28 focus:outline-2 focus:outline-offset-2 focus:outline-red-600">
          <Alert tone="error">{formError}</Alert>
        </div>
      ) : null}
      {state?.ok && successMessage ? <Alert tone="success">{successMessage}</Alert> : null}
      <FormPendingContext.Provider value={pending}>
        <FormErrorsContext.Provider value={errors}>{children}</FormErrorsContext.Provider>
      </FormPendingContext.Provider>
      {confirm ? (
        <ConfirmDialog
          open={asking !== null}
          title={asking?.spec.title ?? ""}
          body={asking?.spec.body}
          confirmLabel={asking?.spec.confirmLabel ?? ""}
          cancelLabel={t("common.cancel")}
          tone={asking?.spec.tone}
          onCancel={() => setAsking(null)}
          onConfirm={() => {
            if (!asking) return;
            setAsking(null);
            confirmed.current = asking.spec;
            send(asking.formData);
          }}
        />
      ) : null}
    </form>
  );
}

export function SubmitButton({ children, pendingText, variant, className, name, value }: { children: ReactNode; pendingText?: string; variant?: "primary" | "danger" | "secondary"; className?: string; name?: string; value?: string }) {
  const pending = useContext(FormPendingContext);
  const { t } = useI18n();
  return (
    <Button type="submit" variant={variant} disabled={pending} aria-busy={pending} className={className} name={name} value={value}>
      {pending ? (pendingText ?? t("common.saving")) : children}
    </Button>
  );
}
