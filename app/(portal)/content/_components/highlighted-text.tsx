import { segments } from "@/lib/content/matcher";

// The body as text with its findings highlighted. React escapes every piece: markup in the body
// is shown as typed, never interpreted. Paragraphs keep their line breaks (pre-wrap).

export function HighlightedText({ text, hits, testId }: { text: string; hits: ReadonlyArray<{ start: number; end: number; id?: string; label?: string }>; testId?: string }) {
  const labels = new Map(hits.flatMap((h) => (h.id && h.label ? [[h.id, h.label] as const] : [])));
  return (
    <div className="whitespace-pre-wrap break-words rounded-md border border-slate-200 bg-slate-50 p-3 text-sm leading-7 text-slate-900" data-testid={testId}>
      {segments(text, hits).map((s, i) =>
        s.hit ? (
          <mark key={i} className="rounded bg-amber-200 px-0.5 text-slate-900 underline decoration-red-600 decoration-wavy" title={s.ids.map((id) => labels.get(id)).filter(Boolean).join("；") || undefined} data-testid="finding-mark">
            {s.text}
          </mark>
        ) : (
          <span key={i}>{s.text}</span>
        ),
      )}
    </div>
  );
}
