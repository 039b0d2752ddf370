"""Invoice PDFs (SPEC §4): one A4 page in the customer's language, deterministic bytes."""

from chalicelib.invoice_pdf.render import render_invoice_pdf

__all__ = ["render_invoice_pdf"]
