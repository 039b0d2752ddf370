"""One-time links and the password policy."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

import pytest

from chalicelib.domain.credentials import (
    TokenPurpose,
    check_password_policy,
    ensure_usable,
    hash_token,
    issue_token,
)
from chalicelib.domain.errors import InvalidToken, ValidationFailed

NOW = datetime(2026, 11, 22, 12, tzinfo=UTC)


def test_a_token_is_random_and_only_its_hash_is_kept():
    # GIVEN two tokens issued for the same account
    plain_a, record_a = issue_token("acc", "a@b.nl", TokenPurpose.SET_PASSWORD, NOW)
    plain_b, _ = issue_token("acc", "a@b.nl", TokenPurpose.SET_PASSWORD, NOW)
    # THEN they differ, and the record holds the hash, not the token
    assert plain_a != plain_b
    assert record_a.token_hash == hash_token(plain_a) and plain_a not in record_a.token_hash


def test_a_set_password_link_expires_after_72_hours_and_a_reset_link_after_2():
    _, set_link = issue_token("acc", "a@b.nl", TokenPurpose.SET_PASSWORD, NOW)
    _, reset_link = issue_token("acc", "a@b.nl", TokenPurpose.RESET_PASSWORD, NOW)
    assert set_link.expires_at == NOW + timedelta(hours=72)
    assert reset_link.expires_at == NOW + timedelta(hours=2)


def test_an_expired_used_or_unknown_token_is_refused():
    _, record = issue_token("acc", "a@b.nl", TokenPurpose.RESET_PASSWORD, NOW)
    assert ensure_usable(record, NOW + timedelta(hours=1)) is record
    with pytest.raises(InvalidToken):
        ensure_usable(record, NOW + timedelta(hours=2))
    with pytest.raises(InvalidToken):
        ensure_usable(None, NOW)
    from dataclasses import replace

    with pytest.raises(InvalidToken):
        ensure_usable(replace(record, used_at=NOW), NOW)


@pytest.mark.parametrize(
    "password",
    ["short1A", "alllowercase123", "ALLUPPERCASE123", "NoDigitsHereAtAll", " Padded1234Ab "],
)
def test_weak_passwords_are_refused(password):
    with pytest.raises(ValidationFailed) as refused:
        check_password_policy(password)
    assert "password" in refused.value.fields


def test_a_strong_password_passes():
    check_password_policy("Correct-Horse-42")
