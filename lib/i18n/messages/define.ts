// Each domain keeps its Chinese and English texts side by side; the type makes a missing or
// extra English key a compile error.
export type MessageTree = { readonly [key: string]: string | MessageTree };
type Widen<T> = { -readonly [K in keyof T]: T[K] extends string ? string : Widen<T[K]> };

export function defineMessages<const Zh extends MessageTree>(zh: Zh, en: Widen<Zh>): { zh: Widen<Zh>; en: Widen<Zh> } {
  return { zh: zh as Widen<Zh>, en };
}
