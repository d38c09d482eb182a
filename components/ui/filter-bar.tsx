import Form from "next/form";
import { headers } from "next/headers";
import { Link } from "./link";
import { isValidElement, type ReactNode } from "react";
import { getI18n } from "@/lib/i18n/server";
import { buttonClass } from "./button";
import { FilterDisclosure } from "./filter-disclosure";

/** How many of a list's filters are set (empty strings, false and undefined are not). */
export function countActive(values: ReadonlyArray<string | number | boolean | null | undefined>): number {
  return values.filter((v) => v !== undefined && v !== null && v !== "" && v !== false).length;
}

/**
 * How many named fields in these children show a value: a `defaultValue` that is not empty, or a
 * `defaultChecked`/`checked` box. The fields render what the URL says, so this counts the filters
 * set without each page listing its parameters again.
 */
export function countSetFields(node: ReactNode): number {
  if (Array.isArray(node)) return node.reduce((n: number, child: ReactNode) => n + countSetFields(child), 0);
  if (!isValidElement(node)) return 0;
  const props = node.props as { name?: unknown; defaultValue?: unknown; defaultChecked?: unknown; checked?: unknown; children?: ReactNode };
  if (typeof props.name === "string") {
    const value = props.defaultValue;
    const set = props.defaultChecked === true || props.checked === true || (value !== undefined && value !== null && value !== "" && !(Array.isArray(value) && value.length === 0));
    return set ? 1 : 0;
  }
  return countSetFields(props.children);
}

/**
 * A filter form of its own (the audit trail's) behind the same "筛选（n）" button below `sm`; open
 * from the start when it has something to say (`defaultOpen`: an invalid filter).
 */
export async function FilterCollapse({ active, defaultOpen, children }: { active: number; defaultOpen?: boolean; children: ReactNode }) {
  const { t } = await getI18n();
  return (
    <FilterDisclosure
      label={active > 0 ? t("lists.filtersActive", { count: active }) : t("lists.filters")}
      ariaLabel={active > 0 ? t("lists.filtersActiveLabel", { count: active }) : t("lists.filters")}
      defaultOpen={defaultOpen}
      nonce={(await headers()).get("x-nonce") ?? undefined}
    >
      {children}
    </FilterDisclosure>
  );
}

/**
 * The filters of a list page: a GET form (next/form, so submitting is a client-side navigation and
 * works without JavaScript too) whose values land in the URL with the rest of the list's state.
 * Give it a `key` that changes with the URL so its fields show what the URL says after "reset"
 * or the browser's back button.
 *
 * Below `sm` the form sits behind one "筛选（n）" button (n = `active`, the filters set); from `sm` up
 * the first fields (`children`, the three most used) are shown and the rest (`more`) wait behind a
 * native <details> "展开更多条件", open when one of them is set (`moreActive`).
 */
export async function FilterBar({
  action,
  label,
  submitLabel,
  resetHref,
  resetLabel,
  hidden = {},
  children,
  more,
  active,
  moreActive,
  testId,
}: {
  action: string;
  label: string;
  submitLabel: string;
  resetHref: string;
  resetLabel: string;
  /** Parameters kept across a new search (sort order, page size); the page starts at 1 again. */
  hidden?: Record<string, string | undefined>;
  children: ReactNode;
  /** The less used fields, behind "展开更多条件". */
  more?: ReactNode;
  /** How many filters are set, shown on the phone's button; counted from the fields' values unless given. */
  active?: number;
  /** How many of the `more` fields are set (the <details> starts open when any is); counted unless given. */
  moreActive?: number;
  testId?: string;
}) {
  const { t } = await getI18n();
  const nonce = (await headers()).get("x-nonce") ?? undefined;
  const inMore = moreActive ?? countSetFields(more);
  const set = active ?? countSetFields(children) + inMore;
  return (
    <FilterDisclosure
      label={set > 0 ? t("lists.filtersActive", { count: set }) : t("lists.filters")}
      ariaLabel={set > 0 ? t("lists.filtersActiveLabel", { count: set }) : t("lists.filters")}
      nonce={nonce}
    >
      <Form
        action={action}
        role="search"
        aria-label={label}
        data-testid={testId}
        className="grid items-end gap-3 rounded-lg border border-slate-200 bg-white p-4 sm:grid-cols-2 lg:grid-cols-4"
      >
        {Object.entries(hidden).map(([name, value]) => (value ? <input key={name} type="hidden" name={name} value={value} /> : null))}
        {children}
        {more ? (
          <details open={inMore > 0} className="group sm:col-span-2 lg:col-span-4" data-testid="filter-more">
            <summary className="inline-flex min-h-11 cursor-pointer items-center gap-1 rounded-md text-sm font-medium text-blue-800 hover:underline focus-visible:outline-2 focus-visible:outline-offset-2 focus-visible:outline-blue-600">
              {inMore > 0 ? t("lists.moreActive", { count: inMore }) : t("lists.more")}
            </summary>
            <div className="mt-3 grid items-end gap-3 sm:grid-cols-2 lg:grid-cols-4">{more}</div>
          </details>
        ) : null}
        <div className="flex flex-wrap gap-2 sm:col-span-2 lg:col-span-4">
          <button type="submit" className={buttonClass("primary", "max-sm:min-h-11")}>
            {submitLabel}
          </button>
          <Link href={resetHref} className={buttonClass("ghost", "max-sm:min-h-11")}>
            {resetLabel}
          </Link>
        </div>
      </Form>
    </FilterDisclosure>
  );
}
