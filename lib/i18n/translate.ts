import type { Locale } from "./config";
import { en, zhCN, type Messages } from "./messages";

export type { Messages };
export type TranslateParams = Record<string, string | number>;
export type Translate = (key: string, params?: TranslateParams) => string;

const dictionaries: Record<Locale, Messages> = { "zh-CN": zhCN, en };

export function messagesFor(locale: Locale): Messages {
  return dictionaries[locale];
}

// A key's message, resolved once per dictionary: a page looks up hundreds of keys per request (the
// dashboard ~600), each a split and a walk down the nested dictionary otherwise. The dictionaries
// are constants of the build, so what a key resolves to never changes in a process.
const resolved = new WeakMap<object, Map<string, string | undefined>>();

function lookup(messages: Messages, key: string): string | undefined {
  let known = resolved.get(messages);
  if (!known) resolved.set(messages, (known = new Map()));
  if (known.has(key)) return known.get(key);
  const found = walk(messages, key);
  // Bounded: keys come from the code, but a key may be built from data (an audit action name).
  if (known.size < 20_000) known.set(key, found);
  return found;
}

function walk(messages: Messages, key: string): string | undefined {
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

// Plurals as ICU writes them, for English ("{count, plural, one {# team} other {# teams}}"):
// the form is chosen by Intl.PluralRules of the dictionary's language and "#" is the number.
// Chinese has one form, so its messages simply say "{count} 个团队".
const PLURAL = /\{(\w+), plural,((?:\s*(?:=\d+|zero|one|two|few|many|other)\s*\{[^{}]*\})+)\s*\}/g;
const PLURAL_CASE = /(=\d+|zero|one|two|few|many|other)\s*\{([^{}]*)\}/g;
const pluralRules = new Map<string, Intl.PluralRules>();

function plural(locale: string, raw: string | number, cases: string): string {
  let rules = pluralRules.get(locale);
  if (!rules) pluralRules.set(locale, (rules = new Intl.PluralRules(locale)));
  const forms = new Map([...cases.matchAll(PLURAL_CASE)].map((m) => [m[1], m[2]]));
  // A number may come formatted ("1,234"): its form is chosen by its value, and it is written as given.
  const value = typeof raw === "number" ? raw : Number(String(raw).replace(/[,\s]/g, ""));
  const form = Number.isFinite(value) ? (forms.get(`=${value}`) ?? forms.get(rules.select(value)) ?? forms.get("other")) : forms.get("other");
  return (form ?? "").replace(/#/g, typeof raw === "number" ? raw.toLocaleString(locale) : String(raw));
}

/** Builds t(): an unknown key is shown as itself so a missing translation is visible, not fatal. */
export function createTranslator(messages: Messages): Translate {
  const locale = messages === en ? "en" : "zh-CN";
  return (key, params) => {
    const template = lookup(messages, key) ?? key;
    if (!params) return template;
    return template
      .replace(PLURAL, (m, name: string, cases: string) => (name in params ? plural(locale, params[name], cases) : m))
      .replace(/\{(\w+)\}/g, (m, name: string) => (name in params ? String(params[name]) : m));
  };
}
