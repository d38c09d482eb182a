import { attrs, escapeText } from "@/lib/charts/markup";

// A select's options as one string (ManySelectField, components/ui/field.tsx), for a list of
// hundreds: a company's departments. As an array of {value, label} objects the options were
// serialised into the page's RSC payload value by value, revived value by value for the HTML, and
// written as hundreds of React elements, on every view of every list with a department filter
// (about 4 ms of a page at 300 departments: docs/performance.md, tenth session). As a string they
// are one value in the payload, and their markup is written once per list and kept.

export type SelectOption = { value: string; label: string };

/** The options as the one string ManySelectField takes: JSON of [value, label] pairs, in order. */
export function optionList(options: readonly SelectOption[]): string {
  return JSON.stringify(options.map((o) => [o.value, o.label]));
}

/**
 * The options' markup, as SelectField's <option> elements: a first empty option with the
 * placeholder when there is one, then each option, every value and label escaped, none selected
 * (`selectOption` marks one). Attributes single-quoted (lib/charts/markup.ts).
 */
export function optionsMarkup(list: string, placeholder?: string): string {
  const pairs = JSON.parse(list) as [string, string][];
  let out = placeholder !== undefined ? `<option value=''>${escapeText(placeholder)}</option>` : "";
  for (const [value, label] of pairs) out += `<option${attrs({ value })}>${escapeText(label)}</option>`;
  return out;
}

/** The markup with the option of `value` selected as React marks it (`selected=""`); unchanged
 * when no option has that value. */
export function selectOption(markup: string, value: string): string {
  const open = `<option${attrs({ value })}>`;
  const at = markup.indexOf(open);
  return at < 0 ? markup : `${markup.slice(0, at)}<option${attrs({ value, selected: "" })}>${markup.slice(at + open.length)}`;
}
