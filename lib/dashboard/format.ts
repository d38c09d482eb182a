import type { State } from "./evaluate";
import type { FigureKind } from "./figures";

// How figures read on the page and in the CSV (kept free of server imports: the page and the
// export share it).

/** Message keys cannot hold dots: "groups.ownerless" → "groups_ownerless". */
export function figureMessageKey(figureKey: string): string {
  return figureKey.replace(/\./g, "_");
}

export function formatFigure(kind: FigureKind, value: number): string {
  if (kind === "count") return Math.round(value).toLocaleString("en-US");
  return (Math.round(value * 10) / 10).toFixed(1);
}

export function stateTone(state: State): "green" | "amber" | "red" | "slate" {
  return state === "none" ? "slate" : state;
}

/** The time of day in China with seconds: when the figures were counted. */
export function formatCountedAt(value: Date, locale: string): string {
  return new Intl.DateTimeFormat(locale, { dateStyle: "medium", timeStyle: "medium", timeZone: "Asia/Shanghai" }).format(value);
}
