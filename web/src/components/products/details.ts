import type { components } from "../../api/schema";
import { problemsOf, type Problem } from "../../forms/validation";
import type { MessageKey } from "../../i18n/en";

/**
 * A registration's four mandatory details (SPEC §2): serial number, purchase date, country of
 * purchase, dealer. Any may be left out (the registration is kept without the green tick);
 * what is given is checked as the API does (chalicelib/domain/products.py).
 */
export type Product = components["schemas"]["ProductOut"];
export type CatalogItem = components["schemas"]["CatalogItemOut"];

export const DETAILS = ["serial_number", "purchase_date", "country_of_purchase", "dealer"] as const;
export type Detail = (typeof DETAILS)[number];

export type DetailsForm = Record<Detail, string>;

export const EMPTY_DETAILS: DetailsForm = {
  serial_number: "",
  purchase_date: "",
  country_of_purchase: "",
  dealer: "",
};

/** The words for a missing detail ("serial_number" → "serial number"), by message key. */
export const DETAIL_LABELS: Readonly<Record<Detail, MessageKey>> = {
  serial_number: "products.detail.serial_number",
  purchase_date: "products.detail.purchase_date",
  country_of_purchase: "products.detail.country_of_purchase",
  dealer: "products.detail.dealer",
};

export function isDetail(name: string): name is Detail {
  return (DETAILS as readonly string[]).includes(name);
}

/** The details of a registration as the form shows them (empty when absent). */
export function detailsOf(product: Product): DetailsForm {
  return {
    serial_number: product.serial_number ?? "",
    purchase_date: product.purchase_date ?? "",
    country_of_purchase: product.country_of_purchase ?? "",
    dealer: product.dealer ?? "",
  };
}

/** One physical product, one serial: the API folds case and spaces the same way. */
export function normaliseSerial(value: string): string {
  return value.normalize("NFKC").replace(/\s+/g, "").toUpperCase();
}

const SERIAL = /^[A-Z0-9][A-Z0-9./-]{0,39}$/;
/** The EOS system's first year: the API refuses older purchase dates as typos. */
export const EARLIEST_PURCHASE = "1987-01-01";

/** Today as YYYY-MM-DD in the browser's time zone (the latest purchase date). */
export function today(now: Date = new Date()): string {
  const pad = (n: number) => String(n).padStart(2, "0");
  return `${now.getFullYear()}-${pad(now.getMonth() + 1)}-${pad(now.getDate())}`;
}

function serialProblem(value: string): Problem {
  if (value.trim() === "") return null;
  return SERIAL.test(normaliseSerial(value)) ? null : "products.serialInvalid";
}

function dateProblem(value: string, latest: string): Problem {
  if (value.trim() === "") return null;
  const [year, month, day] = value.split("-").map(Number);
  const real =
    /^\d{4}-\d{2}-\d{2}$/.test(value) &&
    year !== undefined &&
    month !== undefined &&
    day !== undefined &&
    new Date(Date.UTC(year, month - 1, day)).getUTCDate() === day &&
    month >= 1 &&
    month <= 12;
  if (!real) return "products.dateInvalid";
  if (value > latest) return "products.dateFuture";
  if (value < EARLIEST_PURCHASE) return "products.dateTooOld";
  return null;
}

function dealerProblem(value: string): Problem {
  return value.trim().replace(/\s+/g, " ").length > 120 ? "products.dealerTooLong" : null;
}

/** The problems of the given details; empty ones are fine (kept without the green tick). */
export function checkDetails(form: DetailsForm, latest: string = today()): Partial<Record<Detail, MessageKey>> {
  return problemsOf<Detail>({
    serial_number: serialProblem(form.serial_number),
    purchase_date: dateProblem(form.purchase_date, latest),
    country_of_purchase: null,
    dealer: dealerProblem(form.dealer),
  });
}

/** The details still empty in the form: the registration would lack the green tick. */
export function missingIn(form: DetailsForm): Detail[] {
  return DETAILS.filter((detail) => form[detail].trim() === "");
}

export type DetailsBody = { [detail in Detail]?: string };

/** The body of POST /products beside the sku: the details given, null for those left out. */
export function detailsBody(form: DetailsForm): Record<Detail, string | null> {
  const value = (detail: Detail) => (form[detail].trim() === "" ? null : form[detail].trim());
  return {
    serial_number: value("serial_number"),
    purchase_date: value("purchase_date"),
    country_of_purchase: value("country_of_purchase"),
    dealer: value("dealer"),
  };
}

/**
 * The body of PATCH /products/{id}: the details that changed. The API keeps what a PATCH
 * does not name, and a detail cannot be emptied again (a best estimate is better than none):
 * an emptied field is left as it was.
 */
export function changedDetails(before: DetailsForm, form: DetailsForm): DetailsBody {
  const body: DetailsBody = {};
  for (const detail of DETAILS) {
    const value = form[detail].trim();
    const previous = before[detail].trim();
    const same = detail === "serial_number" ? normaliseSerial(value) === normaliseSerial(previous) : value === previous;
    if (value !== "" && !same) body[detail] = value;
  }
  return body;
}
