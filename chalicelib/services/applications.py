"""Use cases of the business-account application journey (SPEC §1), one method per action."""

from __future__ import annotations

import hmac
import secrets
import uuid
from dataclasses import dataclass, replace
from datetime import datetime
from typing import Any

from aws_lambda_powertools import Logger

from chalicelib.domain.accounts import Account, account_id_for, open_account
from chalicelib.domain.applications import (
    MAX_DOCUMENT_BYTES,
    Application,
    ApplicationStatus,
    CheckOutcome,
    CheckResult,
    Decision,
    RawApplicationForm,
    judge_document,
    validate_application,
)
from chalicelib.domain.business_days import decision_due_by, is_overdue
from chalicelib.domain.clock import Clock
from chalicelib.domain.countries import is_eu
from chalicelib.domain.credentials import TOKEN_LIFETIME, LinkRequest, TokenPurpose, hash_token
from chalicelib.domain.errors import Conflict, NotFound
from chalicelib.domain.vat import InvalidVatNumber, validate_vat
from chalicelib.services.legacy import request_legacy_confirmation
from chalicelib.services.ports import (
    AccountRepository,
    ApplicationRepository,
    DocumentStore,
    EmailRequest,
    IdentityProvider,
    Outbox,
    Page,
    TokenStore,
    UploadTicket,
    VatRegistry,
    Workflow,
)

logger = Logger(service="cps", child=True)  # one service name: records reach its handler

UPLOAD_LINK_SECONDS = 15 * 60
DOCUMENT_LINK_SECONDS = 5 * 60
MAX_DISCARDS_PER_EVENT = 10
CHECKS_UNAVAILABLE = "ChecksUnavailable"
ACCOUNT_EXISTS_MAIL_WINDOW_SECONDS = 15 * 60
NOT_APPROVABLE_REASON = "This application cannot be approved. Please contact CPS Priority Support."


@dataclass(frozen=True)
class ApplicationSettings:
    frontend_url: str
    reviewers_email: str
    vies_enabled: bool


@dataclass(frozen=True)
class NewApplication:
    application: Application
    status_token: str
    upload: UploadTicket


@dataclass(frozen=True)
class ReviewItem:
    """An application in the reviewer's queue, with a short-lived link to its checked document."""

    application: Application
    document_url: str | None


class ApplicationService:
    def __init__(
        self,
        *,
        applications: ApplicationRepository,
        accounts: AccountRepository,
        tokens: TokenStore,
        documents: DocumentStore,
        workflow: Workflow,
        identity: IdentityProvider,
        outbox: Outbox,
        vat_registry: VatRegistry,
        clock: Clock,
        settings: ApplicationSettings,
    ) -> None:
        self._applications = applications
        self._accounts = accounts
        self._tokens = tokens
        self._documents = documents
        self._workflow = workflow
        self._identity = identity
        self._outbox = outbox
        self._vat_registry = vat_registry
        self._clock = clock
        self._settings = settings

    # --- the applicant -------------------------------------------------------------------

    def apply(self, raw: RawApplicationForm) -> NewApplication:
        form = validate_application(raw)
        # The answer is the same for a known address (SPEC §1: nothing tells a stranger who has
        # an account): the application is kept like any other, its owner is told by mail, and
        # the approval never opens a second account for the address (see `approve`).
        existing = self._accounts.find_by_email(form.contact.email)
        now = self._clock.now()
        status_token = secrets.token_urlsafe(24)
        application = Application(
            application_id=uuid.uuid4().hex,
            form=form,
            status=ApplicationStatus.AWAITING_DOCUMENT,
            status_token_hash=hash_token(status_token),
            created_at=now,
        )
        application, ticket = self._with_upload_ticket(application)
        self._applications.add(application)
        if existing is not None:
            self._tell_owner_account_exists(existing, now)
        return NewApplication(application, status_token, ticket)

    def _tell_owner_account_exists(self, account: Account, now: datetime) -> None:
        """Only the account's own details go in this mail, nothing the applicant typed; one mail
        per address and quarter of an hour (the dedupe key), however often someone applies."""
        window = int(now.timestamp()) // ACCOUNT_EXISTS_MAIL_WINDOW_SECONDS
        self._outbox.send(
            EmailRequest(
                template="account_exists",
                language=account.language,
                to=account.email,
                dedupe_key=f"account-exists:{account.account_id}:{window}",
                context={
                    "company_name": account.company.name,
                    "contact_name": account.contact_name,
                    "login_url": f"{self._settings.frontend_url}/login",
                    "link_expires_hours": int(
                        TOKEN_LIFETIME[TokenPurpose.RESET_PASSWORD].total_seconds() // 3600
                    ),
                },
                link=LinkRequest(TokenPurpose.RESET_PASSWORD, account.account_id, now).to_json(),
            )
        )

    def status(self, application_id: str, status_token: str | None) -> Application:
        return self._authorised(application_id, status_token)

    def new_upload_link(self, application_id: str, status_token: str | None) -> UploadTicket:
        application = self._authorised(application_id, status_token)
        application, ticket = self._with_upload_ticket(application)
        self._applications.save(application)
        return ticket

    def document_uploaded(self, key: str) -> None:
        """S3 told us a document arrived: check it by content, then start the validation."""
        application_id, _, upload_id = key.removeprefix("applications/").partition("/")
        application = self._applications.get(application_id) if upload_id else None
        if application is None:
            logger.warning("Upload for no known application: deleting it", extra={"key": key})
            self._documents.delete(key)
            return
        if application.document_key == key:
            # The checked document's key: a redelivered event, or a later upload with the same
            # presigned POST (usable until it expires). Only the checked version may stay.
            self._discard_unchecked_versions(application)
            if application.status is ApplicationStatus.VALIDATING:
                # The deterministic execution name makes this start nothing new.
                self._start_validation(application)
            return
        if (
            application.status is not ApplicationStatus.AWAITING_DOCUMENT
            or application.upload_id != upload_id
        ):
            logger.info("Stale upload ignored", extra={"application_id": application_id})
            return
        stored = self._documents.inspect(key)
        if stored is None:
            return
        verdict = judge_document(stored.size, stored.head)
        if not verdict.accepted:
            assert verdict.reason is not None
            self._documents.delete(key, stored.version_id)
            self._applications.save(application.document_rejected(verdict.reason))
            logger.info("Document refused", extra={"application_id": application_id})
            return
        now = self._clock.now()
        due = decision_due_by(now, application.form.company.country)
        application = self._applications.save(
            application.document_accepted(
                key,
                now,
                due,
                version_id=stored.version_id,
                content_type=verdict.content_type,
            )
        )
        # An upload that landed after the version checked here is not what was checked.
        self._discard_unchecked_versions(application)
        self._start_validation(application)

    # --- the validation workflow's steps ----------------------------------------------------

    def run_checks(self, application_id: str) -> dict[str, Any]:
        application = self._get(application_id)
        checks = (
            self._vat_check(application),
            self._vies_check(application),
            self._duplicate_vat_check(application),
            self._existing_login_check(application),
        )
        if application.status is ApplicationStatus.VALIDATING:
            self._applications.save(application.checks_completed(checks))
        return {check.name: check.outcome for check in checks}

    def await_review(self, application_id: str, task_token: str) -> None:
        application = self._get(application_id)
        if application.decision is not None:
            # Decided while the previous wait expired: hand the decision to the new wait.
            self._workflow.complete_task(task_token, self._decision_output(application))
            return
        self._applications.save(application.awaiting_review(task_token))

    def approve(self, application_id: str) -> None:
        application = self._get(application_id)
        if application.status is ApplicationStatus.APPROVED:
            return
        now = self._clock.now()
        holder = self._accounts.find_by_email(application.form.contact.email)
        if holder is not None and holder.application_id != application_id:
            # Never a second account (nor a rebound login) for a known address; its owner was
            # told when the application came in. The reason names no account.
            self._applications.save(
                replace(application, decision_reason=NOT_APPROVABLE_REASON).rejected()
            )
            return
        account = open_account(application, now)
        self._identity.ensure_user(account.email, account.account_id)
        self._accounts.add(account)
        self._outbox.send(
            EmailRequest(
                template="application_approved",
                language=account.language,
                to=account.email,
                dedupe_key=f"application-approved:{application_id}",
                context={
                    "company_name": account.company.name,
                    "contact_name": account.contact_name,
                    "link_expires_hours": 72,
                },
                # The set-password link is issued when the mail is sent: no token in the queue.
                link=LinkRequest(TokenPurpose.SET_PASSWORD, account.account_id, now).to_json(),
            )
        )
        request_legacy_confirmation(  # the old CPS address must confirm a migration (SPEC §2)
            account,
            tokens=self._tokens,
            outbox=self._outbox,
            now=now,
            frontend_url=self._settings.frontend_url,
        )
        self._applications.save(application.approved(account.account_id))

    def reject(self, application_id: str) -> None:
        application = self._get(application_id)
        if application.status is ApplicationStatus.REJECTED:
            return
        form = application.form
        self._outbox.send(
            EmailRequest(
                template="application_rejected",
                language=form.language,
                to=form.contact.email,
                dedupe_key=f"application-rejected:{application_id}",
                context={
                    "company_name": form.company.name,
                    "contact_name": form.contact.name,
                    "reason": application.decision_reason or "",
                    "apply_again_url": f"{self._settings.frontend_url}/apply",
                },
            )
        )
        self._applications.save(application.rejected())

    # --- the reviewer -----------------------------------------------------------------------

    def review_queue(
        self, status: ApplicationStatus, limit: int, cursor: str | None
    ) -> Page[ReviewItem]:
        page = self._applications.list_by_status(status, limit, cursor)
        return Page([ReviewItem(a, self._document_link(a)) for a in page.items], page.next_cursor)

    def decide(
        self, application_id: str, decision: Decision, reason: str | None, reviewer: str
    ) -> Application:
        application = self._get(application_id)
        decided = self._applications.save(
            application.decide(decision, reason, reviewer, self._clock.now())
        )
        assert decided.review_task_token is not None
        self._workflow.complete_task(decided.review_task_token, self._decision_output(decided))
        return decided

    def review_sla(self) -> dict[str, int]:
        """Escalate, once, every application past its decision date; keep review waits alive."""
        now = self._clock.now()
        escalated = heartbeats = 0
        cursor: str | None = None
        while True:
            page = self._applications.list_by_status(ApplicationStatus.PENDING_REVIEW, 100, cursor)
            for application in page.items:
                if application.review_task_token and self._workflow.heartbeat(
                    application.review_task_token
                ):
                    heartbeats += 1
                if self._escalate(application, now):
                    escalated += 1
            cursor = page.next_cursor
            if cursor is None:
                return {"escalated": escalated, "heartbeats": heartbeats}

    # --- helpers ----------------------------------------------------------------------------

    def _escalate(self, application: Application, now: Any) -> bool:
        due = application.decision_due_by
        if application.escalated_at is not None or due is None or not is_overdue(due, now):
            return False
        form = application.form
        # Mail first (deduplicated by cause), flag second: a crash in between re-sends nothing.
        self._outbox.send(
            EmailRequest(
                template="review_escalation",
                language="en",
                to=self._settings.reviewers_email,
                dedupe_key=f"review-escalation:{application.application_id}",
                context={
                    "application_id": application.application_id,
                    "company_name": form.company.name,
                    "country": form.company.country,
                    "decision_due_by": due.isoformat(),
                    "review_url": f"{self._settings.frontend_url}/review/applications",
                },
            )
        )
        try:
            self._applications.save(application.escalated(now))
        except Conflict:
            return False  # decided or escalated concurrently; the mail was deduplicated
        return True

    def _with_upload_ticket(self, application: Application) -> tuple[Application, UploadTicket]:
        upload_id = uuid.uuid4().hex
        application = application.new_upload(upload_id)
        ticket = self._documents.upload_ticket(
            f"{application.document_key_prefix}{upload_id}", MAX_DOCUMENT_BYTES, UPLOAD_LINK_SECONDS
        )
        return application, ticket

    def _discard_unchecked_versions(self, application: Application) -> None:
        """Deletes every version stored over the checked one, so the key serves it again.

        The review link names the checked version anyway; this keeps unchecked bytes out of
        the bucket too. Bounded per event: every later upload brings its own event.
        """
        key, checked = application.document_key, application.document_version_id
        if key is None or checked is None:
            return  # accepted before versions were recorded, or the bucket is not versioned
        for _ in range(MAX_DISCARDS_PER_EVENT):
            current = self._documents.current_version(key)
            if current is None or current == checked:
                return
            logger.warning(
                "An upload replaced the checked document: deleting it",
                extra={"application_id": application.application_id},
            )
            self._documents.delete(key, current)

    def _start_validation(self, application: Application) -> None:
        assert application.document_key is not None
        upload_id = application.document_key.rsplit("/", 1)[-1]
        self._workflow.start_validation(
            application.application_id, f"{application.application_id}-{upload_id}"
        )

    def _authorised(self, application_id: str, status_token: str | None) -> Application:
        application = self._applications.get(application_id) if status_token else None
        if application is None or not hmac.compare_digest(
            application.status_token_hash, hash_token(status_token or "")
        ):
            raise NotFound("No such application.")
        return application

    def _get(self, application_id: str) -> Application:
        application = self._applications.get(application_id)
        if application is None:
            raise NotFound("No such application.")
        return application

    @staticmethod
    def _decision_output(application: Application) -> dict[str, Any]:
        assert application.decision is not None
        return {
            "decision": application.decision.value,
            "reason": application.decision_reason or "",
        }

    def _document_link(self, application: Application) -> str | None:
        """The checked version only, as a download of the type the check found (never inline)."""
        if application.document_key is None:
            return None
        return self._documents.attachment_url(
            application.document_key,
            DOCUMENT_LINK_SECONDS,
            version_id=application.document_version_id,
            filename=application.document_filename,
            content_type=application.document_content_type or "application/octet-stream",
        )

    def _vat_check(self, application: Application) -> CheckResult:
        vat = application.form.vat_number
        if vat is None:
            return CheckResult("vat_number", CheckOutcome.SKIPPED, "No VAT number given.")
        try:
            validate_vat(application.form.company.country, vat)
        except InvalidVatNumber as exc:
            return CheckResult("vat_number", CheckOutcome.FAILED, str(exc))
        return CheckResult("vat_number", CheckOutcome.PASSED, "Format and check digits are valid.")

    def _vies_check(self, application: Application) -> CheckResult:
        vat = application.form.vat_number
        if vat is None or not is_eu(application.form.company.country):
            return CheckResult("vies", CheckOutcome.SKIPPED, "No EU VAT number to check.")
        if not self._settings.vies_enabled:
            return CheckResult(
                "vies", CheckOutcome.SKIPPED, "The VIES online check is off in this stage."
            )
        # RetryableFailure propagates: the workflow retries, then lets the reviewer decide alone.
        if self._vat_registry.is_registered(vat):
            return CheckResult(
                "vies", CheckOutcome.PASSED, "VIES confirms the VAT number is registered."
            )
        return CheckResult("vies", CheckOutcome.FAILED, "VIES does not know this VAT number.")

    def _duplicate_vat_check(self, application: Application) -> CheckResult:
        vat = application.form.vat_number
        if vat is None:
            return CheckResult("duplicate_vat", CheckOutcome.SKIPPED, "No VAT number given.")
        holders = [
            a
            for a in self._accounts.account_ids_with_vat(vat)
            if a != account_id_for(application.application_id)
        ]
        if holders:
            return CheckResult(
                "duplicate_vat",
                CheckOutcome.FLAGGED,
                f"The VAT number is already held by account(s) {', '.join(holders)}.",
            )
        return CheckResult(
            "duplicate_vat", CheckOutcome.PASSED, "No other account holds this VAT number."
        )

    def _existing_login_check(self, application: Application) -> CheckResult:
        existing = self._accounts.find_by_email(application.form.contact.email)
        if existing is not None and existing.application_id != application.application_id:
            return CheckResult(
                "contact_email",
                CheckOutcome.FLAGGED,
                "Another account already uses this e-mail address.",
            )
        return CheckResult(
            "contact_email", CheckOutcome.PASSED, "The e-mail address is not in use."
        )
