import type { ReactNode } from "react";
import { parseMarkup, type Inline } from "@/lib/training/markup";

// Renders the restricted course/policy markup (lib/training/markup.ts) as React elements: text is
// always text (React escapes it); only http(s) links, opened in a new tab without referrer.

function inline(parts: Inline[]): ReactNode[] {
  return parts.map((p, i) =>
    p.kind === "bold" ? (
      <strong key={i}>{p.text}</strong>
    ) : p.kind === "link" ? (
      <a key={i} href={p.href} target="_blank" rel="noopener noreferrer nofollow" className="text-blue-800 underline break-all">
        {p.text}
      </a>
    ) : (
      <span key={i}>{p.text}</span>
    ),
  );
}

export function Markup({ source }: { source: string }) {
  return (
    <div className="space-y-3 text-sm leading-relaxed text-slate-800 break-words" data-testid="markup">
      {parseMarkup(source).map((b, i) => {
        switch (b.kind) {
          case "h2":
            return <h2 key={i} className="pt-2 text-base font-semibold text-slate-900">{inline(b.inline)}</h2>;
          case "h3":
            return <h3 key={i} className="pt-1 font-semibold text-slate-900">{inline(b.inline)}</h3>;
          case "ul":
            return <ul key={i} className="list-disc space-y-1 pl-5">{b.items.map((it, j) => <li key={j}>{inline(it)}</li>)}</ul>;
          case "ol":
            return <ol key={i} className="list-decimal space-y-1 pl-5">{b.items.map((it, j) => <li key={j}>{inline(it)}</li>)}</ol>;
          default:
            return <p key={i}>{inline(b.inline)}</p>;
        }
      })}
    </div>
  );
}
