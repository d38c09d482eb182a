import type { Locale } from "./config";
import { en, zhCN, type Messages } from "./messages";

export type { Messages };
export type TranslateParams = Record<string, string | number>;
export type Translate = (key: string, params?: TranslateParams) => string;

const dictionaries: Record<Locale, Messages> = { "zh-CN": zhCN, en };

export function messagesFor(locale: Locale): Messages {
  return dictionaries[locale];
}

function lookup(messages: Messages, key: string): string | undefined {
  let node: unknown = messages;
  for (const part of key.split(".")) {
    if (node === null || typeof node !== "object") return undefined;
    node = (node as Record<string, unknown>)[part];
  }
  return typeof node === "string" ? node : undefined;
}

export function hasMessage(messages: Messages, key: string): boolean {
  return lookup(messages, key) !== undefined;
}

/** Builds t(): an unknown key is shown as itself so a missing translation is visible, not fatal. */
export function createTranslator(messages: Messages): Translate {
  return (key, params) => {
    const template = lookup(messages, key) ?? key;
    if (!params) return template;
    return template.replace(/\{(\w+)\}/g, (m, name: string) => (name in params ? String(params[name]) : m));
  };
}
