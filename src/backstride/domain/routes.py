"""Saved routes: their terrain and a documented *taxing score* (how hard a course is on the back).

Pure: no I/O. The terrain comes from the same analysis as an activity's
(:func:`backstride.domain.metrics.compute_grade_distribution` and
:func:`backstride.domain.elevation.compute_elevation_change`), so a route and a run over it
agree. Sources (docs/evidence.md and implication 8):

- Downhill running raises impact (+54 % at -9 degrees) and braking (+73 %) (Gottschall & Kram
  2005) and arches the lower back more than level or uphill running (Levine 2007): descent
  weighs twice as much as climbing, steep descent and long descents are scored on their own.
- Uneven ground raised step variability by 26-27 % and leg stiffness by 20 % (Voloshina &
  Ferris 2015): trail and mixed surfaces add points.

The weights are backstride's own choice, made so that the parts read in the same currency
("points"); ``docs/guidance.md`` lists them. Formula (version :data:`TAXING_VERSION`)::

    score = 0.5 x climb per km (m/km)
          + 1.0 x descent per km (m/km)
          + 1.5 x steep-descent share (% of the distance steeper than -8 %)
          + 0.1 x drop of the longest continuous descent (m)
          + surface points (trail 10, mixed 5, road/track/treadmill/unknown 0)

Bands: under 10 gentle, 10-30 moderate, 30-60 hard, 60 and more very hard.
"""

from __future__ import annotations

import math
from dataclasses import dataclass
from datetime import datetime
from typing import TYPE_CHECKING

from backstride.domain.activity import Surface
from backstride.domain.elevation import compute_elevation_change
from backstride.domain.evidence import cite
from backstride.domain.params import DEFAULT_ACTIVITY_PARAMS, DEFAULT_ROUTE_PARAMS, ActivityParams
from backstride.errors import InvalidInputError

if TYPE_CHECKING:
    from backstride.domain.activity import FloatArray

TAXING_VERSION = 1
MAX_ROUTE_NAME_CHARS = 100

#: Grade (percent) below which a descent counts as steep for the score: the analysis's steepest
#: band starts at -8 % (about -4.6 degrees, near the "about -5 degrees" of the downhill studies).
STEEP_GRADE_PCT = DEFAULT_ROUTE_PARAMS.steep_grade_pct

#: The score's points, from :class:`~backstride.domain.params.RouteParams`.
CLIMB_POINTS_PER_M_PER_KM = DEFAULT_ROUTE_PARAMS.climb_points_per_m_per_km
DESCENT_POINTS_PER_M_PER_KM = DEFAULT_ROUTE_PARAMS.descent_points_per_m_per_km
STEEP_POINTS_PER_PCT = DEFAULT_ROUTE_PARAMS.steep_points_per_pct
LONG_DESCENT_POINTS_PER_M = DEFAULT_ROUTE_PARAMS.long_descent_points_per_m
SURFACE_POINTS = {
    Surface.TRAIL: DEFAULT_ROUTE_PARAMS.trail_points,
    Surface.MIXED: DEFAULT_ROUTE_PARAMS.mixed_points,
}
BANDS: tuple[tuple[float, str], ...] = (
    (10.0, "gentle"),
    (30.0, "moderate"),
    (60.0, "hard"),
    (math.inf, "very hard"),
)

TAXING_SOURCE = cite(
    "gottschall-kram-2005",
    "levine-2007",
    "voloshina-ferris-2015",
    note="the weights are backstride's own choice",
)


def clean_route_name(name: str) -> str:
    """Trim and collapse inner spaces; refuse empty or overlong names."""
    cleaned = " ".join(name.split())
    if not cleaned:
        raise InvalidInputError("A route needs a name, e.g. 'River loop'.")
    if len(cleaned) > MAX_ROUTE_NAME_CHARS:
        raise InvalidInputError(f"Route names are limited to {MAX_ROUTE_NAME_CHARS} characters.")
    return cleaned


def route_key(name: str) -> str:
    """Names match without regard to case or extra spaces."""
    return " ".join(name.split()).casefold()


@dataclass(frozen=True, slots=True)
class RouteTerrain:
    """The terrain of a course. Heights in metres; None when the course has no altitude."""

    distance_m: float
    climb_m: float | None
    descent_m: float | None
    steep_descent_m: float | None  # steeper than STEEP_GRADE_PCT
    steep_descent_share: float | None  # fraction of the distance
    longest_descent_m: float | None  # length of the longest continuous descent
    longest_descent_drop_m: float | None
    surface: Surface | None


def compute_route_terrain(
    distance_m: FloatArray,
    altitude_m: FloatArray | None,
    *,
    surface: Surface | None,
    params: ActivityParams = DEFAULT_ACTIVITY_PARAMS,
) -> RouteTerrain:
    """Climb, descent, steep descent and the longest descent of a course.

    ``distance_m`` is cumulative along the course; ``altitude_m`` per point (NaN = missing).
    Grades as for activities (resampled every 10 m, smoothed over 100 m); climb and descent
    with the 3 m hysteresis (EVIDENCE 11).
    """
    import numpy as np

    from backstride.domain.metrics import compute_grade_distribution

    if distance_m.size < 2 or not np.isfinite(distance_m).any():
        raise InvalidInputError("A route needs at least two points with a position.")
    total = float(np.nanmax(distance_m) - np.nanmin(distance_m))
    if total <= 0.0:
        raise InvalidInputError("The route's points are all in the same place.")
    climb = descent = steep = share = longest = drop = None
    if altitude_m is not None and np.isfinite(altitude_m).sum() >= 2:
        change = compute_elevation_change(altitude_m, hysteresis_m=params.elevation_hysteresis_m)
        if change is not None:
            climb, descent = change.gain_m, change.loss_m
        grade = compute_grade_distribution(
            distance_m, altitude_m, np.zeros(distance_m.size), params=params
        )
        if grade is not None:
            steep = sum(
                b.distance_m
                for b in grade.bands
                if b.upper_pct is not None and b.upper_pct <= STEEP_GRADE_PCT
            )
            graded = sum(b.distance_m for b in grade.bands)
            share = steep / graded if graded > 0 else 0.0
            if grade.longest_descent is not None:
                longest = grade.longest_descent.length_m
                drop = grade.longest_descent.drop_m
            else:
                longest, drop = 0.0, 0.0
    return RouteTerrain(
        distance_m=total,
        climb_m=climb,
        descent_m=descent,
        steep_descent_m=steep,
        steep_descent_share=share,
        longest_descent_m=longest,
        longest_descent_drop_m=drop,
        surface=surface,
    )


@dataclass(frozen=True, slots=True)
class TaxingPart:
    """One part of the score: its points and what it means in plain words."""

    key: str
    points: float
    text: str


@dataclass(frozen=True, slots=True)
class TaxingScore:
    score: float
    band: str
    parts: tuple[TaxingPart, ...]
    explanation: tuple[str, ...]  # the parts that matter, most points first
    version: int = TAXING_VERSION


def band_for(score: float) -> str:
    for limit, name in BANDS:
        if score < limit:
            return name
    return BANDS[-1][1]


def _km(metres: float) -> str:
    return f"{metres / 1000:.1f} km" if metres >= 1000 else f"{metres:.0f} m"


def compute_taxing_score(terrain: RouteTerrain) -> TaxingScore:
    """The taxing score of a course (see the module docstring for the formula and sources)."""
    km = terrain.distance_m / 1000.0
    parts: list[TaxingPart] = []
    if terrain.climb_m is not None and terrain.descent_m is not None and km > 0:
        climb_pk = terrain.climb_m / km
        descent_pk = terrain.descent_m / km
        parts.append(
            TaxingPart(
                "climb",
                CLIMB_POINTS_PER_M_PER_KM * climb_pk,
                f"{climb_pk:.0f} m of climbing per km: uphill is hard work but easy on the back.",
            )
        )
        parts.append(
            TaxingPart(
                "descent",
                DESCENT_POINTS_PER_M_PER_KM * descent_pk,
                f"{descent_pk:.0f} m of descent per km: running downhill means more jolt and "
                "braking with every step.",
            )
        )
    if terrain.steep_descent_m is not None and terrain.steep_descent_share is not None:
        pct = 100.0 * terrain.steep_descent_share
        parts.append(
            TaxingPart(
                "steep_descent",
                STEEP_POINTS_PER_PCT * pct,
                f"{_km(terrain.steep_descent_m)} of steep descent (steeper than 8 %, about "
                "5 degrees): hard on a back that dislikes arching.",
            )
        )
    if terrain.longest_descent_drop_m is not None:
        length = terrain.longest_descent_m or 0.0
        parts.append(
            TaxingPart(
                "long_descent",
                LONG_DESCENT_POINTS_PER_M * terrain.longest_descent_drop_m,
                f"One descent drops {terrain.longest_descent_drop_m:.0f} m without a break "
                f"(over {_km(length)}): long braking, with the lower back arched.",
            )
        )
    surface_points = SURFACE_POINTS.get(terrain.surface, 0.0) if terrain.surface else 0.0
    if surface_points:
        word = "Trail" if terrain.surface is Surface.TRAIL else "Partly trail"
        parts.append(
            TaxingPart(
                "surface",
                surface_points,
                f"{word}: uneven ground makes every step a little different, which tires the "
                "trunk and legs sooner.",
            )
        )
    score = round(sum(p.points for p in parts), 1)
    notable = sorted((p for p in parts if p.points >= 2.0), key=lambda p: -p.points)
    explanation = [p.text for p in notable[:3]]
    if terrain.climb_m is None:
        explanation.append(
            "No height data in this route, so hills could not be judged; only the surface counts."
        )
    elif not explanation:
        explanation.append("Flat and even: the gentlest kind of route for a sore back.")
    return TaxingScore(
        score=score, band=band_for(score), parts=tuple(parts), explanation=tuple(explanation)
    )


@dataclass(frozen=True, slots=True)
class Route:
    """A saved route: where it came from, its terrain and its taxing score."""

    name: str
    source_kind: str  # "file" | "activity"
    source: str
    terrain: RouteTerrain
    taxing: TaxingScore
    n_points: int
    source_activity_id: int | None = None
    id: int | None = None
    created_at: datetime | None = None
