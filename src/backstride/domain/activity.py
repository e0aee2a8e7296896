"""The domain ``Activity``: a summary plus numpy streams, all in SI units.

Times inside streams are seconds since ``start_at`` (an aware UTC datetime). Positions are
decimal degrees (WGS84). Cadence is stored as the device reports it, in cycles per minute
(for running that is strides per minute, as FIT, TCX and Garmin's GPX extension store it);
:func:`backstride.domain.metrics` converts to steps per minute.
"""

from __future__ import annotations

import enum
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field, fields, replace
from datetime import date, datetime, timedelta
from typing import TYPE_CHECKING, Any, TypedDict

from backstride.errors import InvalidInputError
from backstride.lazy import lazy_names

if TYPE_CHECKING:
    import numpy as np
    import numpy.typing as npt

    from backstride.domain.arrays import FloatArray as FloatArray

# numpy is imported on first use: the day's answer (``backstride today``) reads sports and
# surfaces from here but no stream (docs/architecture.md, "What the day reads").
__getattr__ = lazy_names(__name__, {"FloatArray": "backstride.domain.arrays"}, globals())


class Sport(enum.StrEnum):
    """backstride's small sport vocabulary; the source's own label is kept beside it."""

    RUN = "run"
    TRAIL_RUN = "trail_run"
    TREADMILL_RUN = "treadmill_run"
    WALK = "walk"
    HIKE = "hike"
    CYCLE = "cycle"
    SWIM = "swim"
    STRENGTH = "strength"
    MOBILITY = "mobility"
    OTHER = "other"

    @property
    def is_run(self) -> bool:
        return self in (Sport.RUN, Sport.TRAIL_RUN, Sport.TREADMILL_RUN)


RUN_SPORTS = frozenset({Sport.RUN, Sport.TRAIL_RUN, Sport.TREADMILL_RUN})


class Surface(enum.StrEnum):
    ROAD = "road"
    TRACK = "track"
    TRAIL = "trail"
    TREADMILL = "treadmill"
    MIXED = "mixed"


_SPORT_WORDS: tuple[tuple[tuple[str, ...], Sport], ...] = (
    (
        ("treadmill", "indoor_running", "indoor running", "virtual_run", "virtualrun"),
        Sport.TREADMILL_RUN,
    ),
    (("trail",), Sport.TRAIL_RUN),
    (("run", "jog"), Sport.RUN),
    (("hik",), Sport.HIKE),
    (("walk",), Sport.WALK),
    (("cycl", "bik", "ride", "spin", "e_bik", "ebik"), Sport.CYCLE),
    (("swim", "pool", "open_water"), Sport.SWIM),
    (("strength", "weight", "training", "crossfit", "hiit"), Sport.STRENGTH),
    (("yoga", "pilates", "mobility", "stretch", "flexibility"), Sport.MOBILITY),
)


def map_sport(label: str | None, sub_label: str | None = None) -> Sport:
    """Map a source's sport label (FIT sport/sub_sport, GPX type, TCX Sport, Strava type).

    Matching is by lower-case word stems; anything unknown is ``other``.
    """
    text = " ".join(s for s in (label, sub_label) if s).strip().lower().replace("-", "_")
    if not text:
        return Sport.OTHER
    if text in {s.value for s in Sport}:
        return Sport(text)
    for stems, sport in _SPORT_WORDS:
        if any(stem in text for stem in stems):
            # "trail" on its own (e.g. trail riding) only means trail running with "run".
            if sport is Sport.TRAIL_RUN and "run" not in text:
                continue
            return sport
    return Sport.OTHER


STREAM_NAMES: tuple[str, ...] = (
    "time_s",
    "lat_deg",
    "lon_deg",
    "altitude_m",
    "distance_m",
    "speed_m_s",
    "hr_bpm",
    "cadence_rpm",
    "power_w",
)


@dataclass(frozen=True, slots=True, eq=False)
class Streams:
    """Per-sample columns of one activity. ``time_s`` is always present; others may be None.

    Missing samples inside a present column are NaN.
    """

    time_s: FloatArray
    lat_deg: FloatArray | None = None
    lon_deg: FloatArray | None = None
    altitude_m: FloatArray | None = None
    distance_m: FloatArray | None = None
    speed_m_s: FloatArray | None = None
    hr_bpm: FloatArray | None = None
    cadence_rpm: FloatArray | None = None
    power_w: FloatArray | None = None

    def __post_init__(self) -> None:
        n = len(self.time_s)
        for f in fields(self):
            col = getattr(self, f.name)
            if col is not None and len(col) != n:
                raise InvalidInputError(
                    f"Stream '{f.name}' has {len(col)} samples but time has {n}."
                )

    def __len__(self) -> int:
        return len(self.time_s)

    @property
    def has_positions(self) -> bool:
        import numpy as np

        return (
            self.lat_deg is not None
            and self.lon_deg is not None
            and bool(np.isfinite(self.lat_deg).any())
        )

    def present(self) -> dict[str, FloatArray]:
        """The columns that exist, by name."""
        return {
            f.name: getattr(self, f.name) for f in fields(self) if getattr(self, f.name) is not None
        }

    @classmethod
    def from_columns(cls, columns: Mapping[str, Any]) -> Streams:
        """Build from a name→array mapping; all-NaN columns become None."""
        import numpy as np

        kwargs: dict[str, FloatArray | None] = {}
        for name in STREAM_NAMES:
            col = columns.get(name)
            if col is None:
                kwargs[name] = None if name != "time_s" else np.empty(0, dtype=np.float64)
                continue
            arr = np.asarray(col, dtype=np.float64)
            if name != "time_s" and (arr.size == 0 or not np.isfinite(arr).any()):
                kwargs[name] = None if arr.size else (arr if name == "time_s" else None)
                continue
            kwargs[name] = arr
        return cls(**kwargs)  # type: ignore[arg-type]

    @classmethod
    def empty(cls) -> Streams:
        import numpy as np

        return cls(time_s=np.empty(0, dtype=np.float64))

    def select(self, mask: npt.NDArray[np.bool_]) -> Streams:
        """Keep only the samples where ``mask`` is true."""
        cols = {name: arr[mask] for name, arr in self.present().items()}
        return Streams.from_columns(cols)


@dataclass(frozen=True, slots=True)
class Lap:
    """A lap as the device recorded it (seconds since the activity start)."""

    start_s: float
    duration_s: float | None = None
    distance_m: float | None = None


@dataclass(frozen=True, slots=True)
class DeviceTotals:
    """Session totals written by the device (FIT session / TCX lap sums), for validation."""

    distance_m: float | None = None
    timer_s: float | None = None
    elapsed_s: float | None = None
    ascent_m: float | None = None
    descent_m: float | None = None
    avg_hr_bpm: float | None = None
    max_hr_bpm: float | None = None
    avg_cadence_rpm: float | None = None


@dataclass(frozen=True, slots=True)
class Activity:
    """One activity, as parsed from a file or entered by hand.

    Summary values are the best available: the device's own totals when it wrote them,
    otherwise computed from the streams. ``None`` means unknown, never zero.
    """

    sport: Sport
    start_at: datetime
    duration_s: float
    source_sport: str = ""
    utc_offset_s: int | None = None
    moving_time_s: float | None = None
    distance_m: float | None = None
    elevation_gain_m: float | None = None
    elevation_loss_m: float | None = None
    avg_hr_bpm: float | None = None
    max_hr_bpm: float | None = None
    avg_cadence_rpm: float | None = None
    name: str | None = None
    device: str | None = None
    notes: str | None = None
    surface: Surface | None = None
    rpe: float | None = None
    gear: str | None = None
    source_format: str = "manual"
    streams: Streams = field(default_factory=Streams.empty)
    laps: tuple[Lap, ...] = ()
    device_totals: DeviceTotals | None = None
    warnings: tuple[str, ...] = ()
    #: How long the device's timer ran within this activity, from its own timer start and
    #: stop events (FIT); None when the file has none (see ``metrics.compute_timer_time_s``).
    device_timer_s: float | None = None
    #: The time zone of the local clock: an IANA name ("Europe/Zurich") or a fixed offset
    #: ("UTC+09:00"); None when unknown. ``utc_offset_s`` is that zone's offset at the start.
    time_zone: str | None = None
    #: Where ``time_zone`` came from: "place" (the first GPS fix), "file" (the file's own
    #: offset), "setting" (the time-zone setting); None when unknown.
    time_zone_source: str | None = None
    #: When a parser found ``utc_offset_s`` stated at another instant than the start (a FIT
    #: file's ``activity`` message, written at the end), that instant; None: at the start.
    utc_offset_at: datetime | None = None

    def __post_init__(self) -> None:
        if self.start_at.tzinfo is None or self.start_at.utcoffset() != timedelta(0):
            raise InvalidInputError("Activity start must be an aware UTC datetime.")
        import numpy as np

        if not np.isfinite(self.duration_s) or self.duration_s < 0:
            raise InvalidInputError(f"Activity duration must be >= 0 s, got {self.duration_s}.")

    @property
    def end_at(self) -> datetime:
        return self.start_at + timedelta(seconds=self.duration_s)

    @property
    def local_start(self) -> datetime:
        """Start in the athlete's local wall-clock time (UTC when the offset is unknown)."""
        return self.start_at + timedelta(seconds=self.utc_offset_s or 0)

    def with_changes(self, **changes: Any) -> Activity:
        return replace(self, **changes)


class ActivityFilters(TypedDict, total=False):
    """Which stored activities a list or a count covers: local days from ``since`` to
    ``until``, these ``sports`` (stored values), ``text`` in the name, notes or source."""

    since: date | None
    until: date | None
    sports: Sequence[str] | None
    text: str | None
