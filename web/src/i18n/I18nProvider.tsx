import { createContext, useCallback, useContext, useEffect, useMemo, useState, type ReactNode } from "react";

import type { MessageKey } from "./en";
import { formatDate, formatMoney, formatNumber, formatTimestamp, type Money } from "./format";
import { browserLanguage, isLanguage, translate, type Language, type Placeholders } from "./languages";

export interface I18n {
  language: Language;
  /** The message for `key` in the current language; `{name}` placeholders from `values`. */
  t: (key: MessageKey, values?: Placeholders) => string;
  /** The user's choice (the switcher): remembered in this browser; `<html lang>` follows. */
  setLanguage: (language: Language) => void;
  /** A default, such as the account's language after login: taken unless the user chose one. */
  offerLanguage: (language: Language) => void;
  money: (money: Money) => string;
  date: (isoDate: string) => string;
  timestamp: (isoTimestamp: string) => string;
  number: (value: number) => string;
}

const CHOICE_KEY = "cps.language";

function savedChoice(): Language | null {
  try {
    const saved = localStorage.getItem(CHOICE_KEY);
    return isLanguage(saved) ? saved : null;
  } catch {
    return null;
  }
}

/** The user's last choice in this browser, else the browser's language, else English. */
export function initialLanguage(): Language {
  return savedChoice() ?? browserLanguage(typeof navigator === "undefined" ? [] : navigator.languages);
}

const I18nContext = createContext<I18n | null>(null);

export function I18nProvider({ children, language: start }: { children: ReactNode; language?: Language }) {
  const [language, setCurrent] = useState<Language>(() => start ?? initialLanguage());

  useEffect(() => {
    document.documentElement.lang = language;
  }, [language]);

  const setLanguage = useCallback((next: Language) => {
    try {
      localStorage.setItem(CHOICE_KEY, next);
    } catch {
      // storage disabled: the choice lasts until the page is left
    }
    setCurrent(next);
  }, []);

  const offerLanguage = useCallback((next: Language) => {
    if (savedChoice() === null) setCurrent(next);
  }, []);

  const value = useMemo<I18n>(
    () => ({
      language,
      t: (key, values) => translate(language, key, values),
      setLanguage,
      offerLanguage,
      money: (money) => formatMoney(money, language),
      date: (isoDate) => formatDate(isoDate, language),
      timestamp: (isoTimestamp) => formatTimestamp(isoTimestamp, language),
      number: (count) => formatNumber(count, language),
    }),
    [language, setLanguage, offerLanguage],
  );
  return <I18nContext.Provider value={value}>{children}</I18nContext.Provider>;
}

export function useI18n(): I18n {
  const i18n = useContext(I18nContext);
  if (i18n === null) throw new Error("useI18n() outside <I18nProvider>");
  return i18n;
}
