import { Link } from "@/components/ui/link";
import type { Actor } from "@/lib/server/actor";
import type { Translate } from "@/lib/i18n/translate";

/** The training section's own navigation: what the person may open. */
export function TrainingTabs({ actor, current, t }: { actor: Actor; current: "mine" | "overview" | "manage"; t: Translate }) {
  const tabs = [
    { key: "mine", href: "/training", show: actor.permissions.has("training.take") },
    { key: "overview", href: "/training/overview", show: actor.permissions.has("training.read:all") || actor.permissions.has("training.read:department") },
    { key: "manage", href: "/training/manage", show: actor.permissions.has("training.manage") || actor.permissions.has("training.assign") },
  ] as const;
  const visible = tabs.filter((x) => x.show);
  if (visible.length < 2) return null;
  return (
    <nav aria-label={t("training.title")} className="mb-4 flex flex-wrap gap-2 border-b border-slate-200 pb-2">
      {visible.map((x) => (
        <Link
          key={x.key}
          href={x.href}
          aria-current={x.key === current ? "page" : undefined}
          className={x.key === current ? "rounded bg-blue-50 px-3 py-1.5 text-sm font-medium text-blue-900" : "rounded px-3 py-1.5 text-sm text-slate-700 hover:bg-slate-100"}
        >
          {t(`training.tabs.${x.key}`)}
        </Link>
      ))}
    </nav>
  );
}
