"""Registration, the green tick and the ledger on DynamoDB (moto): SPEC §2."""

from __future__ import annotations

import threading
from datetime import UTC, datetime

import pytest

from chalicelib.domain.errors import NotFound, SerialTaken, ValidationFailed
from chalicelib.domain.products import ProductDetails, normalise_serial
from tests.support.products_world import build_world

COMPLETE = ProductDetails("AB1234", datetime(2024, 5, 1).date(), "NL", "Kamera Express")
R5_MARK_II = "EOS-R5-MARK-II-BODY"  # 350 points
R1 = "EOS-R1-BODY"  # 600 points


@pytest.fixture
def world(aws):
    return build_world()


def test_a_complete_registration_earns_its_points_at_once(world):
    # GIVEN a new account
    account = world.new_account()
    # WHEN a product is registered with all four details
    registration = world.service.register(account, R5_MARK_II, COMPLETE)
    # THEN it has the green tick, its points, and the ledger agrees with the balance
    assert registration.complete and registration.points == 350
    assert world.balance(account) == 350 == world.ledger_sum(account)
    assert registration.details.serial_number == "AB1234"


def test_an_incomplete_registration_is_kept_without_points_until_completed(world):
    account = world.new_account()
    partial = world.service.register(account, R5_MARK_II, ProductDetails(serial_number="X1"))
    assert not partial.complete and partial.points == 0
    assert partial.details.missing() == ("purchase_date", "country_of_purchase", "dealer")
    assert world.balance(account) == 0 == world.ledger_sum(account)
    # WHEN the missing details are filled in
    completed = world.service.correct(
        account,
        partial.product_id,
        ProductDetails(
            purchase_date=COMPLETE.purchase_date, country_of_purchase="DE", dealer="Calumet"
        ),
    )
    # THEN the points arrive once
    assert completed.complete and completed.points == 350
    assert world.balance(account) == 350 == world.ledger_sum(account)
    # AND a further correction does not credit again
    world.service.correct(account, partial.product_id, ProductDetails(dealer="Foto Koch"))
    assert world.balance(account) == 350 == world.ledger_sum(account)


def test_removing_a_product_takes_its_points_back_and_frees_the_serial(world):
    account, other = world.new_account(), world.new_account()
    registration = world.service.register(account, R1, COMPLETE)
    world.service.remove(account, registration.product_id)
    assert world.balance(account) == 0 == world.ledger_sum(account)
    with pytest.raises(NotFound):
        world.service.get(account, registration.product_id)
    # THEN another account may now register that serial
    assert world.service.register(other, R1, COMPLETE).points == 600


def test_one_serial_one_account(world):
    first, second = world.new_account(), world.new_account()
    world.service.register(first, R5_MARK_II, COMPLETE)
    with pytest.raises(SerialTaken):
        world.service.register(
            second, R5_MARK_II, ProductDetails(serial_number=normalise_serial("ab 1234"))
        )
    # The same serial on another model is another physical product
    assert world.service.register(second, R1, COMPLETE).complete


def test_a_correction_to_a_taken_serial_is_refused_and_changes_nothing(world):
    first, second = world.new_account(), world.new_account()
    world.service.register(first, R1, COMPLETE)
    mine = world.service.register(second, R1, ProductDetails(serial_number="OTHER1"))
    with pytest.raises(SerialTaken):
        world.service.correct(second, mine.product_id, ProductDetails(serial_number="AB1234"))
    assert world.service.get(second, mine.product_id).details.serial_number == "OTHER1"


def test_another_accounts_product_is_not_found(world):
    owner, intruder = world.new_account(), world.new_account()
    registration = world.service.register(owner, R1, COMPLETE)
    for action in (
        lambda: world.service.get(intruder, registration.product_id),
        lambda: world.service.correct(
            intruder, registration.product_id, ProductDetails(dealer="x")
        ),
        lambda: world.service.remove(intruder, registration.product_id),
    ):
        with pytest.raises(NotFound):
            action()
    assert world.balance(owner) == 600


def test_an_unknown_sku_is_refused(world):
    with pytest.raises(ValidationFailed) as refused:
        world.service.register(world.new_account(), "EOS-NOPE", COMPLETE)
    assert "sku" in refused.value.fields


def test_a_new_points_value_applies_from_its_date_and_never_rewrites_allocations(aws):
    # GIVEN the EOS R5 earned 300 points until 2025-03-31 and 250 from 2025-04-01
    world = build_world(at=datetime(2025, 3, 31, 23, 0, tzinfo=UTC))
    account = world.new_account()
    before = world.service.register(account, "EOS-R5-BODY", COMPLETE)
    # WHEN the same model is registered after the change
    world.clock.set(datetime(2025, 4, 1, 0, 30, tzinfo=UTC))
    after = world.service.register(
        account,
        "EOS-R5-BODY",
        ProductDetails(
            "ZZ9",
            **{
                "purchase_date": COMPLETE.purchase_date,
                "country_of_purchase": "BE",
                "dealer": "Boonen",
            },
        ),
    )
    # THEN each keeps the value in force when it was allocated
    assert (before.points, after.points) == (300, 250)
    assert world.service.get(account, before.product_id).points == 300
    assert world.balance(account) == 550 == world.ledger_sum(account)


def test_a_future_value_does_not_apply_today(world):
    # The EOS-1D X Mark III drops to 350 points on 2027-01-01; today is 2026-11-22
    registration = world.service.register(world.new_account(), "EOS-1D-X-MARK-III-BODY", COMPLETE)
    assert registration.points == 500


def test_reaching_500_points_invites_once(world):
    account = world.new_account()
    world.service.register(account, R5_MARK_II, COMPLETE)  # 350
    assert world.outbox.sent == []
    lens = world.service.register(
        account, "RF-24-70-F2.8L-IS-USM", ProductDetails("L1", COMPLETE.purchase_date, "NL", "X")
    )  # 550
    invitations = [m for m in world.outbox.sent if m.template == "cps_invitation"]
    assert len(invitations) == 1 and invitations[0].language == "nl"
    assert world.accounts.get(account).invited  # type: ignore[union-attr]
    # WHEN the balance drops below 500 and rises again
    world.service.remove(account, lens.product_id)
    world.service.register(
        account, "RF-24-70-F2.8L-IS-USM", ProductDetails("L2", COMPLETE.purchase_date, "NL", "X")
    )
    # THEN no second invitation is sent
    assert len([m for m in world.outbox.sent if m.template == "cps_invitation"]) == 1


def test_parallel_registrations_of_one_serial_yield_exactly_one(world):
    # GIVEN eight accounts racing to register the same camera
    accounts = [world.new_account() for _ in range(8)]
    results: list[str] = []
    barrier = threading.Barrier(len(accounts))

    def attempt(account: str) -> None:
        barrier.wait()
        try:
            world.service.register(account, R1, COMPLETE)
            results.append("registered")
        except SerialTaken:
            results.append("conflict")

    threads = [threading.Thread(target=attempt, args=(a,)) for a in accounts]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    # THEN exactly one wins, and exactly one account holds the points
    assert sorted(results) == ["conflict"] * 7 + ["registered"]
    assert sum(world.balance(a) for a in accounts) == 600
    assert list(world.claims().values()).count(next(a for a in accounts if world.balance(a))) == 1


def test_parallel_completions_in_one_account_keep_the_balance_equal_to_the_ledger(world):
    account = world.new_account()
    partials = [
        world.service.register(account, R5_MARK_II, ProductDetails(serial_number=f"S{i}"))
        for i in range(6)
    ]
    barrier = threading.Barrier(len(partials))
    errors: list[Exception] = []

    def complete(product_id: str) -> None:
        barrier.wait()
        try:
            world.service.correct(
                account,
                product_id,
                ProductDetails(
                    purchase_date=COMPLETE.purchase_date, country_of_purchase="NL", dealer="D"
                ),
            )
        except Exception as exc:
            errors.append(exc)

    threads = [threading.Thread(target=complete, args=(p.product_id,)) for p in partials]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    assert errors == []
    assert world.balance(account) == 6 * 350 == world.ledger_sum(account)
