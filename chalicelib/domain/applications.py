"""Business-account applications: the form's rules, the proof document's rules, the status flow.

Nothing here knows where applications are stored or how documents arrive.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field, replace
from datetime import date, datetime
from enum import StrEnum

import filetype

from chalicelib.domain.countries import InvalidCountry, normalise_country
from chalicelib.domain.errors import Conflict, ValidationFailed
from chalicelib.domain.languages import SUPPORTED_LANGUAGES
from chalicelib.domain.vat import InvalidVatNumber, validate_vat

MAX_DOCUMENT_BYTES = 10 * 1024 * 1024
ALLOWED_DOCUMENT_MIME_TYPES = frozenset({"application/pdf", "image/jpeg", "image/png"})
_DOCUMENT_EXTENSIONS = {"application/pdf": "pdf", "image/jpeg": "jpg", "image/png": "png"}

_EMAIL = re.compile(
    r"^[^@\s]{1,64}@[A-Za-z0-9](?:[A-Za-z0-9-]{0,61}[A-Za-z0-9])?(?:\.[A-Za-z0-9-]{1,63})+$"
)
_PHONE = re.compile(r"^\+?[0-9 ()./-]{6,25}$")


class ApplicationStatus(StrEnum):
    AWAITING_DOCUMENT = "AWAITING_DOCUMENT"
    VALIDATING = "VALIDATING"
    PENDING_REVIEW = "PENDING_REVIEW"
    APPROVED = "APPROVED"
    REJECTED = "REJECTED"


class DocumentType(StrEnum):
    VAT_CERTIFICATE = "VAT_CERTIFICATE"
    COMPANY_INVOICE = "COMPANY_INVOICE"
    BUSINESS_LICENCE = "BUSINESS_LICENCE"
    TRADE_REGISTER_EXTRACT = "TRADE_REGISTER_EXTRACT"


# SPEC §1: a VAT-registered company proves itself with its VAT certificate or a company invoice;
# one without a VAT number sends exactly one of an invoice, a licence or a register extract.
DOCUMENTS_WITH_VAT = frozenset({DocumentType.VAT_CERTIFICATE, DocumentType.COMPANY_INVOICE})
DOCUMENTS_WITHOUT_VAT = frozenset(
    {
        DocumentType.COMPANY_INVOICE,
        DocumentType.BUSINESS_LICENCE,
        DocumentType.TRADE_REGISTER_EXTRACT,
    }
)


class Decision(StrEnum):
    APPROVE = "APPROVE"
    REJECT = "REJECT"


@dataclass(frozen=True)
class Company:
    name: str
    street: str
    postcode: str
    city: str
    country: str


@dataclass(frozen=True)
class Contact:
    name: str
    email: str
    phone: str


@dataclass(frozen=True)
class ApplicationForm:
    """The application form as the customer filled it in, already validated and normalised."""

    company: Company
    contact: Contact
    language: str
    document_type: DocumentType
    vat_number: str | None = None
    legacy_cps_email: str | None = None


@dataclass(frozen=True)
class RawApplicationForm:
    """Shape-checked input (strings where strings belong) still to be checked against the rules."""

    company_name: str
    street: str
    postcode: str
    city: str
    country: str
    contact_name: str
    contact_email: str
    contact_phone: str
    language: str
    document_type: str
    authorised: bool
    vat_number: str | None = None
    legacy_cps_email: str | None = None


def normalise_email(value: str) -> str:
    """E-mail addresses are compared case-insensitively everywhere in the programme."""
    return value.strip().lower()


def is_valid_email(value: str) -> bool:
    return bool(_EMAIL.match(value.strip()))


def _required_text(errors: dict[str, str], name: str, value: str, max_len: int) -> str:
    cleaned = " ".join(value.split())
    if not cleaned:
        errors[name] = "is required"
    elif len(cleaned) > max_len:
        errors[name] = f"must be at most {max_len} characters"
    elif not cleaned.isprintable():
        errors[name] = "contains characters that cannot be printed"
    return cleaned


def validate_application(raw: RawApplicationForm) -> ApplicationForm:
    """Check every rule of the form at once so the customer sees all mistakes in one answer."""
    errors: dict[str, str] = {}
    company_name = _required_text(errors, "company.name", raw.company_name, 200)
    street = _required_text(errors, "company.street", raw.street, 200)
    postcode = _required_text(errors, "company.postcode", raw.postcode, 20)
    city = _required_text(errors, "company.city", raw.city, 100)
    contact_name = _required_text(errors, "contact.name", raw.contact_name, 200)

    country = ""
    try:
        country = normalise_country(raw.country)
    except InvalidCountry as exc:
        errors["company.country"] = str(exc)

    email = normalise_email(raw.contact_email)
    if not is_valid_email(email):
        errors["contact.email"] = "is not a valid e-mail address"

    phone = raw.contact_phone.strip()
    if not _PHONE.match(phone) or sum(c.isdigit() for c in phone) < 6:
        errors["contact.phone"] = "is not a valid phone number"

    language = raw.language.strip().lower()
    if language not in SUPPORTED_LANGUAGES:
        errors["language"] = f"must be one of {', '.join(SUPPORTED_LANGUAGES)}"

    vat_number: str | None = None
    if raw.vat_number is not None and raw.vat_number.strip():
        if country:
            try:
                vat_number = validate_vat(country, raw.vat_number)
            except InvalidVatNumber as exc:
                errors["vat_number"] = str(exc)
        else:
            errors["vat_number"] = "cannot be checked without a valid country"

    document_type: DocumentType | None = None
    try:
        document_type = DocumentType(raw.document_type)
    except ValueError:
        errors["document_type"] = f"must be one of {', '.join(t.value for t in DocumentType)}"
    else:
        vat_registered = raw.vat_number is not None and bool(raw.vat_number.strip())
        allowed = DOCUMENTS_WITH_VAT if vat_registered else DOCUMENTS_WITHOUT_VAT
        if document_type not in allowed:
            kind = "a VAT-registered" if vat_registered else "a company without a VAT number"
            errors["document_type"] = (
                f"{document_type.value} is not accepted for {kind}; use one of "
                + ", ".join(sorted(t.value for t in allowed))
            )

    legacy: str | None = None
    if raw.legacy_cps_email is not None and raw.legacy_cps_email.strip():
        legacy = normalise_email(raw.legacy_cps_email)
        if not is_valid_email(legacy):
            errors["legacy_cps_email"] = "is not a valid e-mail address"

    if raw.authorised is not True:
        errors["authorised"] = (
            "you must declare that you are authorised to provide this information"
        )

    if errors:
        raise ValidationFailed("The application is not valid.", fields=errors)
    assert document_type is not None
    return ApplicationForm(
        company=Company(company_name, street, postcode, city, country),
        contact=Contact(contact_name, email, phone),
        language=language,
        document_type=document_type,
        vat_number=vat_number,
        legacy_cps_email=legacy,
    )


@dataclass(frozen=True)
class DocumentVerdict:
    accepted: bool
    reason: str | None = None
    content_type: str | None = None  # the type found by content when accepted


def judge_document(size: int, head: bytes) -> DocumentVerdict:
    """The upload's own claims (name, Content-Type) are ignored: only size and magic bytes count."""
    detected_mime = filetype.guess_mime(head) if head else None
    if size <= 0:
        return DocumentVerdict(False, "The uploaded document is empty. Please upload it again.")
    if size > MAX_DOCUMENT_BYTES:
        return DocumentVerdict(
            False, "The uploaded document is larger than 10 MB. Please upload a smaller file."
        )
    if detected_mime not in ALLOWED_DOCUMENT_MIME_TYPES:
        return DocumentVerdict(
            False,
            "The uploaded file is not a PDF, JPEG or PNG document (checked by its content, "
            "not its name). Please upload your proof document as PDF, JPEG or PNG.",
        )
    return DocumentVerdict(True, content_type=detected_mime)


class CheckOutcome(StrEnum):
    """The outcome of one automated check of an application."""

    PASSED = "PASSED"
    FAILED = "FAILED"
    FLAGGED = "FLAGGED"  # for the reviewer's attention
    SKIPPED = "SKIPPED"
    UNAVAILABLE = "UNAVAILABLE"


@dataclass(frozen=True)
class CheckResult:
    name: str
    outcome: CheckOutcome
    detail: str

    def as_dict(self) -> dict[str, str]:
        return {"name": self.name, "outcome": self.outcome, "detail": self.detail}


@dataclass(frozen=True)
class Application:
    application_id: str
    form: ApplicationForm
    status: ApplicationStatus
    status_token_hash: str
    created_at: datetime
    upload_id: str | None = None
    document_key: str | None = None
    # The version of document_key that passed the check, and the type the check found in it:
    # the presigned POST stays usable for its lifetime, so the key alone is not what was checked.
    document_version_id: str | None = None
    document_content_type: str | None = None
    uploaded_at: datetime | None = None
    decision_due_by: date | None = None
    reason: str | None = None
    checks: tuple[CheckResult, ...] = ()
    review_task_token: str | None = None
    escalated_at: datetime | None = None
    decision: Decision | None = None
    decision_reason: str | None = None
    decided_by: str | None = None
    decided_at: datetime | None = None
    account_id: str | None = None
    version: int | None = field(default=None, compare=False)

    @property
    def document_key_prefix(self) -> str:
        return f"applications/{self.application_id}/"

    def new_upload(self, upload_id: str) -> Application:
        if self.status is not ApplicationStatus.AWAITING_DOCUMENT:
            raise Conflict(
                f"A document can only be uploaded while the application is "
                f"{ApplicationStatus.AWAITING_DOCUMENT}; it is {self.status}."
            )
        return replace(self, upload_id=upload_id)

    def document_rejected(self, reason: str) -> Application:
        return replace(
            self, status=ApplicationStatus.AWAITING_DOCUMENT, reason=reason, upload_id=None
        )

    @property
    def document_filename(self) -> str:
        """The name the reviewer's download gets: from the checked type, never the upload's."""
        extension = _DOCUMENT_EXTENSIONS.get(self.document_content_type or "", "bin")
        return f"{self.form.document_type.value.lower()}-{self.application_id}.{extension}"

    def document_accepted(
        self,
        key: str,
        uploaded_at: datetime,
        due: date,
        *,
        version_id: str | None = None,
        content_type: str | None = None,
    ) -> Application:
        return replace(
            self,
            status=ApplicationStatus.VALIDATING,
            document_key=key,
            document_version_id=version_id,
            document_content_type=content_type,
            uploaded_at=uploaded_at,
            decision_due_by=due,
            reason=None,
        )

    def checks_completed(self, checks: tuple[CheckResult, ...]) -> Application:
        return replace(self, checks=checks)

    def awaiting_review(self, task_token: str) -> Application:
        if self.status not in (ApplicationStatus.VALIDATING, ApplicationStatus.PENDING_REVIEW):
            raise Conflict(f"The application is {self.status}, not under validation.")
        return replace(self, status=ApplicationStatus.PENDING_REVIEW, review_task_token=task_token)

    def decide(
        self, decision: Decision, reason: str | None, reviewer: str, at: datetime
    ) -> Application:
        if self.status is not ApplicationStatus.PENDING_REVIEW or self.decision is not None:
            raise Conflict(f"The application is {self.status} and cannot be decided now.")
        if self.review_task_token is None:
            raise Conflict("The application is not ready for a decision yet; try again shortly.")
        cleaned = " ".join((reason or "").split())
        if decision is Decision.REJECT and not cleaned:
            raise ValidationFailed(
                "A rejection needs a reason for the applicant.", fields={"reason": "is required"}
            )
        if len(cleaned) > 1000:
            raise ValidationFailed("The reason is too long.", fields={"reason": "at most 1000"})
        return replace(
            self,
            decision=decision,
            decision_reason=cleaned or None,
            decided_by=reviewer,
            decided_at=at,
        )

    def approved(self, account_id: str) -> Application:
        return replace(
            self, status=ApplicationStatus.APPROVED, account_id=account_id, review_task_token=None
        )

    def rejected(self) -> Application:
        return replace(
            self,
            status=ApplicationStatus.REJECTED,
            reason=self.decision_reason,
            review_task_token=None,
        )

    def escalated(self, at: datetime) -> Application:
        return replace(self, escalated_at=at)
