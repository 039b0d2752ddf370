"""The seller: the party that issues every invoice (configured per deployment).

A module of its own, importing only `re`, because the settings build it at every cold start.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

# A Dutch address as the seller's is written on one line: "Bovenkerkerweg 59, 1185 XB Amstelveen"
# (street and number, then the postcode, four digits and two letters, and the city). The country
# is not part of it: the invoice names it in the customer's language.
DUTCH_ADDRESS = re.compile(
    r"(?P<street>[^,\n]+), (?P<postcode>[1-9][0-9]{3} ?[A-Z]{2}) (?P<city>[^,\n]+)"
)


@dataclass(frozen=True)
class Seller:
    name: str
    address: str
    country: str
    vat_number: str
    iban: str
    bic: str
    # The Dutch Chamber of Commerce (KvK) number, which Dutch law requires on invoices; the
    # legal registration identifier of EN 16931 (BT-30).
    kvk_number: str = ""
    contact_email: str = ""  # where invoices tell customers to reach CPS support

    @property
    def postal_address(self) -> tuple[str, str, str]:
        """(street, postcode, city) of `address`; a form it does not recognise is the street."""
        match = DUTCH_ADDRESS.fullmatch(self.address.strip())
        if match is None:
            return self.address.strip(), "", ""
        return match["street"].strip(), match["postcode"], match["city"].strip()
