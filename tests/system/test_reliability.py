"""Redeliveries and retries change nothing twice; workflow waits are kept alive."""

from __future__ import annotations

import json
import time

import boto3

from chalicelib.container import container
from chalicelib.services.ports import EmailRequest
from tests.support.journey import (
    PDF,
    apply,
    decide,
    eventually,
    mails_to,
    unique_email,
    upload,
)
from tests.system.silver import checkout, silver_customer


def _queue_is_empty(name: str) -> bool:
    sqs = boto3.client("sqs")
    url = sqs.get_queue_url(QueueName=name)["QueueUrl"]
    attributes = sqs.get_queue_attributes(
        QueueUrl=url,
        AttributeNames=["ApproximateNumberOfMessages", "ApproximateNumberOfMessagesNotVisible"],
    )["Attributes"]
    return all(int(v) == 0 for v in attributes.values())


def test_a_mail_delivered_twice_is_sent_once(api):
    # GIVEN the same mail request (same cause) queued twice, as a redelivery would
    to = unique_email("twice")
    request = EmailRequest(
        template="password_reset",
        language="da",
        to=to,
        context={
            "contact_name": "Mette",
            "reset_url": "https://cps.example/r?token=x",
            "link_expires_hours": 2,
        },
        dedupe_key=f"test-duplicate:{to}",
    )
    container().outbox.send(request)
    container().outbox.send(request)
    # WHEN the e-mail queue has been worked off
    eventually(lambda: _queue_is_empty("cps-emails") and mails_to(api, to))
    time.sleep(1.0)
    # THEN exactly one mail went out, in Danish
    mails = mails_to(api, to)
    assert len(mails) == 1
    assert "adgangskode" in (mails[0]["subject"] + mails[0]["text"]).lower()


def test_a_redelivered_upload_event_starts_no_second_validation(api, runtime):
    # GIVEN an application whose upload started its validation
    applicant = apply(api)
    upload(applicant.upload, PDF)
    applicant.wait_for(api, "PENDING_REVIEW")
    key = f"applications/{applicant.application_id}/"
    sfn = boto3.client("stepfunctions")
    arn = runtime.env["CPS_VALIDATION_STATE_MACHINE_ARN"]

    def executions() -> list[str]:
        listed = sfn.list_executions(stateMachineArn=arn)["executions"]
        return [e["name"] for e in listed if e["name"].startswith(applicant.application_id)]

    assert len(executions()) == 1
    # WHEN S3's event for that object is delivered again
    s3_key = executions()[0].removeprefix(f"{applicant.application_id}-")
    sqs = boto3.client("sqs")
    event = {"Records": [{"s3": {"object": {"key": key + s3_key, "size": len(PDF)}}}]}
    sqs.send_message(
        QueueUrl=sqs.get_queue_url(QueueName="cps-document-uploads")["QueueUrl"],
        MessageBody=json.dumps(event),
    )
    eventually(lambda: _queue_is_empty("cps-document-uploads"))
    # THEN no second execution exists and the application is still pending review
    assert len(executions()) == 1
    assert applicant.status(api)["status"] == "PENDING_REVIEW"


def test_an_application_is_decided_only_once(api, reviewer_token):
    applicant = apply(api)
    upload(applicant.upload, PDF)
    applicant.wait_for(api, "PENDING_REVIEW")
    assert decide(api, reviewer_token, applicant.application_id, "APPROVE").status_code == 200
    second = decide(api, reviewer_token, applicant.application_id, "REJECT", "changed my mind")
    assert second.status_code == 409
    assert second.json()["error"]["code"] == "CONFLICT"
    applicant.wait_for(api, "APPROVED")


def test_a_decision_on_an_unknown_application_is_404(api, reviewer_token):
    response = decide(api, reviewer_token, "does-not-exist", "APPROVE")
    assert response.status_code == 404


def test_a_rejection_without_reason_is_refused_and_the_application_stays_pending(
    api, reviewer_token
):
    applicant = apply(api)
    upload(applicant.upload, PDF)
    applicant.wait_for(api, "PENDING_REVIEW")
    response = decide(api, reviewer_token, applicant.application_id, "REJECT", "   ")
    assert response.status_code == 422
    assert "reason" in response.json()["error"]["fields"]
    assert applicant.status(api)["status"] == "PENDING_REVIEW"


def test_a_checkout_knows_its_lambda_time_so_a_dead_request_can_be_retried(
    api, reviewer_token, recwarn
):
    # GIVEN a customer who can buy Silver
    _, token = silver_customer(api, reviewer_token)
    # WHEN the checkout runs
    assert checkout(api, token, "with-context").status_code == 201
    # THEN Powertools knew the invocation's remaining time (no "remaining time" warning): an
    # in-progress record of a request that died expires with its Lambda
    assert not [w for w in recwarn if "remaining time" in str(w.message)]
