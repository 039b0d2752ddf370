import { LOCALES, type Language } from "../../i18n/languages";

/** The API's rate ("0.21") as a percentage in the UI language: "21%" (en), "21 %" (de). */
export function formatRate(rate: string, language: Language): string {
  const value = Number(rate);
  if (!Number.isFinite(value)) return rate;
  return new Intl.NumberFormat(LOCALES[language], { style: "percent", maximumFractionDigits: 2 }).format(value);
}
