"use client";
import { useSyncExternalStore } from "react";
import { cn } from "./cn";

// What just happened, said once after an action: "已驳回“…”", "已结束 3 个会话". A module-level
// store, so a toast raised just before a navigation (deciding, then opening the next request) is
// still shown on the page that follows; <Toaster /> sits once in the portal layout. The region is
// always in the page (role=status, polite), so a screen reader announces each new message.

export type ToastTone = "success" | "error" | "info";
type Toast = { id: number; message: string; tone: ToastTone };

const SHOWN_FOR_MS = 8000;
let toasts: Toast[] = [];
let nextId = 1;
const listeners = new Set<() => void>();
const emit = () => listeners.forEach((l) => l());

export function dismissToast(id: number) {
  toasts = toasts.filter((x) => x.id !== id);
  emit();
}

/** Shows a message for a few seconds (or until closed). Safe to call before router.push(). */
export function toast(message: string, tone: ToastTone = "success"): void {
  const id = nextId++;
  toasts = [...toasts.slice(-2), { id, message, tone }];
  emit();
  if (typeof window !== "undefined") window.setTimeout(() => dismissToast(id), SHOWN_FOR_MS);
}

const subscribe = (listener: () => void) => {
  listeners.add(listener);
  return () => listeners.delete(listener);
};
const EMPTY: Toast[] = [];

const tones: Record<ToastTone, string> = {
  success: "border-green-300 bg-green-50 text-green-900",
  error: "border-red-300 bg-red-50 text-red-900",
  info: "border-blue-300 bg-blue-50 text-blue-900",
};

export function Toaster({ closeLabel }: { closeLabel: string }) {
  const list = useSyncExternalStore(subscribe, () => toasts, () => EMPTY);
  return (
    <div
      role="status"
      aria-live="polite"
      data-testid="toaster"
      // Above a phone's bottom bars (the tab bar, and an approval's decision bar: --wg-bottom-bars),
      // bottom right on a desktop.
      className="pointer-events-none fixed inset-x-3 bottom-[calc(var(--wg-bottom-bars)+0.75rem)] z-50 flex flex-col items-center gap-2 sm:inset-x-auto sm:right-4 sm:items-end md:bottom-4"
    >
      {list.map((x) => (
        <div key={x.id} data-testid="toast" className={cn("pointer-events-auto flex w-full max-w-sm items-start gap-3 rounded-md border px-4 py-3 text-sm shadow-lg", tones[x.tone])}>
          <p className="min-w-0 flex-1 break-words">{x.message}</p>
          <button type="button" onClick={() => dismissToast(x.id)} className="-my-1 min-h-8 min-w-8 rounded text-lg leading-none focus-visible:outline-2 focus-visible:outline-blue-600" aria-label={closeLabel}>
            ×
          </button>
        </div>
      ))}
    </div>
  );
}
