"""A small TCX (Garmin Training Center Database v2) *encoder* for one activity.

Writes one ``<Activity>`` with one lap and a ``<Track>`` of trackpoints carrying time,
position, altitude, distance, heart rate and running cadence (``ns3:TPX/RunCadence``, strides
per minute). Built by string formatting so long activities encode quickly; used by benchmarks
and tests to make realistic archives.

Source: TrainingCenterDatabasev2.xsd and ActivityExtensionv2.xsd (Garmin).
"""

from __future__ import annotations

from datetime import UTC, datetime
from typing import Unpack
from xml.sax.saxutils import escape

import numpy as np

from backstride.adapters.files.xml.writing import TrackSamples, iso_seconds
from backstride.domain.geo import compute_cumulative_distance_m
from backstride.errors import InvalidInputError

TCX_NS = "http://www.garmin.com/xmlschemas/TrainingCenterDatabase/v2"
AX_NS = "http://www.garmin.com/xmlschemas/ActivityExtension/v2"
_SPORTS = {"running": "Running", "cycling": "Biking"}


def encode_tcx_activity(
    *,
    sport: str,
    notes: str | None = None,
    creator: str = "backstride",
    **samples: Unpack[TrackSamples],
) -> bytes:
    """Encode one activity's ``samples`` as TCX bytes (UTF-8). ``sport`` is ``running`` or
    ``cycling``."""
    t = np.asarray(samples["epoch_s"], dtype=np.float64)
    lat = np.asarray(samples["lat_deg"], dtype=np.float64)
    lon = np.asarray(samples["lon_deg"], dtype=np.float64)
    altitude_m = samples.get("altitude_m")
    hr_bpm = samples.get("hr_bpm")
    cadence_rpm = samples.get("cadence_rpm")
    n = len(t)
    if n == 0 or len(lat) != n or len(lon) != n:
        raise InvalidInputError("A TCX activity needs times and positions of equal length.")
    if sport not in _SPORTS:
        raise InvalidInputError(f"TCX sport must be one of {sorted(_SPORTS)}, got '{sport}'.")
    alt = np.asarray(altitude_m, dtype=np.float64) if altitude_m is not None else None
    hr = np.asarray(hr_bpm, dtype=np.float64) if hr_bpm is not None else None
    cad = np.asarray(cadence_rpm, dtype=np.float64) if cadence_rpm is not None else None
    dist = compute_cumulative_distance_m(lat, lon)
    times = iso_seconds(t)
    start = datetime.fromtimestamp(float(t[0]), tz=UTC).strftime("%Y-%m-%dT%H:%M:%SZ")
    parts: list[str] = [
        '<?xml version="1.0" encoding="UTF-8"?>\n'
        f'<TrainingCenterDatabase xmlns="{TCX_NS}" xmlns:ns3="{AX_NS}">\n'
        f' <Activities>\n  <Activity Sport="{_SPORTS[sport]}">\n   <Id>{start}</Id>\n'
        f'   <Lap StartTime="{start}">\n'
        f"    <TotalTimeSeconds>{t[-1] - t[0]:.1f}</TotalTimeSeconds>\n"
        f"    <DistanceMeters>{dist[-1]:.2f}</DistanceMeters>\n"
        "    <Intensity>Active</Intensity>\n    <TriggerMethod>Manual</TriggerMethod>\n"
        "    <Track>\n"
    ]
    lat_s = [f"{v:.7f}" for v in lat.tolist()]
    lon_s = [f"{v:.7f}" for v in lon.tolist()]
    dist_s = [f"{v:.2f}" for v in dist.tolist()]
    alt_s = [f"{v:.1f}" for v in alt.tolist()] if alt is not None else None
    hr_s = [f"{v:.0f}" for v in hr.tolist()] if hr is not None else None
    cad_s = [f"{v:.0f}" for v in cad.tolist()] if cad is not None else None
    for i in range(n):
        point = [
            f"     <Trackpoint><Time>{times[i]}</Time>"
            f"<Position><LatitudeDegrees>{lat_s[i]}</LatitudeDegrees>"
            f"<LongitudeDegrees>{lon_s[i]}</LongitudeDegrees></Position>"
        ]
        if alt_s is not None:
            point.append(f"<AltitudeMeters>{alt_s[i]}</AltitudeMeters>")
        point.append(f"<DistanceMeters>{dist_s[i]}</DistanceMeters>")
        if hr_s is not None:
            point.append(f"<HeartRateBpm><Value>{hr_s[i]}</Value></HeartRateBpm>")
        if cad_s is not None:
            point.append(
                f"<Extensions><ns3:TPX><ns3:RunCadence>{cad_s[i]}</ns3:RunCadence>"
                "</ns3:TPX></Extensions>"
            )
        point.append("</Trackpoint>\n")
        parts.append("".join(point))
    parts.append("    </Track>\n   </Lap>\n")
    if notes:
        parts.append(f"   <Notes>{escape(notes)}</Notes>\n")
    parts.append(
        f"   <Creator><Name>{escape(creator)}</Name></Creator>\n"
        "  </Activity>\n </Activities>\n</TrainingCenterDatabase>\n"
    )
    return "".join(parts).encode("utf-8")
