"use client";
import { createContext, startTransition, useActionState, useContext, useEffect, useState, type ReactNode } from "react";
import type { z } from "zod";
import { fieldErrorsFrom, type ActionResult, type FieldErrors } from "@/lib/forms";
import { useI18n } from "@/lib/i18n/client";
import { formDataToObject } from "@/lib/validation";
import { Alert } from "./alert";
import { Button } from "./button";

type Action<T> = (prev: ActionResult<T> | null, formData: FormData) => Promise<ActionResult<T>>;

const FormErrorsContext = createContext<FieldErrors>({});
const FormPendingContext = createContext(false);

/** The field errors of the enclosing <ActionForm>, from the browser's check or the server's. */
export function useFieldErrors(name: string): string[] | undefined {
  return useContext(FormErrorsContext)[name];
}

/**
 * A form bound to a Server Action. The same zod schema the server uses runs here first, so a
 * person sees what is wrong without a round trip; the server checks again whatever arrives.
 */
export function ActionForm<T>({
  action,
  schema,
  children,
  onSuccess,
  successMessage,
  className,
  ariaLabel,
}: {
  action: Action<T>;
  schema?: z.ZodType;
  children: ReactNode;
  onSuccess?: (data: T) => void;
  successMessage?: string;
  className?: string;
  ariaLabel?: string;
}) {
  const { t } = useI18n();
  const [state, formAction, pending] = useActionState(action, null);
  const [clientErrors, setClientErrors] = useState<FieldErrors | null>(null);

  useEffect(() => {
    if (state?.ok && onSuccess) onSuccess(state.data);
  }, [state, onSuccess]);

  const serverErrors = state && !state.ok ? (state.fieldErrors ?? {}) : {};
  const errors = clientErrors ?? serverErrors;
  const formError = clientErrors ? t("errors.formInvalid") : state && !state.ok ? state.formError : undefined;

  return (
    <form
      aria-label={ariaLabel}
      className={className ?? "space-y-4"}
      noValidate
      onSubmit={(event) => {
        // Submitted through a transition rather than the action prop: React resets a form after
        // its action runs, and a person correcting one field must not lose the others.
        event.preventDefault();
        const formData = new FormData(event.currentTarget);
        const result = schema?.safeParse(formDataToObject(formData));
        if (result && !result.success) return setClientErrors(fieldErrorsFrom(result.error, t));
        setClientErrors(null);
        startTransition(() => formAction(formData));
      }}
    >
      {formError ? <Alert tone="error">{formError}</Alert> : null}
      {state?.ok && successMessage ? <Alert tone="success">{successMessage}</Alert> : null}
      <FormPendingContext.Provider value={pending}>
        <FormErrorsContext.Provider value={errors}>{children}</FormErrorsContext.Provider>
      </FormPendingContext.Provider>
    </form>
  );
}

export function SubmitButton({ children, pendingText, variant }: { children: ReactNode; pendingText?: string; variant?: "primary" | "danger" | "secondary" }) {
  const pending = useContext(FormPendingContext);
  const { t } = useI18n();
  return (
    <Button type="submit" variant={variant} disabled={pending} aria-busy={pending}>
      {pending ? (pendingText ?? t("common.saving")) : children}
    </Button>
  );
}
