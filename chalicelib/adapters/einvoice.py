"""EInvoicing (services/ports.py) on the field's libraries: the CII and UBL serialisers, the
offline validator (XSD and EN 16931 schematrons, einvoice_validation.py), and `factur-x` to
embed the CII in the PDF/A-3 invoice and write its XMP (PDF/A-3 and the Factur-X EN 16931
profile).

factur-x, lxml and saxonche come from the e-invoice Lambda layer (requirements-einvoice.txt),
attached to the invoices consumer only; they are imported on first use, so every other
function imports this module's callers without them.
"""

from __future__ import annotations

from chalicelib.adapters.einvoice_cii import cii_xml
from chalicelib.adapters.einvoice_ubl import ubl_xml
from chalicelib.adapters.einvoice_validation import RuleFailure, Syntax, validate
from chalicelib.domain.einvoice import EInvoice
from chalicelib.services.ports import EInvoiceFiles

FACTURX_FLAVOR = "factur-x"
FACTURX_LEVEL = "en16931"


class FacturXEInvoicing:
    def __init__(self) -> None:
        self.warnings: list[RuleFailure] = []  # of the last documents (none is expected)

    def documents(self, document: EInvoice) -> EInvoiceFiles:
        """Both documents, each validated (XSD, then the EN 16931 rules): a fatal failure
        raises EInvoiceRejected with the rule ids; warnings are kept in `warnings`."""
        cii, ubl = cii_xml(document), ubl_xml(document)
        ubl_syntax = Syntax.UBL_CREDIT_NOTE if document.is_credit_note else Syntax.UBL_INVOICE
        self.warnings = validate(cii, Syntax.CII, "CII") + validate(ubl, ubl_syntax, "UBL")
        return EInvoiceFiles(cii=cii, ubl=ubl)

    def factur_x(self, pdf: bytes, cii: bytes, document: EInvoice, language: str) -> bytes:
        """The PDF/A-3B invoice with `cii` embedded as factur-x.xml (AFRelationship Data, in
        the catalog's /AF) and the XMP of a Factur-X EN 16931 document. The CII was checked
        against its schema already (`documents`)."""
        from facturx import generate_from_binary

        kind = "Credit note" if document.is_credit_note else "Invoice"
        return bytes(
            generate_from_binary(
                pdf,
                cii,
                flavor=FACTURX_FLAVOR,
                level=FACTURX_LEVEL,
                check_xsd=False,
                pdf_metadata={
                    "author": document.seller.name,
                    "title": f"{document.seller.name}: {kind} {document.number}",
                    "subject": (
                        f"Factur-X {kind.lower()} {document.number} dated "
                        f"{document.issued_on.isoformat()} issued by {document.seller.name}"
                    ),
                },
                lang=language,
            )
        )
