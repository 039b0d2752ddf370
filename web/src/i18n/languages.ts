import { da } from "./da";
import { de } from "./de";
import { en, type MessageKey, type Messages } from "./en";
import { lv } from "./lv";
import { nl } from "./nl";

/** The languages of the site, of the account (`language` of GET /me) and of the e-mails. */
export const LANGUAGES = ["en", "nl", "de", "da", "lv"] as const;
export type Language = (typeof LANGUAGES)[number];

export const DICTIONARIES: { readonly [language in Language]: Messages } = { en, nl, de, da, lv };

/** Each language's name in itself, as a language switcher shows it. */
export const LANGUAGE_NAMES: { readonly [language in Language]: string } = {
  en: "English",
  nl: "Nederlands",
  de: "Deutsch",
  da: "Dansk",
  lv: "Latviešu",
};

/** The locale for Intl (numbers, money, dates): CPS sells from Europe, so British English. */
export const LOCALES: { readonly [language in Language]: string } = {
  en: "en-GB",
  nl: "nl-NL",
  de: "de-DE",
  da: "da-DK",
  lv: "lv-LV",
};

export function isLanguage(value: unknown): value is Language {
  return typeof value === "string" && (LANGUAGES as readonly string[]).includes(value);
}

/** "nl-BE" → "nl"; null when none of the site's languages. */
export function languageOf(tag: string | null | undefined): Language | null {
  const primary = tag?.toLowerCase().split(/[-_]/)[0];
  return isLanguage(primary) ? primary : null;
}

/** The first of the browser's preferred languages that the site has, else English. */
export function browserLanguage(preferred: readonly string[]): Language {
  for (const tag of preferred) {
    const language = languageOf(tag);
    if (language) return language;
  }
  return "en";
}

export type Placeholders = Readonly<Record<string, string | number>>;

/** The message in `language`, with each `{name}` replaced by `values.name`. */
export function translate(
  language: Language,
  key: MessageKey,
  values: Placeholders = {},
): string {
  const template = DICTIONARIES[language][key];
  return template.replace(/\{(\w+)\}/g, (whole, name: string) =>
    name in values ? String(values[name]) : whole,
  );
}
