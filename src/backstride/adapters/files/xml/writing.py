"""What the GPX and TCX encoders share: the samples of the track they write, and its times."""

from __future__ import annotations

from typing import NotRequired, TypedDict

import numpy as np
import numpy.typing as npt


class TrackSamples(TypedDict):
    """One activity's samples, one entry per sample: UNIX seconds, WGS84 degrees, metres,
    beats and cycles per minute (an absent or all-NaN column is not written)."""

    epoch_s: npt.ArrayLike
    lat_deg: npt.ArrayLike
    lon_deg: npt.ArrayLike
    altitude_m: NotRequired[npt.ArrayLike | None]
    hr_bpm: NotRequired[npt.ArrayLike | None]
    cadence_rpm: NotRequired[npt.ArrayLike | None]


def iso_seconds(epoch_s: npt.NDArray[np.float64]) -> list[str]:
    """UNIX seconds → ``YYYY-MM-DDTHH:MM:SSZ`` (rounded to whole seconds, as watches export)."""
    stamps = np.round(epoch_s).astype("int64").astype("datetime64[s]")
    return [s + "Z" for s in np.datetime_as_string(stamps, unit="s").tolist()]
