"""infra/moto_gaps.py: every gap between the template and moto is listed, and bridged."""

from __future__ import annotations

from typing import Any

import pytest
from moto.cloudformation.parsing import get_model_map

from infra import moto_gaps
from infra.local_template import for_moto
from infra.moto_gaps import Bridge
from tests.infra.conftest import TEMPLATE_PATH

MOTO_MODELS = set(get_model_map())  # the resource types moto's CloudFormation creates


def test_every_resource_type_of_the_template_is_created_by_moto_or_listed(
    template: dict[str, Any],
) -> None:
    # GIVEN the resource types of infra/resources.yaml
    types = {resource["Type"] for resource in template["Resources"].values()}
    # WHEN those moto's CloudFormation has no model for are looked up in the gaps
    unlisted = {t for t in types - MOTO_MODELS if moto_gaps.resource_gap(t) is None}
    # THEN there are none: a new type needs a bridge (or a reason it needs none)
    assert not unlisted, f"add to infra/moto_gaps.py RESOURCE_TYPES: {sorted(unlisted)}"


@pytest.mark.parametrize(
    "resource_type",
    [t for t, gap in moto_gaps.RESOURCE_TYPES.items() if gap.bridge is Bridge.NOT_REPRODUCED],
)
def test_a_type_listed_as_skipped_is_still_unknown_to_moto(resource_type: str) -> None:
    # GIVEN a type the gaps say moto skips
    # WHEN moto's CloudFormation models are read THEN it is not among them (once moto
    # creates it, the entry is wrong: remove it and let moto create the resource)
    assert resource_type not in MOTO_MODELS


def test_every_bridge_by_api_or_inlining_has_its_code() -> None:
    # GIVEN every resource type and property the gaps bridge by API or inline
    bridged = {
        subject: gap
        for table in (moto_gaps.RESOURCE_TYPES, *moto_gaps.PROPERTIES.values())
        for subject, gap in table.items()
        if gap.bridge in (Bridge.CREATED_BY_API, Bridge.APPLIED_BY_API, Bridge.INLINED)
    }
    # WHEN their code is looked for THEN each has it
    assert [subject for subject, gap in bridged.items() if not callable(gap.code)] == []


def test_for_moto_removes_exactly_the_types_the_gaps_remove() -> None:
    # GIVEN the template adapted for moto
    template, removed, _ = for_moto(TEMPLATE_PATH)
    # WHEN the removed resources and those left are compared with the gaps
    removing = (Bridge.CREATED_BY_API, Bridge.LEFT_TO_RUNTIME)

    def bridge(resource: dict[str, Any]) -> Bridge | None:
        gap = moto_gaps.resource_gap(resource["Type"])
        return None if gap is None else gap.bridge

    # THEN every removed one is listed as such, and no kept one is
    assert all(bridge(resource) in removing for resource in removed.values())
    assert not [r for r in template["Resources"].values() if bridge(r) in removing]


def test_custom_resource_types_share_one_entry() -> None:
    # GIVEN any custom resource type, in either spelling
    # WHEN its gap is looked up THEN it is the custom resources' entry
    for resource_type in ("Custom::Anything", "AWS::CloudFormation::CustomResource"):
        assert moto_gaps.resource_gap(resource_type) is moto_gaps.RESOURCE_TYPES[moto_gaps.CUSTOM]
