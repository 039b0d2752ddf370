"""The invoice's words and number formats in each customer language (SPEC §1: en, nl, de, da, lv).

One `Labels` per language: the printed labels, the payment and VAT sentences, and how the
language writes dates, amounts and percentages. An unknown language falls back to English: an
invoice must still be issued. Amounts follow each language's own convention (CLDR): "€102.85"
(en), "€ 102,85" (nl), "102,85 €" (de, da, lv); £ for GBP, the ISO code for anything else.
"""

from __future__ import annotations

import gettext
from dataclasses import dataclass
from datetime import date
from decimal import ROUND_HALF_UP, Decimal
from functools import cache
from types import MappingProxyType
from typing import Final

import pycountry

from chalicelib.domain.money import Money
from chalicelib.domain.vat_rates import INVOICE_NOTES, VatTreatment

__all__ = ["DEFAULT_LANGUAGE", "LABELS", "Labels", "labels_for"]

DEFAULT_LANGUAGE: Final = "en"

CURRENCY_SIGNS: Final = MappingProxyType({"EUR": "€", "GBP": "£"})

_ENGLISH_MONTHS: Final = (
    "January",
    "February",
    "March",
    "April",
    "May",
    "June",
    "July",
    "August",
    "September",
    "October",
    "November",
    "December",
)

# The domain writes the VAT note in English (vat_rates.INVOICE_NOTES); the PDF translates it.
_REVERSE_CHARGE_NOTE: Final = INVOICE_NOTES[VatTreatment.REVERSE_CHARGE]
_OUTSIDE_EU_NOTE: Final = INVOICE_NOTES[VatTreatment.OUTSIDE_EU]

_NBSP: Final = "\u00a0"


@dataclass(frozen=True)
class Labels:
    language: str
    # Headings and field labels
    title: str
    credit_note: str  # the title of a credit note
    invoice_number: str
    issue_date: str
    due_date: str
    membership_number: str
    po_number: str
    vat_number: str
    kvk_number: str  # the seller's Chamber of Commerce number (Dutch law)
    support: str  # the seller's support contact
    bill_to: str
    description: str
    period: str
    amount: str
    subtotal: str
    vat: str
    total: str
    currency: str
    payment: str
    payment_method: str
    card: str
    bank_transfer: str
    beneficiary: str
    iban: str
    bic: str
    reference: str
    membership: str
    # Sentences: card_note takes {due}; bank_note takes {due} and {reference}
    card_note: str
    bank_note: str
    reverse_charge_note: str
    outside_eu_note: str
    # Number and date conventions
    decimal_separator: str
    group_separator: str
    group_from: int  # the smallest absolute amount written with group separators
    sign_before: bool  # "€ 1" / "€1" (True) or "1 €" (False)
    sign_space: bool  # a space between the currency sign and the number
    percent_space: bool  # "21 %" (True) or "21%" (False)
    date_pattern: str  # strftime-free: {d} {m} {y} {month} (English month name)

    # --- formatting -------------------------------------------------------------------------

    def number(self, value: Decimal, places: int = 2) -> str:
        """1234.5 → "1,234.50" (en), "1.234,50" (nl, de, da), "1234,50" (lv below 10 000)."""
        rounded = value.quantize(Decimal(1).scaleb(-places), rounding=ROUND_HALF_UP)
        magnitude = abs(rounded)
        grouping = "," if magnitude >= self.group_from else ""
        plain = f"{magnitude:{grouping}.{places}f}"
        text = (
            plain.replace(",", "\x00")
            .replace(".", self.decimal_separator)
            .replace("\x00", self.group_separator)
        )
        return f"-{text}" if rounded < 0 else text

    def money(self, money: Money) -> str:
        sign = CURRENCY_SIGNS.get(money.currency)
        number = self.number(abs(money.amount))
        minus = "-" if money.amount < 0 else ""
        if sign is None:  # an ISO code always stands apart from the number
            return (
                f"{minus}{money.currency} {number}"
                if self.sign_before
                else f"{minus}{number} {money.currency}"
            )
        space = " " if self.sign_space else ""
        if self.sign_before:
            return f"{minus}{sign}{space}{number}"
        return f"{minus}{number}{space}{sign}"

    def percent(self, rate: Decimal) -> str:
        """Decimal("0.21") → "21%" (en, nl, lv) or "21 %" (de, da); 0.055 → "5,5 %" (de)."""
        text = f"{(rate * 100).quantize(Decimal('0.01'), rounding=ROUND_HALF_UP):f}"
        if "." in text:
            text = text.rstrip("0").rstrip(".")
        text = text.replace(".", self.decimal_separator)
        return f"{text} %" if self.percent_space else f"{text}%"

    def date(self, value: date) -> str:
        return self.date_pattern.format(
            d=f"{value.day:02d}",
            day=value.day,
            m=f"{value.month:02d}",
            y=f"{value.year:04d}",
            month=_ENGLISH_MONTHS[value.month - 1],
        )

    def vat_note(self, note: str | None) -> str | None:
        """The domain's English VAT note in this language; an unknown note is printed as is."""
        if note is None:
            return None
        if note == _REVERSE_CHARGE_NOTE:
            return self.reverse_charge_note
        if note == _OUTSIDE_EU_NOTE:
            return self.outside_eu_note
        return note

    def country(self, code: str) -> str:
        """The country's name in this language ("DE" → "Deutschland"), the code if unknown."""
        return _country_name(code.strip().upper(), self.language)


@cache
def _country_name(code: str, language: str) -> str:
    entry = pycountry.countries.get(alpha_2=code)
    if entry is None:
        return code
    if language == DEFAULT_LANGUAGE:
        return str(getattr(entry, "common_name", None) or entry.name)
    translation = gettext.translation(
        "iso3166-1", pycountry.LOCALES_DIR, languages=[language], fallback=True
    )
    return translation.gettext(str(entry.name))


_EN = Labels(
    language="en",
    title="Invoice",
    credit_note="Credit note",
    invoice_number="Invoice number",
    issue_date="Invoice date",
    due_date="Due date",
    membership_number="Membership number",
    po_number="Purchase order number",
    vat_number="VAT number",
    kvk_number="Chamber of Commerce (KvK) no.",
    support="Support",
    bill_to="Bill to",
    description="Description",
    period="Period",
    amount="Amount",
    subtotal="Subtotal excl. VAT",
    vat="VAT",
    total="Total",
    currency="Currency",
    payment="Payment",
    payment_method="Payment method",
    card="Credit card",
    bank_transfer="Bank transfer",
    beneficiary="Beneficiary",
    iban="IBAN",
    bic="BIC",
    reference="Payment reference",
    membership="membership",
    card_note=(
        "Your card will be charged on the due date, {due}; it was authorised for a zero amount "
        "at purchase."
    ),
    bank_note=(
        "Please pay by bank transfer by {due}, quoting reference {reference}. Additional bank "
        "charges may apply."
    ),
    reverse_charge_note=_REVERSE_CHARGE_NOTE or "",
    outside_eu_note=_OUTSIDE_EU_NOTE or "",
    decimal_separator=".",
    group_separator=",",
    group_from=1000,
    sign_before=True,
    sign_space=False,
    percent_space=False,
    date_pattern="{day} {month} {y}",
)

_NL = Labels(
    language="nl",
    title="Factuur",
    credit_note="Creditnota",
    invoice_number="Factuurnummer",
    issue_date="Factuurdatum",
    due_date="Vervaldatum",
    membership_number="Lidmaatschapsnummer",
    po_number="Inkoopordernummer",
    vat_number="BTW-nummer",
    kvk_number="KvK-nummer",
    support="Klantenservice",
    bill_to="Factuur aan",
    description="Omschrijving",
    period="Periode",
    amount="Bedrag",
    subtotal="Subtotaal excl. BTW",
    vat="BTW",
    total="Totaal",
    currency="Valuta",
    payment="Betaling",
    payment_method="Betaalwijze",
    card="Creditcard",
    bank_transfer="Bankoverschrijving",
    beneficiary="Begunstigde",
    iban="IBAN",
    bic="BIC",
    reference="Betalingskenmerk",
    membership="lidmaatschap",
    card_note=(
        "Het bedrag wordt op de vervaldatum, {due}, van uw creditcard afgeschreven; bij de "
        "aankoop is uw kaart geautoriseerd voor een bedrag van nul."
    ),
    bank_note=(
        "Gelieve uiterlijk {due} per bankoverschrijving te betalen onder vermelding van "
        "betalingskenmerk {reference}. Er kunnen extra bankkosten in rekening worden gebracht."
    ),
    reverse_charge_note="BTW verlegd (artikel 196, Richtlijn 2006/112/EG van de Raad)",
    outside_eu_note="Buiten de werkingssfeer van de EU-BTW",
    decimal_separator=",",
    group_separator=".",
    group_from=1000,
    sign_before=True,
    sign_space=True,
    percent_space=False,
    date_pattern="{d}-{m}-{y}",
)

_DE = Labels(
    language="de",
    title="Rechnung",
    credit_note="Gutschrift",
    invoice_number="Rechnungsnummer",
    issue_date="Rechnungsdatum",
    due_date="Fälligkeitsdatum",
    membership_number="Mitgliedsnummer",
    po_number="Bestellnummer",
    vat_number="USt-IdNr.",
    kvk_number="Handelsregister (KvK)",
    support="Kundenservice",
    bill_to="Rechnungsempfänger",
    description="Beschreibung",
    period="Zeitraum",
    amount="Betrag",
    subtotal="Nettobetrag",
    vat="MwSt.",
    total="Gesamtbetrag",
    currency="Währung",
    payment="Zahlung",
    payment_method="Zahlungsart",
    card="Kreditkarte",
    bank_transfer="Banküberweisung",
    beneficiary="Empfänger",
    iban="IBAN",
    bic="BIC",
    reference="Verwendungszweck",
    membership="Mitgliedschaft",
    card_note=(
        "Ihre Kreditkarte wird am Fälligkeitsdatum, dem {due}, belastet; beim Kauf wurde sie "
        "für einen Betrag von null autorisiert."
    ),
    bank_note=(
        "Bitte überweisen Sie den Betrag bis zum {due} unter Angabe des Verwendungszwecks "
        "{reference}. Zusätzliche Bankgebühren können anfallen."
    ),
    reverse_charge_note=(
        "Steuerschuldnerschaft des Leistungsempfängers (Artikel 196, Richtlinie 2006/112/EG "
        "des Rates)"
    ),
    outside_eu_note="Nicht im Anwendungsbereich der EU-Mehrwertsteuer",
    decimal_separator=",",
    group_separator=".",
    group_from=1000,
    sign_before=False,
    sign_space=True,
    percent_space=True,
    date_pattern="{d}.{m}.{y}",
)

_DA = Labels(
    language="da",
    title="Faktura",
    credit_note="Kreditnota",
    invoice_number="Fakturanummer",
    issue_date="Fakturadato",
    due_date="Forfaldsdato",
    membership_number="Medlemsnummer",
    po_number="Indkøbsordrenummer",
    vat_number="Momsnummer",
    kvk_number="Handelsregister (KvK)",
    support="Kundeservice",
    bill_to="Faktureres til",
    description="Beskrivelse",
    period="Periode",
    amount="Beløb",
    subtotal="Subtotal ekskl. moms",
    vat="Moms",
    total="I alt",
    currency="Valuta",
    payment="Betaling",
    payment_method="Betalingsmetode",
    card="Kreditkort",
    bank_transfer="Bankoverførsel",
    beneficiary="Modtager",
    iban="IBAN",
    bic="BIC",
    reference="Betalingsreference",
    membership="medlemskab",
    card_note=(
        "Dit kort debiteres på forfaldsdatoen, {due}; ved købet blev det autoriseret med et "
        "beløb på nul."
    ),
    bank_note=(
        "Betal venligst via bankoverførsel senest {due} med angivelse af referencen "
        "{reference}. Der kan forekomme yderligere bankgebyrer."
    ),
    reverse_charge_note="Omvendt betalingspligt (artikel 196, Rådets direktiv 2006/112/EF)",
    outside_eu_note="Uden for EU-momsens anvendelsesområde",
    decimal_separator=",",
    group_separator=".",
    group_from=1000,
    sign_before=False,
    sign_space=True,
    percent_space=True,
    date_pattern="{d}.{m}.{y}",
)

_LV = Labels(
    language="lv",
    title="Rēķins",
    credit_note="Kredītrēķins",
    invoice_number="Rēķina numurs",
    issue_date="Rēķina datums",
    due_date="Apmaksas termiņš",
    membership_number="Dalības numurs",
    po_number="Pasūtījuma numurs",
    vat_number="PVN reģ. numurs",
    kvk_number="Komercreģistra (KvK) numurs",
    support="Klientu atbalsts",
    bill_to="Maksātājs",
    description="Apraksts",
    period="Periods",
    amount="Summa",
    subtotal="Summa bez PVN",
    vat="PVN",
    total="Kopā",
    currency="Valūta",
    payment="Maksājums",
    payment_method="Maksājuma veids",
    card="Kredītkarte",
    bank_transfer="Bankas pārskaitījums",
    beneficiary="Saņēmējs",
    iban="IBAN",
    bic="BIC",
    reference="Maksājuma atsauce",
    membership="dalība",
    card_note=(
        "Summa no Jūsu kartes tiks iekasēta apmaksas termiņā, {due}; pirkuma brīdī karte tika "
        "autorizēta par nulles summu."
    ),
    bank_note=(
        "Lūdzu, samaksājiet ar bankas pārskaitījumu līdz {due}, norādot atsauci {reference}. "
        "Var tikt piemērotas papildu bankas komisijas maksas."
    ),
    reverse_charge_note=("Nodokļa apgrieztā maksāšana (Padomes Direktīvas 2006/112/EK 196. pants)"),
    outside_eu_note="Neietilpst ES PVN piemērošanas jomā",
    decimal_separator=",",
    group_separator=_NBSP,
    group_from=10_000,
    sign_before=False,
    sign_space=True,
    percent_space=False,
    date_pattern="{d}.{m}.{y}.",
)

LABELS: Final = MappingProxyType({labels.language: labels for labels in (_EN, _NL, _DE, _DA, _LV)})


def labels_for(language: str) -> Labels:
    return LABELS.get((language or "").strip().lower(), LABELS[DEFAULT_LANGUAGE])
