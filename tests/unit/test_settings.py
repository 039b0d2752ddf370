"""The settings: every variable the template's Globals set is required and checked, read once;
a missing or malformed one fails the cold start with an error that names it."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import pytest

from chalicelib.domain.seller import Seller
from chalicelib.settings import DEFAULT_VIES_URL, Settings, SettingsError
from infra.local_template import load_template
from tests.support.settings_env import COMPLETE_ENV, complete_env

ROOT = Path(__file__).resolve().parents[2]

MALFORMED = [
    ("CPS_STAGE", "Prod"),
    ("CPS_APPLICATIONS_TABLE", "cps applications"),
    ("CPS_DOCUMENTS_BUCKET", "Documents_Bucket"),
    ("CPS_DOCUMENTS_BUCKET", ""),
    ("CPS_EMAIL_QUEUE_URL", "cps-emails"),
    ("CPS_LIFECYCLE_QUEUE_URL", "https://sqs.eu-west-1.amazonaws.com/cps-lifecycle"),
    ("CPS_VALIDATION_STATE_MACHINE_ARN", "cps-application-validation"),
    ("CPS_USER_POOL_ID", "eu-west-1"),
    ("CPS_JWKS_URL", "cognito-idp.eu-west-1.amazonaws.com/jwks.json"),
    ("CPS_TOKEN_ISSUER", "https://"),
    ("CPS_FRONTEND_URL", "www.canon-europe.com"),
    ("CPS_SUPPORT_EMAIL", "cps-support"),
    ("CPS_VIES_ENABLED", "yes"),
    ("CPS_VIES_ENABLED", "True"),
    ("CPS_REVIEWER_MFA", "optional"),
    ("CPS_PAYMENT_PROVIDER", "paypal"),
    ("CPS_STRIPE_SECRET_ARN", "sk_live_123"),
    ("CPS_TERMS_VERSION", "2026 01"),
    ("CPS_SELLER_NAME", " "),
    ("CPS_SELLER_VAT_NUMBER", "004495445B01"),
    ("CPS_SELLER_IBAN", "NL91 ABNA 0417 1643 00"),
    ("CPS_SELLER_BIC", "ABN"),
    ("CPS_SELLER_KVK_NUMBER", "3321143"),
    ("CPS_SELLER_ADDRESS", "Bovenkerkerweg 59, 1185 XB Amstelveen, Netherlands"),
    ("CPS_VIES_URL", "ec.europa.eu"),
    ("AWS_REGION", "Ireland"),
]


def test_a_complete_environment_loads() -> None:
    # GIVEN every variable the template's Globals set, as a deployment gives them
    env = complete_env(CPS_FRONTEND_URL="https://cps.example/app/")
    # WHEN the settings are read
    settings = Settings.from_env(env)
    # THEN each is there, typed: flags as booleans, the seller as one value
    assert settings.email_queue_url == COMPLETE_ENV["CPS_EMAIL_QUEUE_URL"]
    assert settings.documents_bucket == COMPLETE_ENV["CPS_DOCUMENTS_BUCKET"]
    assert settings.region == "eu-west-1"
    assert settings.vies_enabled is True
    assert settings.reviewer_mfa_required is True
    assert settings.frontend_url == "https://cps.example/app"
    assert settings.frontend_origin == "https://cps.example"
    assert not settings.is_local
    assert settings.seller == Seller(
        name="Canon Europa N.V.",
        address="Bovenkerkerweg 59, 1185 XB Amstelveen",
        country="NL",
        vat_number="NL004495445B01",
        iban="NL91ABNA0417164300",
        bic="ABNANL2A",
        kvk_number="33211437",
        contact_email="cps-support@canon-europe.com",
    )
    assert settings.seller.postal_address == ("Bovenkerkerweg 59", "1185 XB", "Amstelveen")


def test_the_local_runtimes_values_load() -> None:
    # GIVEN what the local runtime sets: its own stage, no MFA, no VIES, the local card
    # provider without a Stripe key, and the embedded AWS's http URLs
    env = complete_env(
        CPS_STAGE="local",
        CPS_REVIEWER_MFA="off",
        CPS_VIES_ENABLED="false",
        CPS_PAYMENT_PROVIDER="local",
        CPS_STRIPE_SECRET_ARN="",
        CPS_EMAIL_QUEUE_URL="http://127.0.0.1:4566/123456789012/cps-emails",
        CPS_JWKS_URL="http://127.0.0.1:4566/eu-west-1_abc/.well-known/jwks.json",
    )
    # WHEN the settings are read
    settings = Settings.from_env(env)
    # THEN they load, with the flags off
    assert settings.is_local
    assert settings.reviewer_mfa_required is False
    assert settings.vies_enabled is False
    assert settings.payment_provider == "local"


def test_optional_settings_keep_their_defaults() -> None:
    # GIVEN the template's variables, without a region or a VIES URL
    env = dict(COMPLETE_ENV)
    # WHEN the settings are read
    settings = Settings.from_env(env)
    # THEN the documented defaults apply
    assert settings.region == "eu-west-1"
    assert settings.vies_url == DEFAULT_VIES_URL


@pytest.mark.parametrize("name", Settings.required_variables())
def test_each_missing_required_variable_is_named(name: str) -> None:
    # GIVEN a complete environment without one required variable
    env = complete_env()
    del env[name]
    # WHEN the settings are read THEN they refuse, naming it
    with pytest.raises(SettingsError, match=f"{name}: missing"):
        Settings.from_env(env)


@pytest.mark.parametrize(("name", "value"), MALFORMED)
def test_a_malformed_value_is_named(name: str, value: str) -> None:
    # GIVEN a complete environment with one value of the wrong shape
    env = complete_env(**{name: value})
    # WHEN the settings are read THEN they refuse, naming that variable and only it
    with pytest.raises(SettingsError) as raised:
        Settings.from_env(env)
    assert list(raised.value.problems) == [name]
    assert f"{name}: " in str(raised.value)


def test_every_problem_is_named_at_once() -> None:
    # GIVEN an environment with two variables missing and one malformed
    env = complete_env(CPS_VIES_ENABLED="1")
    del env["CPS_JWKS_URL"], env["CPS_SELLER_IBAN"]
    # WHEN the settings are read THEN one error names all three
    with pytest.raises(SettingsError) as raised:
        Settings.from_env(env)
    assert set(raised.value.problems) == {"CPS_JWKS_URL", "CPS_SELLER_IBAN", "CPS_VIES_ENABLED"}


def test_the_required_variables_are_the_templates_globals() -> None:
    # GIVEN the variables infra/resources.yaml gives every function (Powertools reads its own)
    variables = load_template(ROOT / "infra" / "resources.yaml")["Globals"]["Function"][
        "Environment"
    ]["Variables"]
    globals_ = {name for name in variables if not name.startswith("POWERTOOLS_")}
    # THEN the settings require exactly those
    assert set(Settings.required_variables()) == globals_


def _fresh_interpreter(code: str, env: dict[str, str]) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [sys.executable, "-c", code],
        cwd=ROOT,
        env={"PATH": os.environ.get("PATH", "/usr/bin:/bin"), **env},
        capture_output=True,
        text=True,
        timeout=120,
        check=False,
    )


def test_import_app_without_a_required_variable_fails_naming_it() -> None:
    # GIVEN a function's environment without the e-mail queue, and no way to reach AWS
    env = complete_env(
        AWS_ACCESS_KEY_ID="testing",
        AWS_SECRET_ACCESS_KEY="testing",
        AWS_ENDPOINT_URL="http://127.0.0.1:9",
        AWS_EC2_METADATA_DISABLED="true",
    )
    del env["CPS_EMAIL_QUEUE_URL"]
    # WHEN a fresh interpreter imports the app (a cold start)
    completed = _fresh_interpreter("import app", env)
    # THEN the import fails, naming the variable
    assert completed.returncode != 0
    assert "SettingsError" in completed.stderr
    assert "CPS_EMAIL_QUEUE_URL: missing" in completed.stderr


def test_the_composition_root_imports_no_adapter_until_asked() -> None:
    # GIVEN a fresh interpreter WHEN it imports the composition root and builds it
    code = (
        "import sys; from chalicelib.container import container; container(); "
        "print(sorted(m for m in sys.modules if m.split('.')[0] in "
        "{'boto3', 'botocore', 'pynamodb', 'pydantic', 'stripe', 'jwt'} "
        "or m.startswith(('chalicelib.adapters', 'chalicelib.services'))))"
    )
    completed = _fresh_interpreter(code, complete_env())
    # THEN it loaded no SDK, adapter or service: each comes with the first use
    assert completed.returncode == 0, completed.stderr
    assert completed.stdout.strip() == "[]"
