"""TCX (Garmin Training Center v2): activities read (:mod:`.reader`) and written for the tests
and benchmarks (:mod:`.writer`)."""

from __future__ import annotations

from backstride.adapters.files.tcx.reader import parse_tcx

__all__ = ["parse_tcx"]
