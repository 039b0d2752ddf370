"""infra.local_template.load_template: CloudFormation YAML, short forms read as long forms."""

from __future__ import annotations

from pathlib import Path

import pytest

from infra.local_template import load_template

SHORT_FORMS = """\
AWSTemplateFormatVersion: '2010-09-09'
Conditions:
  IsProd: !Equals [!Ref Stage, prod]
Resources:
  Queue:
    Type: AWS::SQS::Queue
    Condition: IsProd
    Properties:
      QueueName: !Sub "cps-${Stage}-invoices"
      RedrivePolicy:
        deadLetterTargetArn: !GetAtt DeadLetters.Arn
        maxReceiveCount: !If [IsProd, 5, !Ref AWS::NoValue]
      Tags:
        - Key: kind
          Value: !Join ["-", [!Select [0, !Split [",", "a,b"]], !Condition IsProd]]
"""


def test_short_forms_are_read_as_their_long_forms(tmp_path: Path) -> None:
    # GIVEN a template written with CloudFormation's short forms
    path = tmp_path / "template.yaml"
    path.write_text(SHORT_FORMS)
    # WHEN it is loaded
    template = load_template(path)
    # THEN each short form is its long form, and the version stays a string
    assert template["AWSTemplateFormatVersion"] == "2010-09-09"
    assert template["Conditions"]["IsProd"] == {"Fn::Equals": [{"Ref": "Stage"}, "prod"]}
    queue = template["Resources"]["Queue"]
    assert queue["Condition"] == "IsProd"
    properties = queue["Properties"]
    assert properties["QueueName"] == {"Fn::Sub": "cps-${Stage}-invoices"}
    assert properties["RedrivePolicy"] == {
        "deadLetterTargetArn": {"Fn::GetAtt": ["DeadLetters", "Arn"]},
        "maxReceiveCount": {"Fn::If": ["IsProd", 5, {"Ref": "AWS::NoValue"}]},
    }
    assert properties["Tags"][0]["Value"] == {
        "Fn::Join": [
            "-",
            [{"Fn::Select": [0, {"Fn::Split": [",", "a,b"]}]}, {"Condition": "IsProd"}],
        ]
    }


@pytest.mark.parametrize(
    "text", ["Resources: [unclosed", "- a list, not a template\n"], ids=["broken", "not a mapping"]
)
def test_a_file_that_is_no_template_is_refused_naming_it(tmp_path: Path, text: str) -> None:
    # GIVEN a file that is no CloudFormation template
    path = tmp_path / "broken.yaml"
    path.write_text(text)
    # WHEN it is loaded THEN the error names the file
    with pytest.raises(ValueError, match=r"broken\.yaml"):
        load_template(path)
