"""Every model constant carries its source."""

from __future__ import annotations

import dataclasses

import pytest

from backstride.domain.params import (
    DEFAULT_ACTIVITY_PARAMS,
    DEFAULT_GEAR_PARAMS,
    DEFAULT_LOAD_PARAMS,
    DEFAULT_PLAN_PARAMS,
    DEFAULT_ROUTE_PARAMS,
    ActivityParams,
    LoadParams,
    parameter_sources,
)


@pytest.mark.parametrize(
    "params",
    [
        DEFAULT_ACTIVITY_PARAMS,
        DEFAULT_LOAD_PARAMS,
        DEFAULT_GEAR_PARAMS,
        DEFAULT_ROUTE_PARAMS,
        DEFAULT_PLAN_PARAMS,
    ],
)
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


def test_thresholds_are_written_once_and_read_by_the_cli_forms_and_pages() -> None:
    """The shoe limits, the plan's runs a week and the route points live in params; the CLI
    defaults, the web form and the modules read them from there (issue 15.2)."""
    import inspect
    from pathlib import Path

    from backstride.cli import shoes as cli_shoes
    from backstride.domain import plan, routes, shoes
    from backstride.web.schemas.shoes import ShoeIn

    assert shoes.DEFAULT_INSPECT_KM == DEFAULT_GEAR_PARAMS.shoe_inspect_km
    assert shoes.DEFAULT_RETIRE_KM == DEFAULT_GEAR_PARAMS.shoe_retire_km
    assert ShoeIn.model_fields["inspect_km"].default == DEFAULT_GEAR_PARAMS.shoe_inspect_km
    defaults = inspect.signature(cli_shoes.shoes_add).parameters
    assert defaults["inspect_km"].default == DEFAULT_GEAR_PARAMS.shoe_inspect_km
    assert defaults["retire_km"].default == DEFAULT_GEAR_PARAMS.shoe_retire_km
    assert plan.RUNS_PER_WEEK == DEFAULT_PLAN_PARAMS.runs_per_week
    assert routes.CLIMB_POINTS_PER_M_PER_KM == DEFAULT_ROUTE_PARAMS.climb_points_per_m_per_km
    root = Path(shoes.__file__).resolve().parents[1]
    for path in (
        root / "cli" / "shoes.py",
        root / "web" / "schemas" / "shoes.py",
        root / "web" / "templates" / "partials" / "_shoes_sections.html",
    ):
        text = path.read_text(encoding="utf-8")
        assert "500" not in text and "800" not in text, path
