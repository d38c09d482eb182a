import { z } from "zod";
import type { Locale } from "@/lib/i18n/config";

// zod's own messages (for checks a schema did not give a message key) in the person's language.
const maps = { "zh-CN": z.locales.zhCN().localeError, en: z.locales.en().localeError };

export function zodLocaleError(locale: Locale) {
  return maps[locale];
}
