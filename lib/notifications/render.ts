import { formatDateTime } from "@/lib/i18n/format";
import { isLocale, type Locale } from "@/lib/i18n/config";
import { createTranslator, messagesFor } from "@/lib/i18n/translate";

// What a message says (docs/notifications.md "Messages"): short, in the person's language
// (Chinese by default), the deadline in China time, one link to the record.

export type Rendered = { title: string; description: string; url: string; text: string; footer: string; linkText: string };
export type Renderable = { messageKey: string; params: Record<string, string | number> | null; href: string | null; deadline: Date | null; locale: string };

/** Cuts `s` to at most `max` UTF-8 bytes on a character boundary, marking the cut with "…". */
export function truncateBytes(s: string, max: number): string {
  if (Buffer.byteLength(s, "utf8") <= max) return s;
  const chars = Array.from(s);
  while (chars.length > 0 && Buffer.byteLength(chars.join("") + "…", "utf8") > max) chars.pop();
  return chars.join("") + "…";
}

export function localeOf(value: string | null | undefined): Locale {
  return isLocale(value) ? value : "zh-CN";
}

/** A deadline in a message: the portal's one date-time format, China time (lib/i18n/format.ts). */
export function formatDeadline(at: Date, locale: Locale): string {
  return formatDateTime(at, locale);
}

export function linkFor(portalUrl: string, href: string | null): string {
  const base = portalUrl.replace(/\/+$/, "");
  return `${base}${href && href.startsWith("/") ? href : "/"}`;
}

export function render(item: Renderable, portalUrl: string): Rendered {
  const locale = localeOf(item.locale);
  const t = createTranslator(messagesFor(locale));
  const title = truncateBytes(t(item.messageKey, item.params ?? undefined), 128);
  const lines = [item.deadline ? t("notifications.message.deadline", { at: formatDeadline(item.deadline, locale) }) : null, t("notifications.message.open")].filter(Boolean) as string[];
  const description = truncateBytes(lines.join("\n"), 512);
  const url = linkFor(portalUrl, item.href);
  return { title, description, url, text: `${title}\n${description}\n${url}`, footer: t("notifications.message.emailFooter"), linkText: t("notifications.message.link") };
}

/** One message for several reminders (the daily digest). */
export function renderDigest(items: readonly Renderable[], portalUrl: string): Rendered {
  const locale = localeOf(items[0]?.locale);
  const t = createTranslator(messagesFor(locale));
  const title = truncateBytes(t("notifications.message.digestTitle", { count: items.length }), 128);
  const lines = items.map((i) => `· ${t(i.messageKey, i.params ?? undefined)}${i.deadline ? t("notifications.message.deadlineShort", { at: formatDeadline(i.deadline, locale) }) : ""}`);
  const description = truncateBytes(lines.join("\n"), 512);
  const url = linkFor(portalUrl, "/");
  return { title, description, url, text: `${title}\n${description}\n${url}`, footer: t("notifications.message.emailFooter"), linkText: t("notifications.message.link") };
}
