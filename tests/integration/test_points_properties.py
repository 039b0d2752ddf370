"""Property: whatever customers do, balance == sum(ledger) and each serial has one owner."""

from __future__ import annotations

import contextlib
from datetime import date
from typing import Any

from hypothesis import HealthCheck, settings
from hypothesis import strategies as st
from hypothesis.stateful import RuleBasedStateMachine, invariant, precondition, rule
from moto import mock_aws

from chalicelib.domain.errors import SerialTaken
from chalicelib.domain.legacy import LegacyProduct, row_key
from chalicelib.domain.products import ProductDetails, Source
from local_runtime.atomic_dynamodb import make_dynamodb_writes_atomic
from tests.support.products_world import ProductsWorld, build_world

SKUS = ["EOS-R1-BODY", "EOS-R5-MARK-II-BODY", "RF-24-70-F2.8L-IS-USM", "SPEEDLITE-EL-1"]
SERIALS = ["S1", "S2", "S3"]  # few serials, so claims collide often
BOUGHT = date(2024, 1, 15)


_shared: dict[str, Any] = {}


def _world() -> ProductsWorld:
    """One moto world for the module (tables and catalogue are costly); examples stay apart by
    using fresh accounts and their own serial numbers."""
    if not _shared:
        make_dynamodb_writes_atomic()
        _shared["mock"] = mock_aws()
        _shared["mock"].start()
        _shared["world"] = build_world()
    return _shared["world"]


def teardown_module() -> None:
    if _shared:
        _shared.pop("mock").stop()
        _shared.clear()


class Customers(RuleBasedStateMachine):
    def __init__(self) -> None:
        super().__init__()
        self.world = _world()
        self.accounts = [self.world.new_account() for _ in range(2)]
        self.prefix = self.accounts[0][-6:].upper()
        self.products: list[tuple[str, str]] = []  # (account, product_id)

    def _serial(self, serial: str | None) -> str | None:
        return f"{self.prefix}{serial}" if serial else None

    @rule(
        who=st.integers(0, 1),
        sku=st.sampled_from(SKUS),
        serial=st.sampled_from([*SERIALS, None]),
        complete=st.booleans(),
        migrated=st.booleans(),
    )
    def register(
        self, who: int, sku: str, serial: str | None, complete: bool, migrated: bool
    ) -> None:
        serial = self._serial(serial)
        details = (
            ProductDetails(serial, BOUGHT, "NL", "Dealer") if complete else ProductDetails(serial)
        )
        account = self.accounts[who]
        try:
            registration = self.world.service.register(
                account, sku, details, source=Source.MIGRATED if migrated else Source.REGISTERED
            )
        except SerialTaken:
            return
        self.products.append((account, registration.product_id))

    @precondition(lambda self: self.products)
    @rule(index=st.integers(0, 50), serial=st.sampled_from([*SERIALS, None]))
    def complete(self, index: int, serial: str | None) -> None:
        account, product_id = self.products[index % len(self.products)]
        with contextlib.suppress(SerialTaken):
            self.world.service.correct(
                account, product_id, ProductDetails(self._serial(serial), BOUGHT, "DE", "Calumet")
            )

    @rule(
        who=st.integers(0, 1),
        rows=st.lists(
            st.tuples(st.sampled_from(SKUS), st.sampled_from([*SERIALS, None]), st.booleans()),
            max_size=3,
        ),
    )
    def migrate(self, who: int, rows: list[tuple[str, str | None, bool]]) -> None:
        """The old system held some products for this account's old e-mail; migrate them."""
        account = self.accounts[who]
        old_email = f"{account}@old-cps.example"
        self.world.legacy.save_products(
            LegacyProduct(
                old_email,
                row_key(sku, details),
                sku,
                details,
            )
            for sku, serial, complete in rows
            for details in [
                ProductDetails(self._serial(serial), BOUGHT, "LV", "Dealer")
                if complete
                else ProductDetails(self._serial(serial))
            ]
        )
        self.world.migration.migrate(account)
        self.products = [(a, p.product_id) for a in self.accounts for p in self.world.products(a)]

    @precondition(lambda self: self.products)
    @rule(index=st.integers(0, 50))
    def remove(self, index: int) -> None:
        account, product_id = self.products.pop(index % len(self.products))
        self.world.service.remove(account, product_id)

    @invariant()
    def balance_equals_the_ledger(self) -> None:
        for account in self.accounts:
            assert self.world.balance(account) == self.world.ledger_sum(account)

    @invariant()
    def points_held_equal_points_of_registrations(self) -> None:
        for account in self.accounts:
            held = sum(int(p.points) for p in self.world.products(account))
            assert held == self.world.balance(account)

    @invariant()
    def each_serial_is_claimed_by_the_registration_that_has_it(self) -> None:
        claims = {k: v for k, v in self.world.claims().items() if v in self.accounts}
        registered = [
            f"{p.sku}#{p.serial_number}"
            for account in self.accounts
            for p in self.world.products(account)
            if p.serial_number
        ]
        assert len(registered) == len(set(registered))  # one owner per physical product
        assert set(registered) == set(claims)


Customers.TestCase.settings = settings(
    max_examples=20,
    stateful_step_count=12,
    deadline=None,
    suppress_health_check=[HealthCheck.too_slow],
)
TestCustomers = Customers.TestCase
