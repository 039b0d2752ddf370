import { describe, expect, it } from "vitest";

import {
  allowedDocuments,
  applicationBody,
  checkApplication,
  documentProblem,
  emptyApplication,
  phoneProblem,
  serverFieldErrors,
  type ApplicationForm,
} from "./applicationForm";

const pdf = (size = 1_000, name = "proof.pdf", type = "application/pdf") =>
  new File([new Uint8Array(size)], name, { type });

function filled(overrides: Partial<ApplicationForm> = {}): ApplicationForm {
  return {
    ...emptyApplication("nl"),
    companyName: "Studio Lumen B.V.",
    street: "Keizersgracht 1",
    postcode: "1015 CJ",
    city: "Amsterdam",
    country: "NL",
    contactName: "Anna de Vries",
    contactEmail: "anna@studio-lumen.example",
    contactPhone: "+31 20 123 4567",
    documentType: "COMPANY_INVOICE",
    file: pdf(),
    authorised: true,
    ...overrides,
  };
}

describe("the application form's checks", () => {
  it("finds nothing wrong in a complete form", () => {
    expect(checkApplication(filled())).toEqual({});
  });

  it("names every missing field of an empty form at once, by the API's field names", () => {
    expect(checkApplication(emptyApplication("en"))).toEqual({
      "company.name": "validation.required",
      "company.street": "validation.required",
      "company.postcode": "validation.required",
      "company.city": "validation.required",
      "company.country": "apply.countryRequired",
      "contact.name": "validation.required",
      "contact.email": "validation.required",
      "contact.phone": "validation.required",
      document_type: "apply.documentTypeRequired",
      document: "apply.documentRequired",
      authorised: "apply.authorisedRequired",
    });
  });

  it("checks the optional fields only when they are given", () => {
    expect(checkApplication(filled({ legacyCpsEmail: "old@cps" }))).toEqual({ legacy_cps_email: "validation.email" });
    expect(checkApplication(filled({ vatNumber: "NL 1234<script>" }))).toMatchObject({ vat_number: "apply.vatCharacters" });
  });

  it("keeps the API's length limits", () => {
    expect(checkApplication(filled({ postcode: "1".repeat(21) }))).toEqual({ "company.postcode": "apply.tooLong" });
  });

  it("follows the API's phone rule: 6 to 25 characters, at least 6 digits", () => {
    expect(phoneProblem("+31 20 123 4567")).toBeNull();
    expect(phoneProblem("(020) 123-456")).toBeNull();
    expect(phoneProblem("12345")).toBe("apply.phoneInvalid");
    expect(phoneProblem("call me maybe")).toBe("apply.phoneInvalid");
  });
});

describe("the documents accepted by VAT status (SPEC §1)", () => {
  it("is the VAT certificate or a company invoice with a VAT number", () => {
    expect(allowedDocuments("NL123456789B01")).toEqual(["VAT_CERTIFICATE", "COMPANY_INVOICE"]);
  });

  it("is one of an invoice, a licence or a trade-register extract without one", () => {
    expect(allowedDocuments("  ")).toEqual(["COMPANY_INVOICE", "BUSINESS_LICENCE", "TRADE_REGISTER_EXTRACT"]);
  });

  it("refuses a document type that does not fit the VAT status", () => {
    expect(checkApplication(filled({ documentType: "VAT_CERTIFICATE" }))).toEqual({
      document_type: "apply.documentTypeNotAllowed",
    });
    expect(checkApplication(filled({ vatNumber: "NL123", documentType: "BUSINESS_LICENCE" }))).toEqual({
      document_type: "apply.documentTypeNotAllowed",
    });
  });
});

describe("the proof document before it is uploaded", () => {
  it("is a PDF, JPEG or PNG of at most 10 MB and not empty", () => {
    expect(documentProblem(pdf())).toBeNull();
    expect(documentProblem(pdf(1, "scan.png", "image/png"))).toBeNull();
    expect(documentProblem(pdf(0))).toBe("apply.documentEmpty");
    expect(documentProblem(pdf(10 * 1024 * 1024 + 1))).toBe("apply.documentTooLarge");
    expect(documentProblem(pdf(10, "notes.docx", "application/msword"))).toBe("apply.documentType");
  });

  it("goes by the name when the browser does not know the type", () => {
    expect(documentProblem(pdf(10, "SCAN.JPEG", ""))).toBeNull();
    expect(documentProblem(pdf(10, "scan.heic", ""))).toBe("apply.documentType");
  });

  it("keeps the limits the upload names", () => {
    expect(documentProblem(pdf(2_000), 1_000)).toBe("apply.documentTooLarge");
    expect(documentProblem(pdf(), 10_000, ["image/png"])).toBe("apply.documentType");
  });
});

describe("the request and the API's answer", () => {
  it("sends optional fields left empty as null, and the declaration as true", () => {
    const body = applicationBody(filled({ vatNumber: " ", legacyCpsEmail: "", companyName: "  Studio Lumen B.V. " }));
    expect(body).toMatchObject({
      company: { name: "Studio Lumen B.V.", country: "NL" },
      vat_number: null,
      legacy_cps_email: null,
      language: "nl",
      document_type: "COMPANY_INVOICE",
      authorised: true,
    });
  });

  it("puts the API's dotted field paths beside the form's fields", () => {
    expect(
      serverFieldErrors({
        "company.postcode": "is required",
        vat_number: "check digit",
        "contact.email.domain": "unknown",
        company: "malformed",
        "body.extra": "not allowed",
      }),
    ).toEqual({
      byField: {
        "company.postcode": "is required",
        vat_number: "check digit",
        "contact.email": "unknown",
        "company.name": "malformed",
      },
      unplaced: ["not allowed"],
    });
  });
});
