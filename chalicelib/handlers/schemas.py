"""Request and response shapes of the HTTP API (API.md). They also generate /openapi.json."""

from __future__ import annotations

from typing import Annotated, Literal

from pydantic import BaseModel, ConfigDict, Field, RootModel, StrictBool, StrictStr

from chalicelib.domain.credentials import ChallengeKind
from chalicelib.domain.tiers import TIERS

Text = StrictStr
TIER_IDS = [t.tier for t in TIERS]


class Request(BaseModel):
    model_config = ConfigDict(extra="ignore", str_max_length=2000)


class Response(BaseModel):
    model_config = ConfigDict(extra="allow")


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
    document_type: Literal[
        "VAT_CERTIFICATE", "COMPANY_INVOICE", "BUSINESS_LICENCE", "TRADE_REGISTER_EXTRACT"
    ]
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

    decision: Literal["APPROVE", "REJECT"]
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
    fields: dict[str, str] = Field(default_factory=dict)


class ErrorOut(Response):
    error: ErrorBody


class HealthOut(Response):
    status: Literal["ok", "degraded"]


class UploadOut(Response):
    url: str
    fields: dict[str, str]
    expires_at: str


class ApplicationCreatedOut(Response):
    application_id: str
    status: str
    status_token: str
    upload: UploadOut


class ApplicationStatusOut(Response):
    application_id: str
    status: Literal["AWAITING_DOCUMENT", "VALIDATING", "PENDING_REVIEW", "APPROVED", "REJECTED"]
    reason: str | None
    decision_due_by: str | None


class CheckOut(Response):
    name: str
    outcome: str
    detail: str


class ReviewItemOut(Response):
    application_id: str
    status: str
    company: dict[str, str]
    contact: dict[str, str]
    checks: list[CheckOut]
    decision_due_by: str | None
    document_url: str | None
    escalated: bool


class ReviewListOut(Response):
    items: list[ReviewItemOut]
    next_cursor: str | None


class DecisionOut(Response):
    application_id: str
    decision: str
    status: str


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


class MeOut(Response):
    account_id: str
    company: dict[str, str]
    country: str
    currency: str
    language: str
    points: int
    invited: bool
    membership: dict[str, object] | None


class MailOut(Response):
    to: list[str]
    subject: str
    text: str
    links: list[str]
    attachments: list[str]


class MailboxOut(Response):
    items: list[MailOut]
    next_cursor: None = None  # the local mailbox is one page


class JobRunOut(Response):
    job: str
    result: dict[str, int]


class ClockDayOut(Response):
    date: str
    jobs: dict[str, dict[str, int]]
    settled: bool = Field(description="the day's queued work was done before the next day")


class ClockOut(Response):
    now: str
    days: list[ClockDayOut] = Field(default_factory=list)


# --- products and points ----------------------------------------------------------------------


class ProductIn(Request):
    sku: Text = Field(min_length=1, max_length=64)
    serial_number: Text | None = Field(default=None, max_length=100)
    purchase_date: Text | None = Field(default=None, max_length=10, description="YYYY-MM-DD")
    country_of_purchase: Text | None = Field(default=None, max_length=2)
    dealer: Text | None = Field(default=None, max_length=200)


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

    serial_number: Text | None = Field(default=None, max_length=100)
    purchase_date: Text | None = Field(default=None, max_length=10, description="YYYY-MM-DD")
    country_of_purchase: Text | None = Field(default=None, max_length=2)
    dealer: Text | None = Field(default=None, max_length=200)


class ProductOut(Response):
    product_id: str
    sku: str
    name: str
    serial_number: str | None
    purchase_date: str | None
    country_of_purchase: str | None
    dealer: str | None
    complete: bool
    missing: list[str]
    points: int
    source: Literal["REGISTERED", "MIGRATED"]


class ProductListOut(Response):
    items: list[ProductOut]
    next_cursor: str | None


class LedgerEntryOut(Response):
    entry_id: str
    at: str
    delta: int
    reason: str
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
    status: Literal["AWAITING_FILE", "IMPORTING", "COMPLETED", "FAILED"]
    rows: int
    imported: int
    rejected: int
    rejections: list[RejectedRowOut]
    report_url: str | None
    failure_reason: str | None = Field(
        default=None, description="FAILED: why the file could not be read as an export"
    )


class LegacyProductOut(Response):
    sku: str
    name: str
    serial_number: str | None
    complete: bool


class MigrationStatusOut(Response):
    available: bool
    confirmation: Literal["NONE", "PENDING", "CONFIRMED"] = Field(
        description="whether the owner of the old CPS address has confirmed it (e-mailed link)"
    )
    migrated: bool
    legacy_products: list[LegacyProductOut]


class MigrationOut(Response):
    migrated: int
    points_added: int
    skipped: list[dict[str, object]]
    already_migrated: bool


# --- membership, checkout and invoices ---------------------------------------------------------


class MoneyOut(Response):
    amount: str = Field(pattern=r"^-?\d+\.\d{2}$")
    currency: str


class TierOut(Response):
    tier: str
    name: str
    family: Literal["individual", "corporate"]
    min_points: int
    max_points: int | None
    annual_fee: MoneyOut
    eligible: bool


class TiersOut(Response):
    points: int
    corporate_available: bool
    tiers: list[TierOut]


class QuoteIn(Request):
    tier: Text = Field(min_length=1, max_length=40, json_schema_extra={"enum": TIER_IDS})


class QuoteOut(Response):
    tier: str
    price_excl_vat: MoneyOut
    vat_rate: str
    vat_amount: MoneyOut
    total: MoneyOut
    subscription_type: Literal["AUTO_RENEWAL"]
    terms_version: str


class CardPaymentIn(Request):
    method: Literal["CARD"]
    payment_method_token: Text = Field(min_length=1, max_length=255)


class BankTransferIn(Request):
    method: Literal["BANK_TRANSFER"]


class CheckoutIn(Request):
    tier: Text = Field(min_length=1, max_length=40, json_schema_extra={"enum": TIER_IDS})
    auto_renew: StrictBool = True
    purchase_order_number: Text | None = Field(default=None, max_length=200)
    accept_terms: StrictBool = Field(
        json_schema_extra={"const": True}, description="The terms must be accepted (else a 422)"
    )
    terms_version: Text = Field(min_length=1, max_length=40)
    payment: CardPaymentIn | BankTransferIn = Field(discriminator="method")


class RenewalOut(Response):
    on: str
    tier: str
    price_excl_vat: MoneyOut
    invoiced: bool


class HistoryEntryOut(Response):
    at: str
    event: str
    detail: str
    by: str


class MembershipOut(Response):
    membership_number: str = Field(pattern=r"^\d{9}$")
    tier: str
    status: Literal["ACTIVE", "PAST_DUE", "SUSPENDED", "EXPIRED", "CANCELLED"]
    starts_on: str
    expires_on: str
    auto_renew: bool
    payment_method: Literal["CARD", "BANK_TRANSFER"]
    renewal: RenewalOut | None
    history: list[HistoryEntryOut]


class CheckoutOut(Response):
    membership: MembershipOut
    invoice: dict[str, str]


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
    renewal_tier: Text | None = Field(
        default=None, min_length=1, max_length=40, json_schema_extra={"enum": [*TIER_IDS, None]}
    )


class UpgradeIn(Request):
    tier: Text = Field(min_length=1, max_length=40, json_schema_extra={"enum": TIER_IDS})


class UpgradeOut(Response):
    membership: MembershipOut
    invoice: dict[str, object]


class PaymentMethodIn(Request):
    payment_method_token: Text = Field(min_length=1, max_length=255)


class PeriodOut(Response):
    from_: str = Field(alias="from")
    to: str


class InvoiceOut(Response):
    invoice_number: str
    kind: Literal["INVOICE", "CREDIT_NOTE"]
    issued_on: str
    due_on: str
    status: Literal["ISSUED", "PAID", "OVERDUE", "CANCELLED"]
    period: PeriodOut | None
    credit_note_for: str | None
    net: MoneyOut
    vat_rate: str
    vat: MoneyOut
    total: MoneyOut
    purchase_order_number: str | None
    payment_method: Literal["CARD", "BANK_TRANSFER"]
    pdf_url: str | None


class InvoiceListOut(Response):
    items: list[InvoiceOut]
    next_cursor: str | None


class ReceivableOut(InvoiceOut):
    account_id: str
    company: str
    days_overdue: int


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
        min_length=10,
        max_length=10,
        json_schema_extra={"format": "date", "pattern": "^[0-9]{4}-[0-9]{2}-[0-9]{2}$"},
        description="YYYY-MM-DD",
    )
    reference: Text = Field(min_length=1, max_length=100)


# --- the old CPS address's confirmation (SPEC §2) ------------------------------------------------


class LegacyConfirmIn(Request):
    token: Text = Field(min_length=1, max_length=200)


class LegacyConfirmedOut(Response):
    confirmation: Literal["CONFIRMED"]
