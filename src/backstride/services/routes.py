"""Use cases for saved routes: add from a file or a past run, list, compare, delete.

A route file may be a planned GPX route (``<rte>``) or drawn track without times, read by
:mod:`backstride.adapters.files.gpx.route`; any recorded activity file (FIT, GPX, TCX,
optionally gzipped) is read through the importer's seam, :func:`read_activity`, and its first
activity becomes the course. Every route gets the taxing score of
:mod:`backstride.domain.routes`, cached with it, so listing and the daily guidance never
decode the points.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, replace
from pathlib import Path
from typing import TYPE_CHECKING, Any

from backstride.domain.activity import Activity, Sport, Streams, Surface
from backstride.domain.geo import compute_cumulative_distance_m
from backstride.domain.guidance import SavedRoute
from backstride.domain.routes import (
    TAXING_SOURCE,
    TAXING_VERSION,
    Route,
    clean_route_name,
    compute_route_terrain,
    compute_taxing_score,
)
from backstride.errors import (
    ActivityFileError,
    ConflictError,
    InvalidInputError,
    NotAnActivityError,
)
from backstride.services.context import App

if TYPE_CHECKING:
    from backstride.domain.activity import FloatArray


def _round(value: float | None, digits: int = 1) -> float | None:
    return None if value is None else round(float(value), digits)


@dataclass(frozen=True, slots=True)
class RouteView:
    route: Route

    def to_json(self) -> dict[str, Any]:
        r = self.route
        t = r.terrain
        km = t.distance_m / 1000.0
        return {
            "id": r.id,
            "name": r.name,
            "source_kind": r.source_kind,
            "source": r.source,
            "source_activity_id": r.source_activity_id,
            "created_at": r.created_at.isoformat() if r.created_at else None,
            "distance_km": round(km, 2),
            "climb_m": _round(t.climb_m, 0),
            "descent_m": _round(t.descent_m, 0),
            "climb_m_per_km": _round(t.climb_m / km, 1) if t.climb_m is not None else None,
            "descent_m_per_km": _round(t.descent_m / km, 1) if t.descent_m is not None else None,
            "steep_descent_m": _round(t.steep_descent_m, 0),
            "steep_descent_pct": (
                _round(100 * t.steep_descent_share, 1)
                if t.steep_descent_share is not None
                else None
            ),
            "longest_descent_drop_m": _round(t.longest_descent_drop_m, 0),
            "surface": t.surface.value if t.surface else None,
            "points": r.n_points,
            "taxing_score": r.taxing.score,
            "band": r.taxing.band,
            "parts": {p.key: round(p.points, 1) for p in r.taxing.parts},
            "explanation": list(r.taxing.explanation),
        }


@dataclass(frozen=True, slots=True)
class RouteList:
    routes: tuple[RouteView, ...]

    def to_json(self) -> dict[str, Any]:
        return {
            "routes": [v.to_json() for v in self.routes],
            "taxing_version": TAXING_VERSION,
            "source": TAXING_SOURCE,
        }


@dataclass(frozen=True, slots=True)
class RouteComparison:
    """Routes side by side, gentlest first."""

    routes: tuple[RouteView, ...]

    @property
    def gentlest(self) -> RouteView:
        return self.routes[0]

    def to_json(self) -> dict[str, Any]:
        return {
            "gentlest": self.gentlest.route.name,
            "routes": [v.to_json() for v in self.routes],
            "source": TAXING_SOURCE,
        }


def _parse_surface(text: str | None) -> Surface | None:
    if text is None:
        return None
    key = text.strip().lower()
    try:
        return Surface(key)
    except ValueError:
        raise InvalidInputError(
            f"'{text}' is not a known surface.",
            hint=f"Choose one of: {', '.join(s.value for s in Surface)}.",
        ) from None


def _build(
    *,
    name: str,
    source_kind: str,
    source: str,
    lat: FloatArray,
    lon: FloatArray,
    alt: FloatArray | None,
    distance: FloatArray,
    surface: Surface | None,
    activity_id: int | None = None,
) -> tuple[Route, Streams]:
    import numpy as np

    terrain = compute_route_terrain(distance, alt, surface=surface)
    if terrain.distance_m < 100.0:
        raise InvalidInputError(
            f"The course in '{source}' is only {terrain.distance_m:.0f} m long.",
            hint="A route needs at least 100 m.",
        )
    points = Streams.from_columns(
        {
            "time_s": np.zeros(distance.size),
            "lat_deg": lat,
            "lon_deg": lon,
            "altitude_m": alt if alt is not None else None,
            "distance_m": distance,
        }
    )
    route = Route(
        name=name,
        source_kind=source_kind,
        source=source,
        terrain=terrain,
        taxing=compute_taxing_score(terrain),
        n_points=int(distance.size),
        source_activity_id=activity_id,
    )
    return route, points


def _from_activity(
    activity: Activity,
    *,
    name: str,
    source_kind: str,
    source: str,
    surface: Surface | None,
    activity_id: int | None = None,
) -> tuple[Route, Streams]:
    import numpy as np

    from backstride.domain.metrics import compute_sample_distance_m

    s = activity.streams
    if not s.has_positions or s.lat_deg is None or s.lon_deg is None:
        raise InvalidInputError(
            f"{source} has no GPS positions, so it cannot become a route.",
            hint="Use a run recorded outdoors with GPS, or a GPX route from a mapping app.",
        )
    ok = np.isfinite(s.lat_deg) & np.isfinite(s.lon_deg)
    keep = s.select(ok)
    distance = compute_sample_distance_m(keep)
    if distance is None:
        raise InvalidInputError(f"{source} has no distance information.")
    return _build(
        name=name,
        source_kind=source_kind,
        source=source,
        lat=keep.lat_deg if keep.lat_deg is not None else np.zeros(0),
        lon=keep.lon_deg if keep.lon_deg is not None else np.zeros(0),
        alt=keep.altitude_m,
        distance=distance - distance[0],
        surface=surface,
        activity_id=activity_id,
    )


def _store(app: App, route: Route, points: Streams) -> RouteView:
    from backstride.adapters.db.route_repos import RouteRepo

    with app.store.session() as session:
        repo = RouteRepo(session)
        existing = repo.find(app.athlete_id, route.name)
        if existing is not None:
            raise ConflictError(
                f"There is already a route called '{existing.name}'.",
                hint="Choose another name, or delete the old one: `backstride route delete NAME`.",
            )
        new_id = repo.add(app.athlete_id, route, points)
        stored = repo.get(app.athlete_id, route.name)
    return RouteView(replace(stored, id=new_id))


def add_route_file(app: App, path: Path, *, name: str, surface: str | None = None) -> RouteView:
    """Save the course in ``path`` (a GPX route or track, or any activity file) as ``name``."""
    import numpy as np

    # The file readers (lxml, the FIT decoder) load here, not for every use of the saved
    # routes (the day's guidance reads them on every ``backstride today``).
    from backstride.adapters.files import read_activity
    from backstride.adapters.files.gpx.route import parse_gpx_course
    from backstride.domain.metrics import infer_surface

    clean = clean_route_name(name)
    chosen = _parse_surface(surface)
    max_bytes = int(app.settings.max_file_mb * 1024 * 1024)
    label = path.name
    try:
        activities = read_activity(path, max_bytes=max_bytes)
    except NotAnActivityError:
        activities = []
    if activities:
        act = activities[0]
        guessed = chosen or infer_surface(
            sport=act.sport,
            user_surface=act.surface,
            source_sport=act.source_sport,
            name=act.name,
            notes=act.notes,
        )
        route, points = _from_activity(
            act, name=clean, source_kind="file", source=label, surface=guessed
        )
        return _store(app, route, points)
    try:
        data = path.read_bytes()
    except OSError as exc:
        raise ActivityFileError(f"Could not open '{path}': {exc.strerror or exc}.") from exc
    course = parse_gpx_course(data, name=label, max_bytes=max_bytes)
    guessed = chosen or infer_surface(sport=Sport.RUN, name=course.name)
    distance = compute_cumulative_distance_m(course.lat_deg, course.lon_deg)
    alt = course.altitude_m if np.isfinite(course.altitude_m).any() else None
    route, points = _build(
        name=clean,
        source_kind="file",
        source=label,
        lat=course.lat_deg,
        lon=course.lon_deg,
        alt=alt,
        distance=distance,
        surface=guessed,
    )
    return _store(app, route, points)


def add_route_from_activity(
    app: App, activity_id: int, *, name: str, surface: str | None = None
) -> RouteView:
    """Save the course of a stored run (or any activity with GPS) as ``name``."""
    from backstride.adapters.db.metrics_repo import MetricsRepo
    from backstride.adapters.db.repos import ActivityRepo
    from backstride.domain.metrics import infer_surface

    clean = clean_route_name(name)
    chosen = _parse_surface(surface)
    with app.store.session() as session:
        activity = ActivityRepo(session).get(app.athlete_id, activity_id, with_streams=True)
        cached = MetricsRepo(session).get(activity_id)
    guessed = chosen
    if guessed is None and cached is not None and cached.surface:
        guessed = Surface(cached.surface)
    if guessed is None:
        guessed = infer_surface(
            sport=activity.sport,
            user_surface=activity.surface,
            source_sport=activity.source_sport,
            name=activity.name,
            notes=activity.notes,
        )
    route, points = _from_activity(
        activity,
        name=clean,
        source_kind="activity",
        source=f"activity {activity_id}",
        surface=guessed,
        activity_id=activity_id,
    )
    return _store(app, route, points)


def _refresh_scores(app: App) -> None:
    """Recompute cached scores written by an older formula (rare; decodes those routes)."""
    from backstride.adapters.db.route_repos import RouteRepo

    with app.store.session() as session:
        repo = RouteRepo(session)
        for route in repo.list(app.athlete_id):
            if route.taxing.version == TAXING_VERSION:
                continue
            pts = repo.points(app.athlete_id, route.name)
            if pts.distance_m is None:
                continue
            terrain = compute_route_terrain(
                pts.distance_m, pts.altitude_m, surface=route.terrain.surface
            )
            repo.update_score(
                app.athlete_id,
                route.name,
                replace(route, terrain=terrain, taxing=compute_taxing_score(terrain)),
            )


def list_routes(app: App) -> RouteList:
    """Every saved route, gentlest first."""
    from backstride.adapters.db.route_repos import RouteRepo

    _refresh_scores(app)
    with app.store.read_session() as session:
        routes = RouteRepo(session).list(app.athlete_id)
    return RouteList(tuple(RouteView(r) for r in routes))


def get_route(app: App, name: str) -> RouteView:
    from backstride.adapters.db.route_repos import RouteRepo

    with app.store.read_session() as session:
        return RouteView(RouteRepo(session).get(app.athlete_id, name))


def compare_routes(app: App, names: Sequence[str]) -> RouteComparison:
    """The named routes side by side, gentlest first (at least one name; repeats ignored)."""
    from backstride.adapters.db.route_repos import RouteRepo

    if not names:
        raise InvalidInputError("Name at least one route to compare.")
    _refresh_scores(app)
    seen: dict[int | None, RouteView] = {}
    with app.store.session() as session:
        repo = RouteRepo(session)
        for n in names:
            route = repo.get(app.athlete_id, n)
            seen.setdefault(route.id, RouteView(route))
    ordered = sorted(seen.values(), key=lambda v: (v.route.taxing.score, v.route.name))
    return RouteComparison(tuple(ordered))


def delete_route(app: App, name: str) -> str:
    from backstride.adapters.db.route_repos import RouteRepo

    with app.store.session() as session:
        repo = RouteRepo(session)
        route = repo.get(app.athlete_id, name)
        repo.delete(app.athlete_id, name)
    return route.name


def saved_routes(app: App) -> tuple[SavedRoute, ...]:
    """The guidance's view of the saved routes (cached scores only)."""
    routes = app.reads.routes(app.athlete_id)
    return tuple(
        SavedRoute(
            name=r.name,
            distance_m=r.terrain.distance_m,
            taxing_score=r.taxing.score,
            band=r.taxing.band,
            explanation=r.taxing.explanation,
            surface=r.terrain.surface,
        )
        for r in routes
    )
