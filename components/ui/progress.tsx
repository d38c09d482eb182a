import { cn } from "./cn";

/** A labelled progress bar; `value` null shows an indeterminate (striped, full) bar. */
export function ProgressBar({ value, label, className }: { value: number | null; label: string; className?: string }) {
  const v = value === null ? null : Math.max(0, Math.min(100, Math.round(value)));
  return (
    <div
      role="progressbar"
      aria-label={label}
      aria-valuemin={0}
      aria-valuemax={100}
      aria-valuenow={v ?? undefined}
      className={cn("h-2 w-full overflow-hidden rounded bg-slate-100", className)}
    >
      <div className={cn("h-full rounded bg-blue-600 transition-[width]", v === null && "w-full animate-pulse bg-blue-300")} style={v === null ? undefined : { width: `${v}%` }} />
    </div>
  );
}
