import type { Translate } from "@/lib/i18n/translate";

/** A naming template's free part ({项目}) as a field label in the reader's language; a part the
 * administrator invented has no translation and is shown as written. */
export function partLabel(key: string, t: Translate): string {
  const label = t(`groups.partLabels.${key}`);
  return label.startsWith("groups.partLabels.") ? key : label;
}
