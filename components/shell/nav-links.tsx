"use client";
import Link from "next/link";
import { usePathname } from "next/navigation";
import { cn } from "@/components/ui/cn";

export function NavLinks({ items }: { items: { href: string; label: string }[] }) {
  const pathname = usePathname();
  return (
    <ul className="flex flex-col gap-1 md:flex-row md:flex-wrap md:items-center">
      {items.map((item) => {
        const active = item.href === "/" ? pathname === "/" : pathname.startsWith(item.href);
        return (
          <li key={item.href}>
            <Link
              href={item.href}
              // Not prefetched: every page view would otherwise ask the server for each of the 8–14
              // sections at once (each a signed-in request), which costs more than the click it saves.
              prefetch={false}
              aria-current={active ? "page" : undefined}
              className={cn(
                "block rounded-md px-3 py-2 text-sm focus-visible:outline-2 focus-visible:outline-blue-600",
                active ? "bg-blue-50 font-medium text-blue-800" : "text-slate-700 hover:bg-slate-100",
              )}
            >
              {item.label}
            </Link>
          </li>
        );
      })}
    </ul>
  );
}
