"""Every model constant carries its source."""

from __future__ import annotations

import dataclasses

import pytest

from backstride.domain.params import (
    DEFAULT_ACTIVITY_PARAMS,
    DEFAULT_LOAD_PARAMS,
    ActivityParams,
    LoadParams,
    parameter_sources,
)


@pytest.mark.parametrize("params", [DEFAULT_ACTIVITY_PARAMS, DEFAULT_LOAD_PARAMS])
def test_every_parameter_cites_a_source(params: ActivityParams | LoadParams) -> None:
    sources = parameter_sources(params)
    assert sources
    for name, (_, source) in sources.items():
        assert len(source) > 20, f"{name} has no source"


def test_parameters_are_frozen() -> None:
    with pytest.raises(dataclasses.FrozenInstanceError):
        DEFAULT_LOAD_PARAMS.acute_days = 3  # type: ignore[misc]


def test_duration_load_per_minute_is_moderate_banister_trimp() -> None:
    assert DEFAULT_LOAD_PARAMS.duration_load_per_min == pytest.approx(0.8896, abs=1e-4)
