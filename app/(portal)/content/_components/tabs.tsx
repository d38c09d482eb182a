import { Link } from "@/components/ui/link";
import { cn } from "@/components/ui/cn";

// The content section's tabs (submissions, media library, publication record).
export function ContentTabs({ current, tabs }: { current: string; tabs: Array<{ href: string; label: string }> }) {
  return (
    <nav aria-label="content" className="mb-4 flex flex-wrap gap-2 border-b border-slate-200 pb-2">
      {tabs.map((tab) => (
        <Link
          key={tab.href}
          href={tab.href}
          aria-current={tab.href === current ? "page" : undefined}
          className={cn("rounded-md px-3 py-1.5 text-sm font-medium", tab.href === current ? "bg-blue-50 text-blue-800" : "text-slate-700 hover:bg-slate-100")}
        >
          {tab.label}
        </Link>
      ))}
    </nav>
  );
}

type Translate = (key: string, params?: Record<string, string | number>) => string;

export function contentTabList(t: Translate, permissions: ReadonlySet<string>) {
  return [
    { href: "/content", label: t("content.tabs.submissions") },
    { href: "/content/media", label: t("content.tabs.media") },
    ...(permissions.has("content.read:all") ? [{ href: "/content/publications", label: t("content.tabs.publications") }] : []),
    ...(permissions.has("content.configure") ? [{ href: "/settings/content-rules", label: t("content.tabs.rules") }] : []),
  ];
}
