"""infra.local_template.Evaluator: CloudFormation's intrinsic functions, in one walk."""

from __future__ import annotations

import json

import pytest

from infra.local_template import Evaluator, IntrinsicError, referenced_names

SCOPE = Evaluator(
    refs={"Stage": "prod", "AWS::Region": "eu-west-1", "Queue": "https://sqs/q"},
    attributes={"Queue": {"Arn": "arn:aws:sqs:eu-west-1:1:q", "QueueName": "q"}},
    conditions={
        "IsProd": {"Fn::Equals": [{"Ref": "Stage"}, "prod"]},
        "IsTest": {"Fn::Not": [{"Condition": "IsProd"}]},
        "InIreland": {"Fn::Equals": [{"Ref": "AWS::Region"}, "eu-west-1"]},
    },
)


# ------------------------------------------------------------------ each function


def test_ref_gives_a_parameter_or_pseudo_parameter() -> None:
    # GIVEN a scope with a parameter and a pseudo parameter
    # WHEN Ref to each is evaluated THEN each gives its value
    assert SCOPE.evaluate({"Ref": "Stage"}) == "prod"
    assert SCOPE.evaluate({"Ref": "AWS::Region"}) == "eu-west-1"


def test_get_att_gives_an_attribute_in_either_form() -> None:
    # GIVEN a resource's attributes WHEN GetAtt is written as a list or dotted
    # THEN both give the attribute
    assert SCOPE.evaluate({"Fn::GetAtt": ["Queue", "Arn"]}) == "arn:aws:sqs:eu-west-1:1:q"
    assert SCOPE.evaluate({"Fn::GetAtt": "Queue.QueueName"}) == "q"


def test_sub_substitutes_refs_attributes_and_its_own_variables() -> None:
    # GIVEN a Sub with a ref, an attribute, a variable of its own and an escaped literal
    node = {"Fn::Sub": ["${Stage}:${Queue.QueueName}:${Own}:${!Literal}", {"Own": "mine"}]}
    # WHEN evaluated THEN each is substituted, and the escape written as it reads
    assert SCOPE.evaluate(node) == "prod:q:mine:${Literal}"


def test_join_joins_the_evaluated_items() -> None:
    # GIVEN a Join of a literal and a Ref WHEN evaluated THEN they are joined
    assert SCOPE.evaluate({"Fn::Join": ["-", ["cps", {"Ref": "Stage"}]]}) == "cps-prod"


def test_select_picks_an_item_by_index() -> None:
    # GIVEN a Select with its index as a string (as templates often have it)
    # WHEN evaluated THEN the item at that index is chosen
    assert SCOPE.evaluate({"Fn::Select": ["1", ["a", {"Ref": "Stage"}, "c"]]}) == "prod"


def test_split_splits_a_string() -> None:
    # GIVEN a Split of a Ref WHEN evaluated THEN it gives the pieces
    assert SCOPE.evaluate({"Fn::Split": [":", {"Fn::GetAtt": "Queue.Arn"}]})[-1] == "q"


def test_to_json_string_writes_the_evaluated_value_as_json() -> None:
    # GIVEN a mapping with a Ref in it WHEN ToJsonString is evaluated THEN it is JSON text
    text = SCOPE.evaluate({"Fn::ToJsonString": {"stage": {"Ref": "Stage"}, "n": [1]}})
    assert json.loads(text) == {"stage": "prod", "n": [1]}


@pytest.mark.parametrize(
    ("condition", "expected"),
    [
        ({"Fn::Equals": [{"Ref": "Stage"}, "prod"]}, True),
        ({"Fn::Not": [{"Fn::Equals": [{"Ref": "Stage"}, "prod"]}]}, False),
        ({"Fn::And": [{"Condition": "IsProd"}, {"Condition": "InIreland"}]}, True),
        ({"Fn::Or": [{"Condition": "IsTest"}, {"Fn::Equals": ["a", "b"]}]}, False),
    ],
)
def test_condition_functions_decide_with_the_parameters(
    condition: dict[str, object], expected: bool
) -> None:
    # GIVEN a condition function over parameters and named conditions
    # WHEN evaluated THEN it gives CloudFormation's answer
    assert SCOPE.evaluate(condition) is expected


def test_if_takes_the_branch_of_its_condition() -> None:
    # GIVEN Fn::If on a true and on a false condition
    # WHEN evaluated THEN each gives its chosen branch, evaluated
    assert SCOPE.evaluate({"Fn::If": ["IsProd", {"Ref": "Stage"}, "other"]}) == "prod"
    assert SCOPE.evaluate({"Fn::If": ["IsTest", "test", {"Ref": "Stage"}]}) == "prod"


def test_if_does_not_evaluate_the_branch_it_does_not_take() -> None:
    # GIVEN an Fn::If whose other branch refers to a name without a value
    node = {"Fn::If": ["IsProd", "kept", {"Ref": "NotDeployedHere"}]}
    # WHEN evaluated THEN the taken branch is the answer, and nothing fails
    assert SCOPE.evaluate(node) == "kept"


def test_no_value_removes_its_key_and_its_list_item() -> None:
    # GIVEN AWS::NoValue chosen by Fn::If, under a key and in a list
    node = {
        "Key": {"Fn::If": ["IsTest", "x", {"Ref": "AWS::NoValue"}]},
        "List": ["a", {"Fn::If": ["IsTest", "x", {"Ref": "AWS::NoValue"}]}],
    }
    # WHEN evaluated THEN the key and the list item are gone, not null
    assert SCOPE.evaluate(node) == {"List": ["a"]}


def test_functions_nest() -> None:
    # GIVEN a Join of a Select of a Split of a Sub, inside an If
    sub = {"Fn::Sub": "${AWS::Region}-${Stage}"}
    node = {
        "Fn::If": [
            "IsProd",
            {"Fn::Join": ["/", [{"Fn::Select": [1, {"Fn::Split": ["-", sub]}]}, "x"]]},
            "no",
        ]
    }
    # WHEN evaluated THEN each is evaluated inside out
    assert SCOPE.evaluate(node) == "west/x"


# ------------------------------------------------------------------ errors


def test_an_unknown_function_is_a_clear_error() -> None:
    # GIVEN a function the evaluator does not know
    # WHEN evaluated THEN it is refused by name, not passed through
    with pytest.raises(IntrinsicError, match="Fn::FindInMap is not supported"):
        SCOPE.evaluate({"Fn::FindInMap": ["Map", "Key", "Value"]})


def test_a_name_without_a_value_is_a_clear_error() -> None:
    # GIVEN a Ref and a GetAtt to names the scope does not have
    # WHEN evaluated THEN each error names the expression
    with pytest.raises(IntrinsicError, match="Ref UserPool"):
        SCOPE.evaluate({"Ref": "UserPool"})
    with pytest.raises(IntrinsicError, match=r"Fn::GetAtt Queue\.Url"):
        SCOPE.evaluate({"Fn::GetAtt": ["Queue", "Url"]})


def test_an_unknown_condition_is_a_clear_error() -> None:
    # GIVEN an Fn::If on a condition the template does not define
    # WHEN evaluated THEN the condition is named
    with pytest.raises(IntrinsicError, match="condition Missing is not defined"):
        SCOPE.evaluate({"Fn::If": ["Missing", "a", "b"]})


# ------------------------------------------------------------------ partial evaluation


def test_partial_evaluation_leaves_what_it_cannot_resolve_for_cloudformation() -> None:
    # GIVEN a scope that knows the stage only, partially evaluating
    partial = Evaluator(refs={"Stage": "prod"}, partial=True)
    node = {
        "Name": {"Fn::Sub": "${Stage}-${Bucket.Arn}-${!Literal}"},
        "Joined": {"Fn::Join": ["-", [{"Ref": "Stage"}, {"Ref": "Queue"}]]},
        "Plain": {"Fn::Join": ["-", [{"Ref": "Stage"}, "x"]]},
    }
    # WHEN evaluated THEN what it knows is substituted and the rest left as written
    assert partial.evaluate(node) == {
        "Name": {"Fn::Sub": "prod-${Bucket.Arn}-${!Literal}"},
        "Joined": {"Fn::Join": ["-", ["prod", {"Ref": "Queue"}]]},
        "Plain": "prod-x",
    }


def test_a_value_that_is_an_expression_is_evaluated_in_the_same_scope() -> None:
    # GIVEN a Ref whose value is a placeholder expression over the region
    placeholder = {"Fn::Sub": "arn:${AWS::Region}:removed/Pool"}
    partial = Evaluator(refs={"Pool": placeholder}, partial=True)
    # WHEN referred to directly and from a Sub, without a region known
    # THEN it stays an expression for CloudFormation, spliced into the Sub
    assert partial.evaluate({"Ref": "Pool"}) == placeholder
    assert partial.evaluate({"Fn::Sub": "${Pool}/x"}) == {
        "Fn::Sub": "arn:${AWS::Region}:removed/Pool/x"
    }
    # AND with the region known, it is a string
    assert Evaluator(refs={"Pool": placeholder, "AWS::Region": "r"}).evaluate({"Ref": "Pool"}) == (
        "arn:r:removed/Pool"
    )


# ------------------------------------------------------------------ referenced_names


def test_referenced_names_follow_ref_get_att_sub_and_both_if_branches() -> None:
    # GIVEN a value referring to names in every way, under a condition
    node = {
        "A": {"Ref": "Param"},
        "B": {"Fn::GetAtt": ["Table", "Arn"]},
        "C": {"Fn::Sub": ["${Bucket.Arn}/${Own}/${!Escaped}", {"Own": {"Ref": "Key"}}]},
        "D": {"Fn::If": ["Cond", {"Ref": "Yes"}, {"Ref": "No"}]},
    }
    # WHEN its names are listed THEN each logical id or parameter is there, and nothing else
    assert referenced_names(node) == {"Param", "Table", "Bucket", "Key", "Yes", "No"}
