"""The validation workflow (infra/statemachines/validation.asl.json): its shape, and real runs."""

from __future__ import annotations

import json
import time
from collections.abc import Callable, Iterator
from typing import Any

import pytest
from cfnlint.api import ManualArgs, lint

from tests.infra.conftest import MOTO_SKIPS, REGION

Client = Callable[[str], Any]
CALLBACK = "arn:aws:states:::sqs:sendMessage.waitForTaskToken"


def _states(asl: dict[str, Any]) -> dict[str, dict[str, Any]]:
    states: dict[str, dict[str, Any]] = asl["States"]
    return states


def _tasks(asl: dict[str, Any]) -> Iterator[tuple[str, dict[str, Any]]]:
    return ((n, s) for n, s in _states(asl).items() if s["Type"] == "Task")


# ------------------------------------------------------------------ shape


def _lint_definition(definition: dict[str, Any]) -> list[str]:
    template = {
        "AWSTemplateFormatVersion": "2010-09-09",
        "Resources": {
            "Queue": {"Type": "AWS::SQS::Queue"},
            "Machine": {
                "Type": "AWS::StepFunctions::StateMachine",
                "Properties": {
                    "RoleArn": "arn:aws:iam::123456789012:role/validation",
                    "Definition": definition,
                    "DefinitionSubstitutions": {"ValidationTasksQueueUrl": {"Ref": "Queue"}},
                },
            },
        },
    }
    return [str(m) for m in lint(json.dumps(template), config=ManualArgs(regions=[REGION]))]


def test_cfn_lint_accepts_the_definition(asl: dict[str, Any]) -> None:
    # GIVEN the definition inlined in a template WHEN cfn-lint checks it (rule E3601)
    # THEN it finds nothing
    assert _lint_definition(asl) == []


def test_cfn_lint_would_catch_a_broken_definition(asl: dict[str, Any]) -> None:
    # GIVEN a task whose heartbeat is not a number
    broken = json.loads(json.dumps(asl))
    broken["States"]["AwaitReviewerDecision"]["HeartbeatSeconds"] = "two days"
    # WHEN cfn-lint checks it THEN it reports it (the check above is not vacuous)
    assert any("E3601" in m for m in _lint_definition(broken))


def test_every_task_has_retry_and_catch(asl: dict[str, Any]) -> None:
    # GIVEN each Task state THEN it retries and catches
    for name, state in _tasks(asl):
        assert state.get("Retry"), name
        assert state.get("Catch"), name


def test_every_callback_wait_is_bounded_and_heartbeated(asl: dict[str, Any]) -> None:
    # GIVEN each task-token wait THEN it times out, and its heartbeat is shorter than that
    tasks = dict(_tasks(asl))
    assert tasks
    for name, state in tasks.items():
        assert state["Resource"] == CALLBACK, name
        assert 0 < state["HeartbeatSeconds"] < state["TimeoutSeconds"], name


def test_every_task_sends_its_name_the_application_and_the_token(asl: dict[str, Any]) -> None:
    # GIVEN each task THEN its message tells the worker what to do, for which application
    expected = {
        "RunAutomatedChecks": "run_checks",
        "AwaitReviewerDecision": "await_review",
        "ApproveApplication": "approve",
        "RejectApplication": "reject",
    }
    for name, state in _tasks(asl):
        body = state["Parameters"]["MessageBody"]
        assert state["Parameters"]["QueueUrl"] == "${ValidationTasksQueueUrl}"
        assert body["task"] == expected[name]
        assert body["application_id.$"] == "$.application_id"
        assert body["task_token.$"] == "$$.Task.Token"
    reject = _states(asl)["RejectApplication"]["Parameters"]["MessageBody"]
    assert reject["reason.$"] == "$.decision.reason"


def test_every_transition_leads_to_an_existing_state(asl: dict[str, Any]) -> None:
    # GIVEN every Next, Default and Catch target THEN it names a state of the machine
    states = _states(asl)
    assert asl["StartAt"] in states
    for name, state in states.items():
        targets = [state.get("Next"), state.get("Default")]
        targets += [c["Next"] for c in state.get("Catch", [])]
        targets += [c["Next"] for c in state.get("Choices", [])]
        for target in filter(None, targets):
            assert target in states, f"{name} -> {target}"
        if state["Type"] not in ("Choice", "Fail", "Succeed"):
            assert state.get("End") is True or "Next" in state, name


def test_a_timed_out_review_is_issued_again_not_dropped(asl: dict[str, Any]) -> None:
    # GIVEN the review wait WHEN it times out THEN the workflow waits again
    (timeout_catch, *_) = _states(asl)["AwaitReviewerDecision"]["Catch"]
    assert timeout_catch["ErrorEquals"] == ["States.Timeout"]
    assert timeout_catch["Next"] == "AwaitReviewerDecision"
    assert _states(asl)["AwaitReviewerDecision"]["TimeoutSeconds"] == 30 * 24 * 3600


# ------------------------------------------------------------------ real runs in moto


def _next_task(client: Client, queue_url: str, timeout_s: float = 30.0) -> dict[str, Any]:
    """Receive (and delete) the next task message the workflow sent."""
    sqs = client("sqs")
    deadline = time.monotonic() + timeout_s
    while time.monotonic() < deadline:
        for message in sqs.receive_message(QueueUrl=queue_url, WaitTimeSeconds=1).get(
            "Messages", []
        ):
            sqs.delete_message(QueueUrl=queue_url, ReceiptHandle=message["ReceiptHandle"])
            body: dict[str, Any] = json.loads(message["Body"])
            return body
    raise AssertionError(f"no task message within {timeout_s} s")


def _finished(client: Client, execution_arn: str, timeout_s: float = 30.0) -> dict[str, Any]:
    sfn = client("stepfunctions")
    deadline = time.monotonic() + timeout_s
    while time.monotonic() < deadline:
        execution: dict[str, Any] = sfn.describe_execution(executionArn=execution_arn)
        if execution["status"] != "RUNNING":
            return execution
        time.sleep(0.1)
    raise AssertionError(f"execution still running after {timeout_s} s")


def _start(client: Client, env: dict[str, str], application_id: str) -> str:
    arn: str = client("stepfunctions").start_execution(
        stateMachineArn=env["CPS_VALIDATION_STATE_MACHINE_ARN"],
        name=f"application-{application_id}",  # moto needs a name; the app uses a fixed one
        input=json.dumps({"application_id": application_id}),
    )["executionArn"]
    return arn


def _complete(client: Client, task: dict[str, Any], output: dict[str, Any]) -> None:
    client("stepfunctions").send_task_success(
        taskToken=task["task_token"], output=json.dumps(output)
    )


@pytest.mark.filterwarnings(MOTO_SKIPS)
def test_an_approved_application_runs_checks_review_and_approval(
    deployed_running: dict[str, str], client: Client
) -> None:
    # GIVEN the workflow deployed in moto, executing for real
    queue = deployed_running["CPS_VALIDATION_TASKS_QUEUE_URL"]
    # WHEN an application is validated and the worker completes each task
    execution_arn = _start(client, deployed_running, "app-approve")
    checks = _next_task(client, queue)
    assert checks["task"] == "run_checks"
    assert checks["application_id"] == "app-approve"
    _complete(client, checks, {"passed": True})

    review = _next_task(client, queue)
    assert review["task"] == "await_review"
    client("stepfunctions").send_task_heartbeat(taskToken=review["task_token"])
    _complete(client, review, {"decision": "APPROVE"})

    approval = _next_task(client, queue)
    assert approval["task"] == "approve"
    assert approval["application_id"] == "app-approve"
    _complete(client, approval, {"account_id": "acc-1"})

    # THEN the execution succeeds, with what each step returned
    execution = _finished(client, execution_arn)
    assert execution["status"] == "SUCCEEDED"
    output = json.loads(execution["output"])
    assert output["checks"] == {"passed": True}
    assert output["decision"] == {"decision": "APPROVE"}
    assert output["outcome"] == {"account_id": "acc-1"}


@pytest.mark.filterwarnings(MOTO_SKIPS)
def test_a_rejected_application_passes_the_reason_to_the_worker(
    deployed_running: dict[str, str], client: Client
) -> None:
    # GIVEN the workflow deployed in moto, executing for real
    queue = deployed_running["CPS_VALIDATION_TASKS_QUEUE_URL"]
    # WHEN a reviewer rejects the application with a reason
    execution_arn = _start(client, deployed_running, "app-reject")
    _complete(client, _next_task(client, queue), {"passed": False})
    review = _next_task(client, queue)
    _complete(client, review, {"decision": "REJECT", "reason": "The invoice is unreadable."})

    # THEN the rejection task carries that reason, and the execution succeeds
    rejection = _next_task(client, queue)
    assert rejection["task"] == "reject"
    assert rejection["application_id"] == "app-reject"
    assert rejection["reason"] == "The invoice is unreadable."
    _complete(client, rejection, {"notified": True})
    assert _finished(client, execution_arn)["status"] == "SUCCEEDED"


@pytest.mark.filterwarnings(MOTO_SKIPS)
@pytest.mark.parametrize(
    "decision",
    [{"decision": "MAYBE"}, {"decision": "REJECT"}, {}],
    ids=["unknown decision", "rejection without reason", "no decision"],
)
def test_an_unusable_decision_fails_the_workflow(
    deployed_running: dict[str, str], client: Client, decision: dict[str, Any]
) -> None:
    # GIVEN a workflow waiting for the review
    queue = deployed_running["CPS_VALIDATION_TASKS_QUEUE_URL"]
    execution_arn = _start(client, deployed_running, "app-odd")
    _complete(client, _next_task(client, queue), {"passed": True})
    # WHEN the review returns something that is neither an approval nor a reasoned rejection
    _complete(client, _next_task(client, queue), decision)
    # THEN the workflow fails with its own error (which raises the alarm in AWS)
    execution = _finished(client, execution_arn)
    assert execution["status"] == "FAILED"
    assert execution.get("error") == "ValidationWorkflowFailed"
