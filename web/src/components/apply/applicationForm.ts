import type { components } from "../../api/schema";
import { emailProblem, problemsOf, requiredProblem, type Problem } from "../../forms/validation";
import type { MessageKey } from "../../i18n/en";
import { isLanguage, type Language } from "../../i18n/languages";

/**
 * The business-account application (SPEC §1, POST /applications) as the form holds it, and
 * the client's checks, which mirror the API's (chalicelib/domain/applications.py). The API
 * still has the last word: its 422 `fields` (dotted paths, "company.postcode") are shown
 * beside the same fields.
 */
export type ApplicationBody = components["schemas"]["ApplicationIn"];
export type DocumentType = components["schemas"]["DocumentType"];

export interface ApplicationForm {
  companyName: string;
  street: string;
  postcode: string;
  city: string;
  country: string;
  vatNumber: string;
  contactName: string;
  contactEmail: string;
  contactPhone: string;
  language: Language;
  legacyCpsEmail: string;
  documentType: DocumentType | "";
  file: File | null;
  authorised: boolean;
}

export function emptyApplication(language: Language): ApplicationForm {
  return {
    companyName: "",
    street: "",
    postcode: "",
    city: "",
    country: "",
    vatNumber: "",
    contactName: "",
    contactEmail: "",
    contactPhone: "",
    language,
    legacyCpsEmail: "",
    documentType: "",
    file: null,
    authorised: false,
  };
}

/**
 * The form's fields by the API's names for them (its 422 `fields` use these), in the order of
 * the form: the first with a problem gets the focus. Each maps to its control's id.
 */
export const APPLICATION_FIELD_IDS = {
  "company.name": "apply-company-name",
  "company.street": "apply-company-street",
  "company.postcode": "apply-company-postcode",
  "company.city": "apply-company-city",
  "company.country": "apply-company-country",
  vat_number: "apply-vat-number",
  "contact.name": "apply-contact-name",
  "contact.email": "apply-contact-email",
  "contact.phone": "apply-contact-phone",
  language: "apply-language",
  legacy_cps_email: "apply-legacy-email",
  document_type: "apply-document-type",
  document: "apply-document",
  authorised: "apply-authorised",
} as const;

export type ApplicationField = keyof typeof APPLICATION_FIELD_IDS;

/** Whether the company counts as VAT-registered: as for the API, a VAT number was given. */
export function isVatRegistered(vatNumber: string): boolean {
  return vatNumber.trim() !== "";
}

/**
 * SPEC §1, the proof documents by VAT status (DOCUMENTS_WITH_VAT, DOCUMENTS_WITHOUT_VAT):
 * VAT-registered, the VAT certificate or a company invoice showing the VAT number; otherwise
 * one of a company invoice, a business or professional licence, a trade-register extract.
 */
export const DOCUMENTS_WITH_VAT: readonly DocumentType[] = ["VAT_CERTIFICATE", "COMPANY_INVOICE"];
export const DOCUMENTS_WITHOUT_VAT: readonly DocumentType[] = [
  "COMPANY_INVOICE",
  "BUSINESS_LICENCE",
  "TRADE_REGISTER_EXTRACT",
];

export function allowedDocuments(vatNumber: string): readonly DocumentType[] {
  return isVatRegistered(vatNumber) ? DOCUMENTS_WITH_VAT : DOCUMENTS_WITHOUT_VAT;
}

/** The API's limits of the proof document (MAX_DOCUMENT_BYTES, ALLOWED_DOCUMENT_MIME_TYPES). */
export const DOCUMENT_MAX_BYTES = 10 * 1024 * 1024;
export const DOCUMENT_TYPES: Readonly<Record<string, readonly string[]>> = {
  "application/pdf": [".pdf"],
  "image/jpeg": [".jpg", ".jpeg"],
  "image/png": [".png"],
};
/** For the file input's `accept`: the types and their extensions. */
export const DOCUMENT_ACCEPT = Object.entries(DOCUMENT_TYPES)
  .flatMap(([type, extensions]) => [type, ...extensions])
  .join(",");

/**
 * The file's own claims (type, else name) checked before sending; the API checks the content
 * itself after the upload. `maxBytes`/`acceptedTypes` are the upload's, when it named them.
 */
export function documentProblem(
  file: File | null,
  maxBytes: number = DOCUMENT_MAX_BYTES,
  acceptedTypes: readonly string[] = Object.keys(DOCUMENT_TYPES),
): Problem {
  if (file === null) return "apply.documentRequired";
  if (file.size === 0) return "apply.documentEmpty";
  const name = file.name.toLowerCase();
  const typeFits =
    file.type !== ""
      ? acceptedTypes.includes(file.type)
      : acceptedTypes.some((type) => (DOCUMENT_TYPES[type] ?? []).some((extension) => name.endsWith(extension)));
  if (!typeFits) return "apply.documentType";
  if (file.size > maxBytes) return "apply.documentTooLarge";
  return null;
}

// The API's phone rule: digits, spaces and ( ) . / - with an optional leading +, 6 to 25
// characters, at least 6 digits.
const PHONE_SHAPE = /^\+?[0-9 ()./-]{6,25}$/;

export function phoneProblem(value: string): Problem {
  const phone = value.trim();
  if (phone === "") return "validation.required";
  const digits = [...phone].filter((c) => c >= "0" && c <= "9").length;
  return PHONE_SHAPE.test(phone) && digits >= 6 ? null : "apply.phoneInvalid";
}

function textProblem(value: string, max: number): Problem {
  const cleaned = value.split(/\s+/).filter(Boolean).join(" ");
  if (cleaned === "") return "validation.required";
  return cleaned.length > max ? "apply.tooLong" : null;
}

function optionalEmailProblem(value: string): Problem {
  return value.trim() === "" ? null : emailProblem(value);
}

function vatProblem(value: string): Problem {
  // The API checks format and check digits for the country; letters, digits and the usual
  // separators are all a number can have.
  return /^[\p{L}\p{N}\s.\-/,:;_()']*$/u.test(value) ? null : "apply.vatCharacters";
}

function documentTypeProblem(form: ApplicationForm): Problem {
  if (form.documentType === "") return "apply.documentTypeRequired";
  return allowedDocuments(form.vatNumber).includes(form.documentType) ? null : "apply.documentTypeNotAllowed";
}

/** Every problem of the form at once (as the API answers), keyed by the API's field names. */
export function checkApplication(form: ApplicationForm): Partial<Record<ApplicationField, MessageKey>> {
  return problemsOf<ApplicationField>({
    "company.name": textProblem(form.companyName, 200),
    "company.street": textProblem(form.street, 200),
    "company.postcode": textProblem(form.postcode, 20),
    "company.city": textProblem(form.city, 100),
    "company.country": requiredProblem(form.country) === null ? null : "apply.countryRequired",
    vat_number: vatProblem(form.vatNumber),
    "contact.name": textProblem(form.contactName, 200),
    "contact.email": emailProblem(form.contactEmail),
    "contact.phone": phoneProblem(form.contactPhone),
    language: isLanguage(form.language) ? null : "validation.required",
    legacy_cps_email: optionalEmailProblem(form.legacyCpsEmail),
    document_type: documentTypeProblem(form),
    document: documentProblem(form.file),
    authorised: form.authorised ? null : "apply.authorisedRequired",
  });
}

/** The body of POST /applications; optional fields left empty are sent as null. */
export function applicationBody(form: ApplicationForm): ApplicationBody {
  const optional = (value: string) => (value.trim() === "" ? null : value.trim());
  if (form.documentType === "") throw new Error("checkApplication() first: no document type");
  return {
    company: {
      name: form.companyName.trim(),
      street: form.street.trim(),
      postcode: form.postcode.trim(),
      city: form.city.trim(),
      country: form.country,
    },
    vat_number: optional(form.vatNumber),
    contact: {
      name: form.contactName.trim(),
      email: form.contactEmail.trim(),
      phone: form.contactPhone.trim(),
    },
    language: form.language,
    legacy_cps_email: optional(form.legacyCpsEmail),
    document_type: form.documentType,
    authorised: true,
  };
}

/**
 * The API's field messages by this form's fields. Its paths are the form's names already
 * ("company.postcode"); anything nested deeper or unknown goes to the nearest known field
 * ("company" → the company's name), else stays for the form's own message.
 */
export function serverFieldErrors(fields: Readonly<Record<string, string>>): {
  byField: Partial<Record<ApplicationField, string>>;
  unplaced: string[];
} {
  const byField: Partial<Record<ApplicationField, string>> = {};
  const unplaced: string[] = [];
  for (const [path, message] of Object.entries(fields)) {
    const field = placeOf(path);
    if (field === null) unplaced.push(message);
    else byField[field] ??= message;
  }
  return { byField, unplaced };
}

function placeOf(path: string): ApplicationField | null {
  const known = (candidate: string): candidate is ApplicationField => candidate in APPLICATION_FIELD_IDS;
  const parts = path.split(".");
  for (let length = parts.length; length > 0; length -= 1) {
    const candidate = parts.slice(0, length).join(".");
    if (known(candidate)) return candidate;
  }
  if (parts[0] === "company") return "company.name";
  if (parts[0] === "contact") return "contact.name";
  return null;
}
