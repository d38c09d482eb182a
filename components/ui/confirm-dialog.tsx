"use client";
import { useEffect, useId, useRef, type ReactNode } from "react";
import { Button } from "./button";

/**
 * Asks before a destructive or irreversible action, naming what will happen. A native modal
 * <dialog>: the rest of the page is inert while it is open (focus stays inside), Esc cancels, and
 * focus returns to whatever opened it. The safe choice (cancel) has the focus first.
 */
export function ConfirmDialog({
  open,
  title,
  body,
  confirmLabel,
  cancelLabel,
  tone = "danger",
  onConfirm,
  onCancel,
  children,
}: {
  open: boolean;
  title: string;
  body: ReactNode;
  confirmLabel: string;
  cancelLabel: string;
  tone?: "danger" | "primary";
  onConfirm: () => void;
  onCancel: () => void;
  /** Extra content (a list of the items concerned). */
  children?: ReactNode;
}) {
  const ref = useRef<HTMLDialogElement>(null);
  const opener = useRef<HTMLElement | null>(null);
  const id = useId();

  useEffect(() => {
    const dialog = ref.current;
    if (!dialog) return;
    if (open && !dialog.open) {
      opener.current = document.activeElement instanceof HTMLElement ? document.activeElement : null;
      dialog.showModal();
    } else if (!open && dialog.open) {
      dialog.close();
    }
  }, [open]);

  useEffect(() => {
    if (open) return;
    // Back to the button that opened it (the browser does it too; not every web view does).
    const el = opener.current;
    opener.current = null;
    if (el && el.isConnected && document.activeElement !== el) el.focus();
  }, [open]);

  return (
    <dialog
      ref={ref}
      aria-labelledby={`${id}-title`}
      aria-describedby={`${id}-body`}
      data-testid="confirm-dialog"
      onCancel={(event) => {
        event.preventDefault();
        onCancel();
      }}
      className="m-auto w-[calc(100%-2rem)] max-w-md rounded-lg border border-slate-200 bg-white p-0 text-slate-900 shadow-xl backdrop:bg-slate-900/50"
    >
      {open ? (
        <div className="space-y-4 p-5">
          <h2 id={`${id}-title`} className="text-lg font-semibold break-words">
            {title}
          </h2>
          <div id={`${id}-body`} className="space-y-2 text-base break-words text-slate-700 sm:text-sm">
            {body}
          </div>
          {children}
          <div className="flex flex-col-reverse gap-2 sm:flex-row sm:justify-end">
            <Button variant="secondary" onClick={onCancel} autoFocus className="min-h-11">
              {cancelLabel}
            </Button>
            <Button variant={tone} onClick={onConfirm} className="min-h-11">
              {confirmLabel}
            </Button>
          </div>
        </div>
      ) : null}
    </dialog>
  );
}
