import { LOCALES, type Language } from "./languages";

/** Money as the API sends it: `{"amount": "85.00", "currency": "EUR"}` (amount a decimal string). */
export interface Money {
  amount: string;
  currency: string;
}

/** "€ 85,00" in nl, "€85.00" in en, "85,00 €" in de; the amount is never rounded through a float. */
export function formatMoney(money: Money, language: Language): string {
  const format = new Intl.NumberFormat(LOCALES[language], {
    style: "currency",
    currency: money.currency,
  });
  return format.format(money.amount as `${number}`);
}

/** A `YYYY-MM-DD` date of the API as a calendar date (no time zone shift): "30 November 2026". */
export function formatDate(isoDate: string, language: Language): string {
  const [year, month, day] = isoDate.split("-").map(Number);
  if (year === undefined || month === undefined || day === undefined) return isoDate;
  const date = new Date(Date.UTC(year, month - 1, day));
  if (Number.isNaN(date.getTime())) return isoDate;
  return new Intl.DateTimeFormat(LOCALES[language], { dateStyle: "long", timeZone: "UTC" }).format(
    date,
  );
}

/** An ISO 8601 timestamp of the API in the browser's time zone: date and time. */
export function formatTimestamp(isoTimestamp: string, language: Language): string {
  const date = new Date(isoTimestamp);
  if (Number.isNaN(date.getTime())) return isoTimestamp;
  return new Intl.DateTimeFormat(LOCALES[language], {
    dateStyle: "medium",
    timeStyle: "short",
  }).format(date);
}

/** Points and other counts: "2.500" in nl and de, "2,500" in en. */
export function formatNumber(value: number, language: Language): string {
  return new Intl.NumberFormat(LOCALES[language]).format(value);
}
