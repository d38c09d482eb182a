import { Link } from "@/components/ui/link";
import { cn } from "@/components/ui/cn";
import type { InboxTab } from "@/lib/approvals/schemas";

/** The inbox's three lists as links (each list has its own URL, so it can be bookmarked). */
export function InboxTabs({ current, tabs, label }: { current: InboxTab; tabs: { tab: InboxTab; label: string; href: string; count?: number }[]; label: string }) {
  return (
    <nav aria-label={label} className="mb-4">
      <ul className="flex flex-wrap gap-2">
        {tabs.map((tab) => {
          const active = tab.tab === current;
          return (
            <li key={tab.tab}>
              <Link
                href={tab.href}
                aria-current={active ? "page" : undefined}
                className={cn(
                  "inline-flex min-h-10 items-center gap-2 rounded-full border px-4 py-2 text-sm focus-visible:outline-2 focus-visible:outline-offset-2 focus-visible:outline-blue-600",
                  active ? "border-blue-700 bg-blue-700 font-medium text-white" : "border-slate-300 bg-white text-slate-800 hover:bg-slate-50",
                )}
              >
                {tab.label}
                {tab.count !== undefined && tab.count > 0 ? (
                  <span className={cn("rounded-full px-2 text-xs", active ? "bg-white/20" : "bg-slate-100 text-slate-700")}>{tab.count}</span>
                ) : null}
              </Link>
            </li>
          );
        })}
      </ul>
    </nav>
  );
}
