// Small display helpers shared by the directory's pages and components (no server imports).

/** A DATE column (UTC midnight) as YYYY-MM-DD, the form the date inputs and the CSV use. */
export function isoDay(date: Date | null | undefined): string {
  return date ? date.toISOString().slice(0, 10) : "";
}

/** Departments in tree order as select options, indented by depth (relative to the shallowest
 * shown, so a manager's subtree starts at the left edge). */
export function departmentSelectOptions(departments: readonly { id: string; name: string; code: string; depth: number }[]) {
  const top = Math.min(...departments.map((d) => d.depth));
  return departments.map((d) => ({ value: d.id, label: `${"\u3000".repeat(d.depth - top)}${d.name} (${d.code})` }));
}

/** An instant as its date in China (YYYY-MM-DD): the day WeCom's sync last saw someone. */
export function chinaDay(date: Date | null | undefined): string {
  return date ? new Date(date.getTime() + 8 * 3600_000).toISOString().slice(0, 10) : "";
}

/** The flag WeCom's sync puts on an employee (lib/wecom/sync/directory.ts), as an i18n key and its
 * parameters: gone from WeCom (with the day last seen), left, disabled, not activated; null when
 * WeCom has nothing to say (active, or not linked). */
export function wecomFlag(e: { wecomUserid: string | null; wecomStatus: number | null; wecomRemovedAt: Date | null; wecomLastSeenAt: Date | null }): { key: string; params?: Record<string, string> } | null {
  if (!e.wecomUserid) return null;
  if (e.wecomRemovedAt) return e.wecomLastSeenAt ? { key: "directory.wecom.flag.removed", params: { date: chinaDay(e.wecomLastSeenAt) } } : { key: "directory.wecom.flag.removedNever" };
  if (e.wecomStatus === 2 || e.wecomStatus === 4 || e.wecomStatus === 5) return { key: `directory.wecom.flag.${e.wecomStatus}` };
  return null;
}
