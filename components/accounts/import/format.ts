import { formatDateTime } from "@/lib/i18n/format";

// Times and status colours on the import screens (company time zone, reader's language).

export function formatImportTime(value: Date | null | undefined, locale: string): string {
  return formatDateTime(value, locale);
}

export function statusTone(status: string): "slate" | "green" | "amber" | "red" | "blue" {
  return ({ READY: "blue", CONFIRMED: "green", FAILED: "red", EXPIRED: "amber" } as Record<string, "green" | "blue" | "red" | "amber">)[status] ?? "slate";
}
