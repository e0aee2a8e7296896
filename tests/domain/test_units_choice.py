"""The one precedence rule of the units: --units > BACKSTRIDE_UNITS > profile > config file >
km on this computer; on a shared server each runner's profile beats the server's settings."""

from __future__ import annotations

import pytest
from hypothesis import given
from hypothesis import strategies as st

from backstride.domain.units import UNITS_SOURCE_WORDS, UNITS_SOURCES, choose_units

SETTING_SOURCES = ("flag", "environment", "config file", "default")


@pytest.mark.parametrize(
    ("setting", "setting_from", "profile", "expected"),
    [
        ("km", "default", None, ("km", "default")),
        ("mi", "config file", None, ("mi", "config file")),
        ("mi", "config file", "km", ("km", "profile")),  # the profile beats the config file
        ("km", "default", "mi", ("mi", "profile")),
        ("mi", "environment", "km", ("mi", "environment")),  # the environment beats the profile
        ("km", "flag", "mi", ("km", "flag")),  # the flag beats the profile
        ("mi", "flag", None, ("mi", "flag")),
    ],
)
def test_each_level_of_the_rule_on_this_computer(
    setting: str, setting_from: str, profile: str | None, expected: tuple[str, str]
) -> None:
    choice = choose_units(setting=setting, setting_from=setting_from, profile=profile)
    assert (choice.units, choice.source) == expected


@given(
    setting=st.sampled_from(["km", "mi"]),
    setting_from=st.sampled_from(SETTING_SOURCES),
    profile=st.sampled_from([None, "km", "mi"]),
)
def test_the_rule_follows_the_order_of_the_sources(
    setting: str, setting_from: str, profile: str | None
) -> None:
    here = choose_units(setting=setting, setting_from=setting_from, profile=profile)
    # The winner is the strongest source that has a choice.
    offered = {setting_from: setting, **({"profile": profile} if profile else {})}
    strongest = min(offered, key=UNITS_SOURCES.index)
    assert (here.source, here.units) == (strongest, offered[strongest])
    server = choose_units(
        setting=setting, setting_from=setting_from, profile=profile, shared_server=True
    )
    # On a shared server the runner's own choice always wins, else the server's setting.
    assert (server.units, server.source) == (
        (profile, "profile") if profile else (setting, setting_from)
    )


def test_a_source_the_rule_does_not_know_is_refused() -> None:
    with pytest.raises(ValueError, match="unknown source"):
        choose_units(setting="km", setting_from="profile", profile=None)
    with pytest.raises(ValueError, match="unknown source"):
        choose_units(setting="km", setting_from="guess", profile=None)


def test_every_source_has_words() -> None:
    assert set(UNITS_SOURCE_WORDS) == set(UNITS_SOURCES)
    choice = choose_units(setting="km", setting_from="default", profile="mi")
    assert choice.source_words == "your profile"
