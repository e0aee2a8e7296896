"""Activity-file readers behind one seam.

``parse_fit``/``parse_gpx``/``parse_tcx`` take bytes and return every activity in the file;
:func:`parse_activity_bytes` sniffs the format (and gunzips); :func:`read_activity` reads a path.
Each raises only :class:`backstride.errors.ActivityFileError` subclasses.
"""

from __future__ import annotations

from backstride.adapters.files.detect import (
    FileFormat,
    detect_format,
    parse_activity_bytes,
    read_activity,
)

__all__ = ["FileFormat", "detect_format", "parse_activity_bytes", "read_activity"]
