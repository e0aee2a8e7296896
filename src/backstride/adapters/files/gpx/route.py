"""A small, safe reader for *planned* GPX courses: ``<rte>`` routes and untimed ``<trk>`` tracks.

The activity parser (:mod:`.gpx`) skips these as "not an activity"; saved routes need exactly
them. Decisions:

* Same defences as every XML read here (:mod:`..xml.safe`): no DOCTYPE or entities, no network,
  libxml2's size and depth limits, streaming with the read points freed.
* Positions (``lat``/``lon`` attributes) and ``<ele>`` only; times, if any, are ignored.
* Track points win over route points when a file has both (a drawn track is usually the
  finer line); otherwise every ``<rtept>`` in file order. Several tracks or routes are joined
  in file order into one course.
* Points without a readable position are dropped; fewer than two points is not a course.
"""

from __future__ import annotations

import math
from dataclasses import dataclass, field
from typing import Any

import numpy as np

from backstride.adapters.files.detect import gunzip_capped
from backstride.adapters.files.xml.safe import (
    child_texts,
    iter_elements,
    local_name,
    read_or_refuse,
    release,
)
from backstride.domain.activity import FloatArray
from backstride.errors import CorruptFileError, NotAnActivityError

_TAGS = ("{*}trkpt", "{*}rtept", "{*}trk", "{*}rte")


@dataclass(frozen=True, slots=True)
class GpxCourse:
    """The points of a planned course, WGS84 degrees and metres (NaN = no altitude)."""

    name: str | None
    kind: str  # "track" | "route"
    lat_deg: FloatArray
    lon_deg: FloatArray
    altitude_m: FloatArray


@dataclass(slots=True)
class _Points:
    lat: list[float] = field(default_factory=list)
    lon: list[float] = field(default_factory=list)
    ele: list[float] = field(default_factory=list)


def _float(text: str | None) -> float:
    if text is None:
        return math.nan
    try:
        value = float(text)
    except ValueError:
        return math.nan
    return value if math.isfinite(value) else math.nan


def _remember_name(point: Any, owner: str, names: dict[str, str]) -> None:
    """The ``<name>`` of the track or route a point belongs to, read before the points (and
    the name before them) are freed."""
    parent = point.getparent()
    if parent is not None and local_name(parent.tag) == "trkseg":
        parent = parent.getparent()
    if parent is None:
        return
    for child in parent:
        if local_name(child.tag) == "name" and child.text and child.text.strip():
            names[owner] = child.text.strip()
            return


def _read(data: bytes) -> GpxCourse:
    stream = iter_elements(data, tags=_TAGS)
    if stream.prolog.root_name not in (None, "gpx"):
        raise CorruptFileError(
            f"This is not a GPX file: its root element is <{stream.prolog.root_name}>, not <gpx>."
        )
    found = {"trkpt": _Points(), "rtept": _Points()}
    names: dict[str, str] = {}
    for _event, el in stream.events:
        kind = local_name(el.tag)
        if kind in ("trkpt", "rtept"):
            owner = "trk" if kind == "trkpt" else "rte"
            if owner not in names:
                _remember_name(el, owner, names)
            lat, lon = _float(el.get("lat")), _float(el.get("lon"))
            if (
                math.isfinite(lat)
                and math.isfinite(lon)
                and -90 <= lat <= 90
                and -180 <= lon <= 180
            ):
                ele = math.nan
                for child in el:
                    if local_name(child.tag) == "ele":
                        ele = _float(child.text)
                        break
                pts = found[kind]
                pts.lat.append(lat)
                pts.lon.append(lon)
                pts.ele.append(ele)
            release(el)
        elif kind in ("trk", "rte"):
            el.clear()
    root = stream.finish()
    if local_name(root.tag) != "gpx":
        raise CorruptFileError(
            f"This is not a GPX file: its root element is <{local_name(root.tag)}>, not <gpx>."
        )
    use = "trkpt" if len(found["trkpt"].lat) >= 2 else "rtept"
    pts = found[use]
    if len(pts.lat) < 2:
        raise NotAnActivityError(
            "The GPX file holds no route or track with at least two points.",
            hint="Export the route again from your mapping app as GPX.",
        )
    meta_name = None
    for child in root:
        if local_name(child.tag) == "metadata":
            meta_name = child_texts(child).get("name")
    kind = "track" if use == "trkpt" else "route"
    return GpxCourse(
        name=names.get("trk" if use == "trkpt" else "rte") or meta_name or None,
        kind=kind,
        lat_deg=np.asarray(pts.lat, dtype=np.float64),
        lon_deg=np.asarray(pts.lon, dtype=np.float64),
        altitude_m=np.asarray(pts.ele, dtype=np.float64),
    )


def parse_gpx_course(data: bytes, *, name: str = "", max_bytes: int) -> GpxCourse:
    """The course in GPX ``data`` (gzip allowed). Raises only backstride errors."""
    if data[:2] == b"\x1f\x8b":
        data = gunzip_capped(data, name=name or "the file", max_bytes=max_bytes)
    return read_or_refuse(_read, data, what="GPX")
