/** Search params of a list page as the page receives them from Next.js. */
export type SearchParams = Record<string, string | string[] | undefined>;

/** The first value of each parameter; list pages read single values. */
export function firstValues(params: SearchParams): Record<string, string> {
  const out: Record<string, string> = {};
  for (const [k, v] of Object.entries(params)) {
    const value = Array.isArray(v) ? v[0] : v;
    if (value !== undefined) out[k] = value;
  }
  return out;
}

/**
 * A link to the same list with some parameters changed (empty or undefined removes one), so
 * sorting, paging and filters stay in the URL together and a page can be bookmarked.
 */
export function hrefWith(pathname: string, current: Record<string, string>, changes: Record<string, string | number | undefined>): string {
  const params = new URLSearchParams(current);
  for (const [k, v] of Object.entries(changes)) {
    if (v === undefined || v === "") params.delete(k);
    else params.set(k, String(v));
  }
  const query = params.toString();
  return query ? `${pathname}?${query}` : pathname;
}
