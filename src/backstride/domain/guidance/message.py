"""A rule's words: message templates declared with the rule, rendered in the runner's units.

Each rule declares its templates beside its ids, thresholds and evidence
(``@rule(..., words={...})``). A template is a ``str.format`` text whose fields are either a
threshold in force, ``{p.spike_caution_ratio:over}`` (only the parameters the rule declares),
or a value the rule measured, ``{run:dist}``. The format spec says what kind of number the
field holds; :class:`Voice` turns it into words in the runner's units (kilometres or miles):

========  =====================================  ==================  ==================
spec      the value                              in km               in mi
========  =====================================  ==================  ==================
``dist``  a distance in metres (1 decimal)       ``5.2 km``          ``3.2 mi``
``dist0`` a distance in metres (whole)           ``500 km``          ``311 mi``
``km``    a distance in kilometres (1 decimal)   ``5.2 km``          ``3.2 mi``
``km0``   a distance in kilometres (whole)       ``500 km``          ``311 mi``
``m``     a short length or height in metres     ``300 m``           ``984 ft``
``pace``  a speed in metres per second           ``5:12 min/km``     ``8:22 min/mi``
``pct``   a ratio, as a whole percentage         ``25``              ``25``
``over``  a ratio above 1, as percent more       ``25`` (for 1.25)   ``25``
``on``    a date                                 ``Mon 7 Dec``       ``Mon 7 Dec``
``f0``    a number, whole                        ``3``               ``3``
``neg0``  a negative number, whole, without sign ``10`` (for -10)    ``10``
``f1``    a number, up to 1 decimal              ``1.5``             ``1.5``
``f2``    a number, up to 2 decimals             ``1.25``            ``1.25``
========  =====================================  ==================  ==================

Any other spec is Python's own (``{score}``, ``{n:.0f}``). The thresholds, the decision and
the findings' ids never depend on the units: only the words do.
"""

from __future__ import annotations

import string
from collections.abc import Iterator, Mapping
from dataclasses import dataclass
from datetime import date
from typing import Any, TypedDict

from backstride.domain.guidance.words import _f, _on, _pct
from backstride.domain.params import GuidanceParams
from backstride.domain.units import METRES_PER_FOOT, check_units, distance_unit_m

#: The format specs :class:`Voice` reads, with a sample value of each kind (for previews).
SPECS: Mapping[str, Any] = {
    "dist": 5200.0,
    "dist0": 500_000.0,
    "km": 5.2,
    "km0": 500.0,
    "m": 300.0,
    "pace": 3.2,
    "pct": 0.25,
    "over": 1.25,
    "on": date(2026, 12, 7),
    "f0": 3,
    "neg0": -10.0,
    "f1": 1.5,
    "f2": 1.25,
}


class Voice(string.Formatter):
    """Renders message templates in ``units`` (``km`` or ``mi``)."""

    def __init__(self, units: str = "km") -> None:
        super().__init__()
        self.units = check_units(units)

    # --- the pieces, for text written outside a template ----------------------------------

    def distance(self, metres: float, digits: int = 1, *, zeros: bool = False) -> str:
        """``5.2 km`` or ``3.2 mi``; trailing zeros dropped (``5 km``) unless ``zeros``."""
        value = metres / distance_unit_m(self.units)
        shown = f"{value:.{digits}f}" if zeros else _f(value, digits)
        return f"{shown} {self.units}"

    def length(self, metres: float) -> str:
        """A short length or a height: ``300 m`` or ``984 ft``."""
        if self.units == "mi":
            return f"{metres / METRES_PER_FOOT:.0f} ft"
        return f"{metres:.0f} m"

    def pace(self, speed_m_s: float) -> str:
        """``5:12 min/km`` or ``8:22 min/mi``."""
        s = distance_unit_m(self.units) / speed_m_s
        return f"{int(s // 60)}:{int(round(s % 60)):02d} min/{self.units}"

    def number(self, key: str, value: float) -> str:
        """A finding's number by its ``evidence`` key's suffix, with its unit: ``_km`` in the
        runner's distance unit, ``_m`` as a length (m or ft)."""
        for suffix, unit in _NUMBER_UNITS:
            if f"_{key}".endswith(suffix):
                if suffix == "_km" and self.units == "mi":
                    # As many decimals as the kilometres show (739 km -> 459 mi, 5.2 -> 3.2).
                    shown = f"{value:g}"
                    digits = len(shown.partition(".")[2]) if "e" not in shown else 1
                    return f"{round(value * 1000.0 / distance_unit_m('mi'), digits):g} mi"
                if suffix == "_m" and self.units == "mi":
                    return self.length(value)
                return f"{value:g}{unit}" if isinstance(value, float) else f"{value}{unit}"
        return f"{value:g}" if isinstance(value, float) else f"{value}"

    # --- string.Formatter ------------------------------------------------------------------

    def format_field(self, value: Any, format_spec: str) -> str:
        if format_spec == "dist":
            return self.distance(value)
        if format_spec == "dist0":
            return self.distance(value, 0)
        if format_spec == "km":
            return self.distance(value * 1000.0)
        if format_spec == "km0":
            return self.distance(value * 1000.0, 0)
        if format_spec == "m":
            return self.length(value)
        if format_spec == "pace":
            return self.pace(value)
        if format_spec == "pct":
            return str(_pct(value))
        if format_spec == "over":
            return str(_pct(value - 1.0))
        if format_spec == "on":
            return _on(value)
        if format_spec == "neg0":
            return _f(-value, 0)
        if format_spec in ("f0", "f1", "f2"):
            return _f(value, int(format_spec[1]))
        return str(super().format_field(value, format_spec))


_NUMBER_UNITS: tuple[tuple[str, str], ...] = (
    ("_km", " km"),
    ("_pct", " %"),
    ("_spm", " steps/min"),
    ("_m", " m"),
    ("_hours", " h"),
)

KM = Voice("km")


class Words(TypedDict):
    """A finding's three texts, rendered: ``Finding(..., **say.words("key", ...))``."""

    title: str
    reason: str
    action: str


@dataclass(frozen=True, slots=True)
class Say:
    """A rule's templates bound to the thresholds in force and the runner's units: the
    check calls ``say("key", **measured)`` for one text and ``say.words("key", ...)`` for the
    ``key.title``, ``key.reason`` and ``key.action`` of a finding."""

    templates: Mapping[str, str]
    params: GuidanceParams
    voice: Voice = KM

    def __call__(self, key: str, **values: Any) -> str:
        return self.voice.format(self.templates[key], p=self.params, **values)

    def words(self, key: str, **values: Any) -> Words:
        return Words(
            title=self(f"{key}.title", **values),
            reason=self(f"{key}.reason", **values),
            action=self(f"{key}.action", **values),
        )


# ---------------------------------------------------------------------------------------------
# Reading templates (for the registry's tests, the docs page and the API schema)


@dataclass(frozen=True, slots=True)
class Field:
    """One field of a template: ``p.name`` (a threshold) or a measured value, and its spec."""

    name: str
    spec: str

    @property
    def param(self) -> str | None:
        """The :class:`GuidanceParams` field it names, or None for a measured value."""
        return self.name.removeprefix("p.") if self.name.startswith("p.") else None


def template_fields(template: str) -> Iterator[Field]:
    """The fields of ``template``, in order."""
    for _, name, spec, _ in string.Formatter().parse(template):
        if name is not None:
            yield Field(name, spec or "")


class _Preview(Voice):
    """Fills thresholds from the params and each measured value with a sample of its kind
    (``samples=True``) or its name in angle brackets (for the docs page); a field named after
    another of the rule's templates (a fragment) is that template, previewed."""

    def __init__(self, units: str, *, samples: bool, fragments: Mapping[str, str]) -> None:
        super().__init__(units)
        self.samples = samples
        self.fragments = fragments

    def get_value(self, key: int | str, args: Any, kwargs: Mapping[str, Any]) -> Any:
        if isinstance(key, str) and key in kwargs:
            return kwargs[key]
        if isinstance(key, str) and key in self.fragments:
            return _Fragment(self.fragments[key])
        return _Measured(str(key))

    def format_field(self, value: Any, format_spec: str) -> str:
        if isinstance(value, _Fragment):
            return self.vformat(value.text, (), {"p": self._params})
        if isinstance(value, _Measured):
            if not self.samples:
                return f"‹{value.name.replace('_', ' ')}›"
            value = SPECS.get(format_spec, value.name)
            if format_spec not in SPECS and format_spec:
                value = 1.0
        return super().format_field(value, format_spec)

    def vformat(self, format_string: str, args: Any, kwargs: Mapping[str, Any]) -> str:
        self._params = kwargs["p"]
        return super().vformat(format_string, args, kwargs)


@dataclass(frozen=True, slots=True)
class _Measured:
    name: str


@dataclass(frozen=True, slots=True)
class _Fragment:
    text: str


def preview(
    template: str,
    params: GuidanceParams,
    units: str = "km",
    *,
    samples: bool,
    fragments: Mapping[str, str] | None = None,
) -> str:
    """``template`` with the thresholds of ``params`` filled in; each measured value shown as
    ``‹its name›`` (or, with ``samples``, a sample value of its kind); a field named after one
    of ``fragments`` (the rule's other templates) is that fragment, previewed the same way."""
    return _Preview(units, samples=samples, fragments=fragments or {}).format(template, p=params)
