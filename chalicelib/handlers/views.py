"""The response models built from what the use cases return: the one place that shapes the wire.

Each builder takes domain objects or a use case's typed result and returns the route's closed
response model (schemas.py); routes serialise it with `respond()` (handlers/http.py).
"""

from __future__ import annotations

from decimal import Decimal

from chalicelib.domain.accounts import Account
from chalicelib.domain.applications import Application, CheckResult, Company, Contact
from chalicelib.domain.catalog import CatalogProduct
from chalicelib.domain.legacy_imports import ImportReport
from chalicelib.domain.membership import Membership
from chalicelib.domain.money import Money
from chalicelib.domain.points import LedgerEntry
from chalicelib.domain.products import Registration
from chalicelib.handlers.schemas import (
    ApplicationCreatedOut,
    ApplicationStatusOut,
    BankDetailsOut,
    CatalogItemOut,
    CheckOut,
    CheckoutOut,
    CompanyOut,
    ContactOut,
    DecisionOut,
    HistoryEntryOut,
    InvoiceOut,
    LedgerEntryOut,
    LegacyImportOut,
    LegacyProductOut,
    MembershipOut,
    MeOut,
    MigrationOut,
    MigrationStatusOut,
    MoneyOut,
    OrderedInvoiceOut,
    PeriodOut,
    ProductOut,
    QuoteOut,
    ReceivableOut,
    RejectedRowOut,
    RenewalOut,
    ReviewItemOut,
    SkippedProductOut,
    TierOut,
    TiersOut,
    UpgradeInvoiceOut,
    UpgradeOut,
    UploadOut,
)
from chalicelib.services.applications import NewApplication, ReviewItem
from chalicelib.services.catalog import CatalogEntry
from chalicelib.services.invoicing import InvoiceView
from chalicelib.services.legacy import LegacyListing, MigrationResult, MigrationStatus
from chalicelib.services.membership import (
    MembershipCard,
    Purchase,
    Quote,
    TierChart,
    UpgradeResult,
)
from chalicelib.services.ports import UploadTicket


def money_out(money: Money) -> MoneyOut:
    return MoneyOut(amount=f"{money.amount:.2f}", currency=money.currency)


def rate_out(rate: Decimal) -> str:
    return f"{rate:.2f}"


# --- applications and review ------------------------------------------------------------------


def upload_out(ticket: UploadTicket, max_bytes: int, accepted_types: list[str]) -> UploadOut:
    return UploadOut(
        url=ticket.url,
        fields=ticket.fields,
        expires_at=ticket.expires_at,
        max_bytes=max_bytes,
        accepted_types=accepted_types,
    )


def application_status_out(application: Application) -> ApplicationStatusOut:
    return ApplicationStatusOut(
        application_id=application.application_id,
        status=application.status,
        reason=application.reason,
        decision_due_by=application.decision_due_by,
    )


def application_created_out(created: NewApplication, upload: UploadOut) -> ApplicationCreatedOut:
    application = created.application
    return ApplicationCreatedOut(
        application_id=application.application_id,
        status=application.status,
        reason=application.reason,
        decision_due_by=application.decision_due_by,
        status_token=created.status_token,
        upload=upload,
    )


def company_out(company: Company) -> CompanyOut:
    return CompanyOut(
        name=company.name,
        street=company.street,
        postcode=company.postcode,
        city=company.city,
        country=company.country,
    )


def contact_out(contact: Contact) -> ContactOut:
    return ContactOut(name=contact.name, email=contact.email, phone=contact.phone)


def check_out(check: CheckResult) -> CheckOut:
    return CheckOut(name=check.name, outcome=check.outcome, detail=check.detail)


def review_item_out(item: ReviewItem) -> ReviewItemOut:
    application = item.application
    form = application.form
    return ReviewItemOut(
        application_id=application.application_id,
        status=application.status,
        created_at=application.created_at,
        company=company_out(form.company),
        contact=contact_out(form.contact),
        language=form.language,
        vat_number=form.vat_number,
        legacy_cps_email=form.legacy_cps_email,
        document_type=form.document_type,
        checks=[check_out(c) for c in application.checks],
        decision_due_by=application.decision_due_by,
        escalated=application.escalated_at is not None,
        document_url=item.document_url,
    )


def decision_out(application: Application) -> DecisionOut:
    assert application.decision is not None
    return DecisionOut(
        application_id=application.application_id,
        decision=application.decision,
        status=application.status,
    )


# --- the account ------------------------------------------------------------------------------


def me_out(account: Account, card: MembershipCard | None) -> MeOut:
    return MeOut(
        account_id=account.account_id,
        company=company_out(account.company),
        country=account.country,
        currency=account.currency,
        language=account.language,
        vat_number=account.vat_number,
        contact=ContactOut(name=account.contact_name, email=account.email, phone=account.phone),
        points=account.points,
        invited=account.invited,
        membership=membership_out(card) if card else None,
    )


# --- products, points and the catalogue -------------------------------------------------------


def product_out(registration: Registration) -> ProductOut:
    d = registration.details
    return ProductOut(
        product_id=registration.product_id,
        sku=registration.sku,
        name=registration.name,
        serial_number=d.serial_number,
        purchase_date=d.purchase_date,
        country_of_purchase=d.country_of_purchase,
        dealer=d.dealer,
        complete=registration.complete,
        missing=list(d.missing()),
        points=registration.points,
        source=registration.source,
        registered_at=registration.registered_at,
    )


def ledger_entry_out(entry: LedgerEntry) -> LedgerEntryOut:
    return LedgerEntryOut(
        entry_id=entry.entry_id,
        at=entry.at,
        delta=entry.delta,
        reason=entry.reason,
        product_id=entry.product_id,
    )


def catalog_item_out(entry: CatalogEntry) -> CatalogItemOut:
    product: CatalogProduct = entry.product
    return CatalogItemOut(
        sku=product.sku, name=product.name, category=product.category, points=entry.points
    )


# --- legacy CPS -------------------------------------------------------------------------------


def legacy_import_out(report: ImportReport, report_url: str | None) -> LegacyImportOut:
    return LegacyImportOut(
        import_id=report.import_id,
        status=report.status,
        rows=report.rows,
        imported=report.imported,
        rejected=report.rejected,
        rejections=[RejectedRowOut(line=r.line, reason=r.reason) for r in report.rejections],
        failure_reason=report.failure_reason,
        report_url=report_url,
    )


def _legacy_fields(listing: LegacyListing) -> dict[str, object]:
    d = listing.product.details
    return {
        "sku": listing.product.sku,
        "name": listing.name,
        "serial_number": d.serial_number,
        "purchase_date": d.purchase_date,
        "country_of_purchase": d.country_of_purchase,
        "dealer": d.dealer,
        "complete": not d.missing(),
    }


def migration_status_out(status: MigrationStatus) -> MigrationStatusOut:
    return MigrationStatusOut(
        available=status.available,
        confirmation=status.confirmation,
        migrated=status.migrated,
        legacy_products=[
            LegacyProductOut.model_validate(_legacy_fields(p)) for p in status.legacy_products
        ],
    )


def migration_out(result: MigrationResult) -> MigrationOut:
    return MigrationOut(
        migrated=result.migrated,
        points_added=result.points_added,
        skipped=[
            SkippedProductOut.model_validate({**_legacy_fields(s.listing), "reason": s.reason})
            for s in result.skipped
        ],
        already_migrated=result.already_migrated,
    )


# --- membership ---------------------------------------------------------------------------------


def tiers_out(chart: TierChart) -> TiersOut:
    return TiersOut(
        points=chart.points,
        corporate_available=chart.corporate_available,
        currency=chart.currency,
        tiers=[
            TierOut(
                tier=option.tier.tier,
                name=option.tier.name,
                family=option.tier.family,
                min_points=option.tier.min_points,
                max_points=option.tier.max_points,
                annual_fee=money_out(option.annual_fee),
                eligible=option.eligible,
            )
            for option in chart.tiers
        ],
    )


def quote_out(quote: Quote) -> QuoteOut:
    line = quote.line
    return QuoteOut(
        tier=quote.tier.tier,
        name=quote.tier.name,
        price_excl_vat=money_out(line.net),
        vat_rate=rate_out(line.rate),
        vat_amount=money_out(line.vat),
        total=money_out(line.total),
        vat_treatment=line.treatment,
        vat_note=line.note,
        subscription_type=quote.subscription_type,
        terms_version=quote.terms_version,
    )


def membership_out(card: MembershipCard) -> MembershipOut:
    m: Membership = card.membership
    renewal = card.renewal
    return MembershipOut(
        membership_number=m.membership_number,
        tier=m.tier,
        name=card.tier.name,
        status=m.status,
        starts_on=m.starts_on,
        expires_on=m.expires_on,
        term=m.term,
        auto_renew=m.auto_renew,
        subscription_type=m.subscription_type,
        payment_method=m.payment_method,
        renewal_tier=m.renewal_tier,
        renewal=(
            RenewalOut(
                on=renewal.on,
                tier=renewal.tier.tier,
                price_excl_vat=money_out(renewal.price_excl_vat),
                invoiced=renewal.invoiced,
            )
            if renewal
            else None
        ),
        history=[
            HistoryEntryOut(at=e.at, event=e.event, detail=e.detail, by=e.by) for e in m.history
        ],
    )


def checkout_out(purchase: Purchase) -> CheckoutOut:
    return CheckoutOut(
        membership=membership_out(purchase.card),
        invoice=OrderedInvoiceOut(status="PENDING"),
        quote=quote_out(purchase.quote),
    )


def upgrade_out(result: UpgradeResult) -> UpgradeOut:
    return UpgradeOut(
        membership=membership_out(result.card),
        invoice=UpgradeInvoiceOut(status="PENDING", net=money_out(result.net)),
    )


# --- invoices -----------------------------------------------------------------------------------


def _invoice_fields(view: InvoiceView) -> dict[str, object]:
    i = view.invoice
    bank = i.bank_details
    return {
        "invoice_number": i.invoice_number,
        "kind": i.kind,
        "purpose": i.purpose,
        "issued_on": i.issued_on,
        "due_on": i.due_on,
        "status": view.status,
        "days_overdue": view.days_overdue,
        "period": (
            PeriodOut(from_=i.period_from, to=i.period_to)
            if i.period_from and i.period_to
            else None
        ),
        "credit_note_for": i.credit_note_for,
        "cancelled_by": i.cancelled_by,
        "net": money_out(i.net),
        "vat_rate": rate_out(i.vat_rate),
        "vat": money_out(i.vat),
        "total": money_out(i.total),
        "vat_note": i.vat_note,
        "purchase_order_number": i.purchase_order_number,
        "payment_method": i.payment_method,
        "payment_note": i.payment_note,
        "membership_number": i.membership_number,
        "description": i.description,
        "paid_on": i.paid_on,
        "bank_details": (
            BankDetailsOut(
                beneficiary=bank.beneficiary, iban=bank.iban, bic=bank.bic, reference=bank.reference
            )
            if bank
            else None
        ),
        "pdf_url": view.pdf_url,
    }


def invoice_out(view: InvoiceView) -> InvoiceOut:
    return InvoiceOut.model_validate(_invoice_fields(view))


def receivable_out(view: InvoiceView) -> ReceivableOut:
    return ReceivableOut.model_validate(
        {
            **_invoice_fields(view),
            "account_id": view.invoice.account_id,
            "company": view.invoice.buyer.name,
        }
    )
