"""GPX: activities read from recorded tracks (:mod:`.reader`), planned routes read as courses
(:mod:`.route`) and tracks written for the demo and tests (:mod:`.writer`)."""

from __future__ import annotations

from backstride.adapters.files.gpx.reader import parse_gpx
from backstride.adapters.files.gpx.route import parse_gpx_course

__all__ = ["parse_gpx", "parse_gpx_course"]
