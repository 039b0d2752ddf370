"""Invoices and credit notes, each kind numbered per year without gaps: the number, the document
and the order's "invoiced" mark are written in one transaction, so a number is never spent
without a document and an order is never invoiced twice. Open invoices sit in the sparse
collection index until their last collection step; finance reads the receivables index."""

from __future__ import annotations

import json
from collections.abc import Iterator
from dataclasses import asdict, replace
from datetime import date
from decimal import Decimal
from typing import Any

from pynamodb.exceptions import PutError, QueryError, TransactWriteError
from pynamodb.transactions import TransactWrite

from chalicelib.adapters.dynamo.conditions import is_condition_failure
from chalicelib.adapters.dynamo.connection import connection
from chalicelib.adapters.dynamo.cursor import InvalidCursor, decode_cursor, encode_cursor
from chalicelib.adapters.dynamo.models import (
    CounterModel,
    InvoiceModel,
    PurchaseInvoiceModel,
    bind,
)
from chalicelib.adapters.dynamo.shards import earliest, shard_of, shards
from chalicelib.domain.collection import next_step_on
from chalicelib.domain.invoices import (
    BankDetails,
    Invoice,
    InvoiceKind,
    InvoicePurpose,
    InvoiceStatus,
    Party,
    credit_note_number,
    invoice_number,
)
from chalicelib.domain.membership import PaymentMethod
from chalicelib.domain.money import Money
from chalicelib.services.ports import Page, StaleState

MAX_ATTEMPTS = 10
# Kept with the item, not in the issued document: they change during the invoice's life.
_MUTABLE = (
    "status",
    "paid_on",
    "payment_reference",
    "pdf_available",
    "cancelled_by",
    "collection_done",
    "version",
)


def _document(invoice: Invoice) -> str:
    def plain(value: Any) -> Any:
        if isinstance(value, Decimal):
            return str(value)
        if isinstance(value, date):
            return value.isoformat()
        if isinstance(value, dict):
            return {k: plain(v) for k, v in value.items()}
        return value

    issued = {k: v for k, v in asdict(invoice).items() if k not in _MUTABLE}
    return json.dumps(plain(issued), sort_keys=True)


def _money(data: dict[str, str]) -> Money:
    return Money(Decimal(data["amount"]), data["currency"])


def _day(value: str | None) -> date | None:
    return date.fromisoformat(value) if value else None


def _from_item(item: InvoiceModel) -> Invoice:
    d = json.loads(item.document)
    bank = d.get("bank_details")
    return Invoice(
        invoice_number=d["invoice_number"],
        account_id=d["account_id"],
        purchase_id=d["purchase_id"],
        issued_on=date.fromisoformat(d["issued_on"]),
        due_on=date.fromisoformat(d["due_on"]),
        seller=Party(**d["seller"]),
        buyer=Party(**d["buyer"]),
        description=d["description"],
        net=_money(d["net"]),
        vat_rate=Decimal(d["vat_rate"]),
        vat=_money(d["vat"]),
        total=_money(d["total"]),
        vat_note=d["vat_note"],
        purchase_order_number=d["purchase_order_number"],
        payment_method=PaymentMethod(d["payment_method"]),
        bank_details=BankDetails(**bank) if bank else None,
        membership_number=d["membership_number"],
        language=d["language"],
        kind=InvoiceKind(d.get("kind", InvoiceKind.INVOICE.value)),
        purpose=InvoicePurpose(d.get("purpose", InvoicePurpose.PURCHASE.value)),
        membership_id=d.get("membership_id", ""),
        period_from=_day(d.get("period_from")),
        period_to=_day(d.get("period_to")),
        credit_note_for=d.get("credit_note_for"),
        status=InvoiceStatus(item.status),
        paid_on=_day(item.paid_on),
        payment_reference=item.payment_reference,
        pdf_available=bool(item.pdf_available),
        cancelled_by=item.cancelled_by,
        collection_done=frozenset(item.collection_done or ()),
        version=int(item.version or 0),
    )


def _item(invoice: Invoice, version: int, model: type[InvoiceModel] = InvoiceModel) -> InvoiceModel:
    next_on = (
        next_step_on(invoice.payment_method, invoice.due_on, invoice.collection_done)
        if invoice.is_open
        else None
    )
    return model(
        invoice_number=invoice.invoice_number,
        account_id=invoice.account_id,
        purchase_id=invoice.purchase_id,
        issued_on=invoice.issued_on.isoformat(),
        document=_document(invoice),
        status=invoice.status.value,
        paid_on=invoice.paid_on.isoformat() if invoice.paid_on else None,
        payment_reference=invoice.payment_reference,
        pdf_available=invoice.pdf_available,
        membership_id=invoice.membership_id or None,
        company_name=invoice.buyer.name,
        due_on=invoice.due_on.isoformat(),
        cancelled_by=invoice.cancelled_by,
        collection_done=sorted(invoice.collection_done) or None,
        version=version,
        collect_shard=shard_of(invoice.invoice_number) if next_on else None,
        collect_on=next_on.isoformat() if next_on else None,
        receivable_status=(invoice.status.value if invoice.kind is InvoiceKind.INVOICE else None),
    )


class DynamoInvoiceRepository:
    def __init__(self, region: str, *, invoices: str, counters: str) -> None:
        self._connection = connection(region)
        self._invoices = bind(InvoiceModel, invoices, region)
        self._counters = bind(CounterModel, counters, region)
        self._marks = bind(PurchaseInvoiceModel, counters, region)

    def issue(self, draft: Invoice) -> Invoice:
        """Gives the draft its kind's next number of the year and stores it; returns the order's
        document as issued (the existing one when this order was invoiced already)."""
        credit = draft.kind is InvoiceKind.CREDIT_NOTE
        year = draft.issued_on.year
        counter_key = f"{'credit-note' if credit else 'invoice'}#{year}"
        number = credit_note_number if credit else invoice_number
        for _ in range(MAX_ATTEMPTS):
            existing = self.for_purchase(draft.purchase_id)
            if existing is not None:
                return existing
            try:
                current = int(self._counters.get(counter_key, consistent_read=True).value)
            except CounterModel.DoesNotExist:
                current = 0
            invoice = draft.numbered(number(year, current + 1))
            try:
                with TransactWrite(connection=self._connection) as tx:
                    tx.update(
                        self._counters(counter=counter_key),
                        actions=[CounterModel.value.set(current + 1)],
                        condition=(
                            CounterModel.value == current
                            if current
                            else CounterModel.counter.does_not_exist()
                        ),
                    )
                    tx.save(
                        self._marks(
                            counter=f"purchase#{draft.purchase_id}",
                            invoice_number=invoice.invoice_number,
                        ),
                        condition=PurchaseInvoiceModel.counter.does_not_exist(),
                    )
                    tx.save(
                        _item(invoice, 1, self._invoices),
                        condition=InvoiceModel.invoice_number.does_not_exist(),
                    )
            except TransactWriteError:
                continue  # another document took the number, or this order was invoiced
            return replace(invoice, version=1)
        raise RuntimeError("could not number the invoice: too much contention")

    def for_purchase(self, purchase_id: str) -> Invoice | None:
        try:
            mark = self._marks.get(f"purchase#{purchase_id}", consistent_read=True)
        except PurchaseInvoiceModel.DoesNotExist:
            return None
        return self.get(mark.invoice_number)

    def get(self, number: str) -> Invoice | None:
        try:
            return _from_item(self._invoices.get(number, consistent_read=True))
        except InvoiceModel.DoesNotExist:
            return None

    def list_for(self, account_id: str, limit: int, cursor: str | None) -> Page:
        key = decode_cursor(cursor, partition=("account_id", account_id))
        results = self._invoices.account_index.query(
            account_id, limit=limit, scan_index_forward=False, last_evaluated_key=key
        )
        try:
            items = [_from_item(i) for i in results]
        except QueryError as exc:
            raise InvalidCursor("The cursor is not valid.", fields={"cursor": "invalid"}) from exc
        return Page(items, encode_cursor(results.last_evaluated_key))

    def open_for(self, account_id: str, membership_id: str) -> list[Invoice]:
        """The membership's unpaid invoices (an account has a handful of invoices a year)."""
        results = self._invoices.account_index.query(
            account_id,
            filter_condition=(InvoiceModel.membership_id == membership_id)
            & (InvoiceModel.receivable_status == InvoiceStatus.ISSUED.value),
        )
        return [_from_item(i) for i in results]

    def save(self, invoice: Invoice) -> Invoice:
        """Optimistic: raises StaleState when the invoice changed since it was read."""
        version = invoice.version + 1
        try:
            _item(invoice, version, self._invoices).save(
                condition=InvoiceModel.version == invoice.version
            )
        except PutError as exc:
            if is_condition_failure(exc):
                raise StaleState(f"invoice {invoice.invoice_number} changed") from exc
            raise
        return replace(invoice, version=version)

    def mark_pdf_available(self, number: str) -> None:
        self._invoices(invoice_number=number).update(
            actions=[InvoiceModel.pdf_available.set(True)],
            condition=InvoiceModel.invoice_number.exists(),
        )

    def due(self, today: date) -> Iterator[str]:
        """Numbers of the invoices with a collection step due by `today`."""
        for shard in shards():
            for item in self._invoices.collection_index.query(
                shard, InvoiceModel.collect_on <= today.isoformat()
            ):
                yield item.invoice_number

    def earliest_due(self) -> date | None:
        return earliest(self._invoices.collection_index, InvoiceModel.collect_on)

    def receivables(
        self, status: InvoiceStatus, today: date, limit: int, cursor: str | None
    ) -> Page:
        """Finance's view: OVERDUE is ISSUED with a due date before today, ISSUED the rest."""
        stored = InvoiceStatus.ISSUED if status is InvoiceStatus.OVERDUE else status
        condition = None
        if status is InvoiceStatus.OVERDUE:
            condition = InvoiceModel.due_on < today.isoformat()
        elif status is InvoiceStatus.ISSUED:
            condition = InvoiceModel.due_on >= today.isoformat()
        results = self._invoices.receivables_index.query(
            stored.value,
            condition,
            limit=limit,
            last_evaluated_key=decode_cursor(cursor, partition=("receivable_status", stored.value)),
        )
        try:
            items = [_from_item(i) for i in results]
        except QueryError as exc:
            raise InvalidCursor("The cursor is not valid.", fields={"cursor": "invalid"}) from exc
        return Page(items, encode_cursor(results.last_evaluated_key))
