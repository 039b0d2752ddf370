import { LOCALES, type Language } from "../../i18n/languages";

/** "NL" as "Netherlands" / "Nederland" / "Niederlande": the country's name in the UI language. */
export function countryName(code: string, language: Language): string {
  try {
    return new Intl.DisplayNames([LOCALES[language]], { type: "region" }).of(code.toUpperCase()) ?? code;
  } catch {
    return code;
  }
}

/** "nl" as "Dutch" / "Nederlands" / "Niederländisch": the applicant's language in the UI language. */
export function languageName(code: string, language: Language): string {
  try {
    return new Intl.DisplayNames([LOCALES[language]], { type: "language" }).of(code) ?? code;
  } catch {
    return code;
  }
}
