"""Invoices, numbered per year without gaps: the number, the invoice and the purchase's
"invoiced" mark are written in one transaction, so a number is never spent without an
invoice and a purchase is never invoiced twice."""

from __future__ import annotations

import json
from dataclasses import asdict
from datetime import date
from decimal import Decimal
from typing import Any

from pynamodb.connection import Connection
from pynamodb.exceptions import QueryError, TransactWriteError
from pynamodb.transactions import TransactWrite

from chalicelib.adapters.dynamo.cursor import InvalidCursor, decode_cursor, encode_cursor
from chalicelib.adapters.dynamo.models import CounterModel, InvoiceModel, PurchaseInvoiceModel
from chalicelib.domain.invoices import BankDetails, Invoice, InvoiceStatus, Party, invoice_number
from chalicelib.domain.membership import PaymentMethod
from chalicelib.domain.money import Money
from chalicelib.services.ports import Page

MAX_ATTEMPTS = 10


def _document(invoice: Invoice) -> str:
    def plain(value: Any) -> Any:
        if isinstance(value, Decimal):
            return str(value)
        if isinstance(value, date):
            return value.isoformat()
        if isinstance(value, dict):
            return {k: plain(v) for k, v in value.items()}
        return value

    return json.dumps(plain(asdict(invoice)), sort_keys=True)


def _money(data: dict[str, str]) -> Money:
    return Money(Decimal(data["amount"]), data["currency"])


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
        status=InvoiceStatus(item.status),
        paid_on=date.fromisoformat(item.paid_on) if item.paid_on else None,
        payment_reference=item.payment_reference,
        pdf_available=bool(item.pdf_available),
    )


class DynamoInvoiceRepository:
    def __init__(self, region: str) -> None:
        self._connection = Connection(region=region)

    def issue(self, draft: Invoice) -> Invoice:
        """Gives the draft the year's next number and stores it; returns the purchase's invoice
        as issued (the existing one when this purchase was invoiced already)."""
        counter_key = f"invoice#{draft.issued_on.year}"
        for _ in range(MAX_ATTEMPTS):
            existing = self.for_purchase(draft.purchase_id)
            if existing is not None:
                return existing
            try:
                current = int(CounterModel.get(counter_key, consistent_read=True).value)
            except CounterModel.DoesNotExist:
                current = 0
            invoice = draft.numbered(invoice_number(draft.issued_on.year, current + 1))
            try:
                with TransactWrite(connection=self._connection) as tx:
                    tx.update(
                        CounterModel(counter=counter_key),
                        actions=[CounterModel.value.set(current + 1)],
                        condition=(
                            CounterModel.value == current
                            if current
                            else CounterModel.counter.does_not_exist()
                        ),
                    )
                    tx.save(
                        PurchaseInvoiceModel(
                            counter=f"purchase#{draft.purchase_id}",
                            invoice_number=invoice.invoice_number,
                        ),
                        condition=PurchaseInvoiceModel.counter.does_not_exist(),
                    )
                    tx.save(
                        InvoiceModel(
                            invoice_number=invoice.invoice_number,
                            account_id=invoice.account_id,
                            purchase_id=invoice.purchase_id,
                            issued_on=invoice.issued_on.isoformat(),
                            document=_document(invoice),
                            status=invoice.status.value,
                        ),
                        condition=InvoiceModel.invoice_number.does_not_exist(),
                    )
            except TransactWriteError:
                continue  # another invoice took the number, or this purchase was invoiced
            return invoice
        raise RuntimeError("could not number the invoice: too much contention")

    def for_purchase(self, purchase_id: str) -> Invoice | None:
        try:
            mark = PurchaseInvoiceModel.get(f"purchase#{purchase_id}", consistent_read=True)
        except PurchaseInvoiceModel.DoesNotExist:
            return None
        return self.get(mark.invoice_number)

    def get(self, number: str) -> Invoice | None:
        try:
            return _from_item(InvoiceModel.get(number, consistent_read=True))
        except InvoiceModel.DoesNotExist:
            return None

    def list_for(self, account_id: str, limit: int, cursor: str | None) -> Page:
        key = decode_cursor(cursor)
        results = InvoiceModel.account_index.query(
            account_id, limit=limit, scan_index_forward=False, last_evaluated_key=key
        )
        try:
            items = [_from_item(i) for i in results]
        except QueryError as exc:
            raise InvalidCursor("The cursor is not valid.", fields={"cursor": "invalid"}) from exc
        return Page(items, encode_cursor(results.last_evaluated_key))

    def record_payment(self, invoice: Invoice) -> None:
        InvoiceModel(invoice_number=invoice.invoice_number).update(
            actions=[
                InvoiceModel.status.set(invoice.status.value),
                InvoiceModel.paid_on.set(invoice.paid_on.isoformat() if invoice.paid_on else None),
                InvoiceModel.payment_reference.set(invoice.payment_reference),
            ],
            condition=InvoiceModel.status == InvoiceStatus.ISSUED.value,
        )

    def mark_pdf_available(self, number: str) -> None:
        InvoiceModel(invoice_number=number).update(
            actions=[InvoiceModel.pdf_available.set(True)],
            condition=InvoiceModel.invoice_number.exists(),
        )
