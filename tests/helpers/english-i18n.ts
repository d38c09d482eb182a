import { createTranslator, messagesFor } from "@/lib/i18n/translate";

/** Stands in for lib/i18n/server in tests that run actions and routes through their real wrappers:
 * the person reads English (no cookie, no request). Use as
 * `vi.mock("@/lib/i18n/server", () => import("../helpers/english-i18n").then((m) => m.englishI18n()))`. */
export function englishI18n() {
  const messages = messagesFor("en");
  return { getLocale: async () => "en" as const, getI18n: async () => ({ locale: "en" as const, messages, t: createTranslator(messages) }) };
}
