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
