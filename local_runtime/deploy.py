"""Deploys infra/resources.yaml — the template AWS gets — into the embedded AWS.

`infra.local_template.deploy` does the work (infra/moto_gaps.py lists what moto cannot take); this
adds the two things that differ on a laptop: the pool's keys are served by the embedded AWS,
and the no-reply sender is verified in the emulated SES.
"""

from __future__ import annotations

import functools
from pathlib import Path

import boto3

from infra import local_template
from local_runtime.aws import REGION

TEMPLATE = Path(__file__).resolve().parent.parent / "infra" / "resources.yaml"
STACK_NAME = "cps-local"


def deploy(parameters: dict[str, str], endpoint: str) -> dict[str, str]:
    """Returns the app's environment variables, as the template's Globals give them in AWS."""
    client = functools.partial(boto3.client, region_name=REGION, endpoint_url=endpoint)
    env = local_template.deploy(STACK_NAME, TEMPLATE, client, parameters)
    env["CPS_JWKS_URL"] = f"{endpoint}/{env['CPS_USER_POOL_ID']}/.well-known/jwks.json"
    client("ses").verify_email_identity(EmailAddress=env["CPS_NOREPLY_EMAIL"])
    return env
