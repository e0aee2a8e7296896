"""Where pain is, when it was felt and what it feels like (the diary's vocabulary)."""

from __future__ import annotations

import enum
from typing import TypeVar

E = TypeVar("E", bound=enum.StrEnum)

MAX_NOTES_CHARS = 2000


class PainWhen(enum.StrEnum):
    """When the pain was felt, relative to a session."""

    BEFORE = "before"
    DURING = "during"
    AFTER = "after"
    NEXT_MORNING = "next-morning"
    REST_DAY = "rest-day"


class PainSite(enum.StrEnum):
    LOW_BACK = "low-back"
    UPPER_BACK = "upper-back"  # the middle or upper back (thoracic spine)
    BUTTOCK_LEFT = "buttock-left"
    BUTTOCK_RIGHT = "buttock-right"
    LEG_LEFT = "leg-left"
    LEG_RIGHT = "leg-right"
    LOWER_LEG_LEFT = "lower-leg-left"  # below the knee: calf, shin or foot
    LOWER_LEG_RIGHT = "lower-leg-right"


LEFT_LEG = frozenset({PainSite.LEG_LEFT, PainSite.LOWER_LEG_LEFT})
RIGHT_LEG = frozenset({PainSite.LEG_RIGHT, PainSite.LOWER_LEG_RIGHT})
BELOW_KNEE = frozenset({PainSite.LOWER_LEG_LEFT, PainSite.LOWER_LEG_RIGHT})
LEG_OR_BUTTOCK = frozenset({PainSite.BUTTOCK_LEFT, PainSite.BUTTOCK_RIGHT}) | LEFT_LEG | RIGHT_LEG


class PainFeel(enum.StrEnum):
    ACHE = "ache"
    SHARP = "sharp"
    BURNING = "burning"
    NUMBNESS = "numbness"
    TINGLING = "tingling"  # pins and needles
    STIFFNESS = "stiffness"


NERVE_FEELS = frozenset({PainFeel.NUMBNESS, PainFeel.TINGLING})
