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

const BASE = "http://return-path.invalid";
// C0 controls, DEL and C1 controls: a browser drops tabs and line breaks from a URL ("/\t/x"
// becomes "//x"), so none may appear, raw or percent-encoded.
const CONTROL = /[\u0000-\u001F\u007F-\u009F]/;

/**
 * Where a redirect may send a person after a form (language switcher, sign-in): a path on this
 * site, or `fallback`. Refuses anything a browser could read as another host: "//host", "/\host"
 * (browsers treat "\" as "/"), their percent-encoded forms ("/%5Chost", "/%2F/host"), control
 * characters (raw or encoded), absolute URLs and schemes such as "javascript:". Every redirect
 * target that comes from a request goes through here.
 */
export function safeReturnPath(value: unknown, fallback = "/"): string {
  if (typeof value !== "string" || value.length === 0 || value.length > 2000) return fallback;
  if (value[0] !== "/" || value[1] === "/" || value.includes("\\") || CONTROL.test(value)) return fallback;
  let decoded: string;
  try {
    decoded = decodeURIComponent(value);
  } catch {
    return fallback;
  }
  if (decoded[1] === "/" || decoded.includes("\\") || CONTROL.test(decoded)) return fallback;
  try {
    const url = new URL(value, BASE);
    if (url.origin !== BASE) return fallback;
    return `${url.pathname}${url.search}${url.hash}`;
  } catch {
    return fallback;
  }
}
