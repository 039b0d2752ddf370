"""The VIES client seen through the VatRegistry port."""

from __future__ import annotations

from chalicelib.adapters.vies import ViesClient, ViesUnavailable
from chalicelib.domain.errors import RetryableFailure


class ViesVatRegistry:
    def __init__(self, client: ViesClient) -> None:
        self._client = client

    def is_registered(self, canonical_vat: str) -> bool:
        try:
            return self._client.check(canonical_vat).valid
        except ViesUnavailable as exc:
            raise RetryableFailure("VIES cannot answer now.") from exc
