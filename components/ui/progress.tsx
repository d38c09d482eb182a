import { cn } from "./cn";

/**
 * A labelled progress bar; `value` null shows an indeterminate (pulsing, full) bar.
 *
 * A native `<progress>` styled through its pseudo-elements: the portal's Content-Security-Policy
 * refuses style attributes, so a bar whose width was set by `style` never showed its width (the
 * browser blocked it and logged an error on every page with a running WeCom sync).
 */
export function ProgressBar({ value, label, className }: { value: number | null; label: string; className?: string }) {
  if (value === null) {
    return (
      <div role="progressbar" aria-label={label} className={cn("h-2 w-full overflow-hidden rounded bg-slate-100", className)}>
        <div className="h-full w-full animate-pulse rounded bg-blue-300" />
      </div>
    );
  }
  const v = Math.max(0, Math.min(100, Math.round(value)));
  return (
    <progress
      aria-label={label}
      max={100}
      value={v}
      className={cn(
        "block h-2 w-full appearance-none overflow-hidden rounded bg-slate-100",
        "[&::-webkit-progress-bar]:rounded [&::-webkit-progress-bar]:bg-slate-100 [&::-webkit-progress-value]:rounded [&::-webkit-progress-value]:bg-blue-600 [&::-moz-progress-bar]:rounded [&::-moz-progress-bar]:bg-blue-600",
        className,
      )}
    >
      {v}%
    </progress>
  );
}
