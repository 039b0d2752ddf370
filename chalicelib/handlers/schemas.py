"""Request and response shapes of the HTTP API (API.md). They also generate /openapi.json.

Requests: a model states the JSON shape only — types, required fields, the fixed vocabularies
(enums) and the exact form of machine values (ids, tokens, keys, codes), and a body that does not
fit is a 400 MALFORMED_REQUEST. What people type (a country, a date of purchase, a serial
number, a dealer, a purchase-order number, an e-mail address...) is checked by the domain's
rules, whose 422 says what to send; its model bounds it only by the API-wide 2,000 characters,
never by a stand-in for the rule (a `max_length=2` for a country code would answer "Netherlands"
with a 400 the application form answers with a 422).

Responses: closed (`additionalProperties: false`), built by the handlers (handlers/views.py)
from what the use cases return, with the domain's enums as the allowed values.
"""

from __future__ import annotations

from datetime import date, datetime
from typing import Annotated, Any, Literal

from pydantic import (
    AfterValidator,
    BaseModel,
    ConfigDict,
    Field,
    PlainSerializer,
    RootModel,
    StrictBool,
    StrictStr,
)

from chalicelib.domain.accounts import LegacyConfirmation
from chalicelib.domain.applications import (
    ApplicationStatus,
    CheckOutcome,
    Decision,
    DocumentType,
)
from chalicelib.domain.credentials import ChallengeKind
from chalicelib.domain.invoices import InvoiceKind, InvoicePurpose, InvoiceStatus
from chalicelib.domain.legacy_imports import ImportStatus
from chalicelib.domain.membership import MembershipStatus, PaymentMethod, SubscriptionType
from chalicelib.domain.points import EntryReason
from chalicelib.domain.products import Source
from chalicelib.domain.tiers import TIERS, Family
from chalicelib.domain.vat_rates import VatTreatment
from chalicelib.services.legacy import SkipReason

Text = StrictStr
TIER_IDS = [t.tier for t in TIERS]


def _known_tier(value: str) -> str:
    if value not in TIER_IDS:
        raise ValueError(f"must be one of {', '.join(TIER_IDS)}")
    return value


# A tier id: picked from GET /tiers, so an unknown one is malformed (400); whether the company's
# points open it is a rule (422).
TierId = Annotated[
    Text,
    AfterValidator(_known_tier),
    Field(min_length=1, max_length=40, json_schema_extra={"enum": TIER_IDS}),
]


# defer_build: a model's validator and serializer are built when it is first used, not when
# this module is imported (every route module imports it: an API function's first request
# builds only the models it answers with).
class Request(BaseModel):
    model_config = ConfigDict(extra="ignore", str_max_length=2000, defer_build=True)


class Response(BaseModel):
    """An answer of the API: exactly these fields (extra ones are a programming error)."""

    model_config = ConfigDict(extra="forbid", populate_by_name=True, defer_build=True)


def _iso(value: date) -> str:
    return value.isoformat()


# Dates `YYYY-MM-DD` and timestamps ISO 8601 (API.md), written by `isoformat()`.
IsoDate = Annotated[date, PlainSerializer(_iso, return_type=str)]
IsoDateTime = Annotated[datetime, PlainSerializer(_iso, return_type=str)]


# --- requests ---------------------------------------------------------------------------------


class CompanyIn(Request):
    name: Text
    street: Text
    postcode: Text
    city: Text
    country: Text = Field(description="ISO 3166-1 alpha-2, e.g. NL")


class ContactIn(Request):
    name: Text
    email: Text
    phone: Text


class ApplicationIn(Request):
    company: CompanyIn
    vat_number: Text | None = None
    contact: ContactIn
    language: Text = Field(description="en, nl, de, da or lv")
    legacy_cps_email: Text | None = None
    document_type: DocumentType
    authorised: StrictBool = Field(
        json_schema_extra={"const": True},
        description="The applicant declares they may act for the company (else a 422)",
    )


class DecisionIn(Request):
    # A rejection needs a reason for the applicant, more than blanks (else a 422).
    model_config = ConfigDict(
        json_schema_extra={
            "anyOf": [
                {"properties": {"decision": {"const": "APPROVE"}}},
                {
                    "required": ["reason"],
                    "properties": {"reason": {"type": "string", "pattern": "\\S"}},
                },
            ]
        }
    )

    decision: Decision
    reason: Text | None = Field(
        default=None,
        json_schema_extra={"maxLength": 1000},
        description="Needed to reject; at most 1,000 characters once blanks are collapsed",
    )


class PasswordIn(Request):
    token: Text = Field(min_length=1, max_length=200)
    password: Text = Field(
        min_length=1,
        max_length=256,
        json_schema_extra={"minLength": 12},
        description="12 or more characters with a lower- and an upper-case letter and a digit, "
        "no blanks around (else a 422)",
    )


class PasswordResetIn(Request):
    email: Text = Field(max_length=320)


class LoginIn(Request):
    email: Text = Field(min_length=1, max_length=320)
    password: Text = Field(min_length=1, max_length=256)


class RefreshIn(Request):
    refresh_token: Text = Field(min_length=1, max_length=8000)


MfaCode = Annotated[
    Text, Field(pattern=r"^[0-9]{6}$", description="the six digits the authenticator app shows")
]
# Cognito's own limits: a challenge session is 20 to 2,048 characters; a setup session (an
# access token) has no documented maximum.
ChallengeSession = Annotated[
    Text,
    Field(
        min_length=20,
        max_length=2048,
        description="the `session` of the SOFTWARE_TOKEN_MFA login answer",
    ),
]
SetupSession = Annotated[
    Text,
    Field(min_length=1, max_length=8000, description="the `session` of the MFA_SETUP answer"),
]


class MfaAnswerIn(Request):
    email: Text = Field(min_length=1, max_length=320)
    session: ChallengeSession
    code: MfaCode


class MfaSetupIn(Request):
    session: SetupSession


class MfaVerifyIn(Request):
    session: SetupSession
    code: MfaCode


class ClockIn(Request):
    advance_days: int = Field(ge=0, le=3660, strict=True)


# --- responses --------------------------------------------------------------------------------


class ErrorBody(Response):
    code: str
    message: str
    fields: dict[str, str]


class ErrorOut(Response):
    error: ErrorBody


class OpenApiDocumentOut(RootModel[dict[str, Any]]):
    """An OpenAPI 3.1 document (its own schema is the OpenAPI specification's)."""


class HealthOut(Response):
    status: Literal["ok"]


class DegradedOut(Response):
    status: Literal["degraded"]
    failing: list[str] = Field(description="the dependencies that do not answer")


class UploadOut(Response):
    """A presigned S3 POST: send `fields` and then the file as multipart form data to `url`."""

    url: str
    fields: dict[str, str]
    expires_at: IsoDateTime
    max_bytes: int
    accepted_types: list[str]


class ApplicationStatusOut(Response):
    application_id: str
    status: ApplicationStatus
    reason: str | None
    decision_due_by: IsoDate | None


class ApplicationCreatedOut(ApplicationStatusOut):
    status_token: str
    upload: UploadOut


class CompanyOut(Response):
    name: str
    street: str
    postcode: str
    city: str
    country: str


class ContactOut(Response):
    name: str
    email: str
    phone: str


class CheckOut(Response):
    name: str
    outcome: CheckOutcome
    detail: str


class ReviewItemOut(Response):
    application_id: str
    status: ApplicationStatus
    created_at: IsoDateTime
    company: CompanyOut
    contact: ContactOut
    language: str
    vat_number: str | None
    legacy_cps_email: str | None
    document_type: DocumentType
    checks: list[CheckOut]
    decision_due_by: IsoDate | None
    escalated: bool
    document_url: str | None


class ReviewListOut(Response):
    items: list[ReviewItemOut]
    next_cursor: str | None


class DecisionOut(Response):
    application_id: str
    decision: Decision
    status: ApplicationStatus


class AcceptedOut(Response):
    status: Literal["accepted"]


class PasswordSetOut(Response):
    status: Literal["password_set"]


class TokensOut(Response):
    id_token: str
    access_token: str
    refresh_token: str | None
    expires_in: int


class MfaChallengeOut(Response):
    """No tokens yet: SOFTWARE_TOKEN_MFA, send the app's code to /auth/login/mfa; MFA_SETUP
    (a reviewer without an authenticator app), add one through /auth/mfa/setup and /verify."""

    challenge: ChallengeKind
    session: str


class LoginOut(RootModel[TokensOut | MfaChallengeOut]):
    pass


class MfaSetupOut(Response):
    secret: str = Field(description="base32, for an authenticator app")
    otpauth_uri: str = Field(description="the same secret as an otpauth:// URI (a QR code)")


class MfaEnabledOut(Response):
    status: Literal["mfa_enabled"]


class MailOut(Response):
    message_id: str
    from_: str = Field(alias="from")
    to: list[str]
    subject: str
    text: str
    html: str
    links: list[str]
    attachments: list[str]
    sent_at: str | None


class MailboxOut(Response):
    items: list[MailOut]
    next_cursor: None  # the local mailbox is one page


class JobRunOut(Response):
    job: str
    result: dict[str, int]


class ClockDayOut(Response):
    date: IsoDate
    jobs: dict[str, dict[str, int]]
    settled: bool = Field(description="the day's queued work was done before the next day")


class ClockOut(Response):
    now: IsoDateTime
    days: list[ClockDayOut]


# --- products and points ----------------------------------------------------------------------


# The product's details are what people type: their rules are the domain's (a 422 saying what to
# send), so no bound here stands in for them.
SerialNumber = Annotated[
    Text | None,
    Field(description="1 to 40 letters, digits, dots, slashes or hyphens (else a 422)"),
]
PurchaseDate = Annotated[
    Text | None, Field(description="YYYY-MM-DD, a real date not in the future (else a 422)")
]
CountryOfPurchase = Annotated[
    Text | None, Field(description="ISO 3166-1 alpha-2 country code, e.g. NL (else a 422)")
]
Dealer = Annotated[Text | None, Field(description="at most 120 characters (else a 422)")]


class ProductIn(Request):
    sku: Text = Field(min_length=1, max_length=64)
    serial_number: SerialNumber = None
    purchase_date: PurchaseDate = None
    country_of_purchase: CountryOfPurchase = None
    dealer: Dealer = None


class ProductPatchIn(Request):
    # At least one detail, null included (it removes that detail).
    model_config = ConfigDict(
        json_schema_extra={
            "anyOf": [
                {"required": [name]}
                for name in ("serial_number", "purchase_date", "country_of_purchase", "dealer")
            ]
        }
    )

    serial_number: SerialNumber = None
    purchase_date: PurchaseDate = None
    country_of_purchase: CountryOfPurchase = None
    dealer: Dealer = None


class ProductOut(Response):
    product_id: str
    sku: str
    name: str
    serial_number: str | None
    purchase_date: IsoDate | None
    country_of_purchase: str | None
    dealer: str | None
    complete: bool
    missing: list[str] = Field(description="the details still needed for the green tick")
    points: int
    source: Source
    registered_at: IsoDateTime


class ProductListOut(Response):
    items: list[ProductOut]
    next_cursor: str | None


class LedgerEntryOut(Response):
    entry_id: str
    at: IsoDateTime
    delta: int
    reason: EntryReason
    product_id: str


class PointsOut(Response):
    balance: int
    ledger: list[LedgerEntryOut]
    next_cursor: str | None


class CatalogItemOut(Response):
    sku: str
    name: str
    category: str
    points: int


class CatalogListOut(Response):
    items: list[CatalogItemOut]
    next_cursor: str | None


# --- legacy CPS import and migration ----------------------------------------------------------


class LegacyImportCreatedOut(Response):
    import_id: str
    upload: UploadOut


class RejectedRowOut(Response):
    line: int
    reason: str


class LegacyImportOut(Response):
    import_id: str
    status: ImportStatus
    rows: int
    imported: int
    rejected: int
    rejections: list[RejectedRowOut] = Field(description="the first 100; the report has all")
    failure_reason: str | None = Field(
        description="FAILED: why the file could not be read as an export"
    )
    report_url: str | None


class LegacyProductOut(Response):
    sku: str
    name: str
    serial_number: str | None
    purchase_date: IsoDate | None
    country_of_purchase: str | None
    dealer: str | None
    complete: bool


class SkippedProductOut(LegacyProductOut):
    reason: SkipReason


class MigrationStatusOut(Response):
    available: bool
    confirmation: LegacyConfirmation = Field(
        description="whether the owner of the old CPS address has confirmed it (e-mailed link)"
    )
    migrated: bool
    legacy_products: list[LegacyProductOut]


class MigrationOut(Response):
    migrated: int
    points_added: int
    skipped: list[SkippedProductOut]
    already_migrated: bool


# --- membership, checkout and invoices ---------------------------------------------------------


class MoneyOut(Response):
    amount: str = Field(pattern=r"^-?\d+\.\d{2}$")
    currency: str


VAT_RATE = r"^\d+\.\d{2}$"


class TierOut(Response):
    tier: str
    name: str
    family: Family
    min_points: int
    max_points: int | None
    annual_fee: MoneyOut
    eligible: bool


class TiersOut(Response):
    points: int
    corporate_available: bool
    currency: str
    tiers: list[TierOut]


class QuoteIn(Request):
    tier: TierId


class QuoteOut(Response):
    tier: str
    name: str
    price_excl_vat: MoneyOut
    vat_rate: str = Field(pattern=VAT_RATE, description="e.g. 0.21")
    vat_amount: MoneyOut
    total: MoneyOut
    vat_treatment: VatTreatment
    vat_note: str | None
    subscription_type: SubscriptionType
    terms_version: str


class CardPaymentIn(Request):
    method: Literal[PaymentMethod.CARD]
    payment_method_token: Text = Field(min_length=1, max_length=255)


class BankTransferIn(Request):
    method: Literal[PaymentMethod.BANK_TRANSFER]


class CheckoutIn(Request):
    tier: TierId
    auto_renew: StrictBool = True
    purchase_order_number: Text | None = Field(
        default=None, description="at most 35 printable characters (else a 422)"
    )
    accept_terms: StrictBool = Field(
        json_schema_extra={"const": True}, description="The terms must be accepted (else a 422)"
    )
    terms_version: Text = Field(min_length=1, max_length=40)
    payment: CardPaymentIn | BankTransferIn = Field(discriminator="method")


class RenewalOut(Response):
    on: IsoDate
    tier: str
    price_excl_vat: MoneyOut
    invoiced: bool


class HistoryEntryOut(Response):
    at: IsoDateTime
    event: str
    detail: str
    by: str


class MembershipOut(Response):
    membership_number: str = Field(pattern=r"^\d{9}$")
    tier: str
    name: str
    status: MembershipStatus
    starts_on: IsoDate
    expires_on: IsoDate
    term: int
    auto_renew: bool
    subscription_type: SubscriptionType
    payment_method: PaymentMethod
    renewal_tier: str | None = Field(description="the tier chosen for the renewal, if any")
    renewal: RenewalOut | None
    history: list[HistoryEntryOut]


class MeOut(Response):
    account_id: str
    company: CompanyOut
    country: str
    currency: str
    language: str
    vat_number: str | None
    contact: ContactOut
    points: int
    invited: bool = Field(description="the company has reached 500 points")
    membership: MembershipOut | None


class OrderedInvoiceOut(Response):
    """The invoice is ordered: its number and PDF follow (GET /invoices)."""

    status: Literal["PENDING"]


class UpgradeInvoiceOut(OrderedInvoiceOut):
    net: MoneyOut = Field(description="the prorated difference, excl. VAT")


class CheckoutOut(Response):
    membership: MembershipOut
    invoice: OrderedInvoiceOut
    quote: QuoteOut


class MembershipPatchIn(Request):
    # Something to change: null is the same as leaving a field out.
    model_config = ConfigDict(
        json_schema_extra={
            "anyOf": [
                {"required": ["auto_renew"], "properties": {"auto_renew": {"type": "boolean"}}},
                {"required": ["renewal_tier"], "properties": {"renewal_tier": {"type": "string"}}},
            ]
        }
    )

    auto_renew: StrictBool | None = None
    renewal_tier: TierId | None = None


class UpgradeIn(Request):
    tier: TierId


class UpgradeOut(Response):
    membership: MembershipOut
    invoice: UpgradeInvoiceOut


class PaymentMethodIn(Request):
    payment_method_token: Text = Field(min_length=1, max_length=255)


class PeriodOut(Response):
    from_: IsoDate = Field(alias="from")
    to: IsoDate


class BankDetailsOut(Response):
    beneficiary: str
    iban: str
    bic: str
    reference: str


class InvoiceOut(Response):
    invoice_number: str
    kind: InvoiceKind
    purpose: InvoicePurpose
    issued_on: IsoDate
    due_on: IsoDate
    status: InvoiceStatus
    days_overdue: int
    period: PeriodOut | None
    credit_note_for: str | None
    cancelled_by: str | None = Field(description="the credit note that cancels this invoice")
    net: MoneyOut
    vat_rate: str = Field(pattern=VAT_RATE, description="e.g. 0.21")
    vat: MoneyOut
    total: MoneyOut
    vat_note: str | None
    purchase_order_number: str | None
    payment_method: PaymentMethod
    payment_note: str
    membership_number: str
    description: str
    paid_on: IsoDate | None
    bank_details: BankDetailsOut | None
    pdf_url: str | None


class InvoiceListOut(Response):
    items: list[InvoiceOut]
    next_cursor: str | None


class ReceivableOut(InvoiceOut):
    account_id: str
    company: str


class ReceivableListOut(Response):
    items: list[ReceivableOut]
    next_cursor: str | None


AMOUNT_PATTERN = r"^[0-9]{1,9}(\.[0-9]{1,2})?$"


class MoneyIn(Request):
    amount: Text = Field(max_length=20, json_schema_extra={"pattern": AMOUNT_PATTERN})
    currency: Literal["EUR", "GBP"]


class PaymentIn(Request):
    amount: Annotated[Text, Field(json_schema_extra={"pattern": AMOUNT_PATTERN})] | MoneyIn = Field(
        description='"102.85" or {"amount": "102.85", "currency": "EUR"}'
    )
    paid_on: Text = Field(
        json_schema_extra={"format": "date"},
        description="YYYY-MM-DD, a real date not in the future (else a 422, as a product's "
        "purchase date)",
    )
    reference: Text = Field(min_length=1, max_length=100)


# --- the old CPS address's confirmation (SPEC §2) ------------------------------------------------


class LegacyConfirmIn(Request):
    token: Text = Field(min_length=1, max_length=200)


class LegacyConfirmedOut(Response):
    confirmation: Literal[LegacyConfirmation.CONFIRMED]
