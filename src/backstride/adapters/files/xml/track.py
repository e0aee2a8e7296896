"""What a GPX or TCX reader says about the points of a track it dropped or read in part."""

from __future__ import annotations

from backstride.adapters.files.xml.safe import ParsedTimes


def dropped_point_warnings(
    parsed: ParsedTimes, *, n_timed: int, unreadable_values: int, point: str, spec: str
) -> list[str]:
    """Warnings for one track: its ``point`` elements ("track points", "trackpoints") without a
    time or with an unreadable one (both dropped), times without a zone (taken as UTC, as the
    format ``spec`` says) and numbers that could not be read (ignored)."""
    warnings: list[str] = []
    untimed = len(parsed.epoch_s) - n_timed - parsed.unreadable
    if untimed:
        warnings.append(f"{untimed} {point} without a time dropped")
    if parsed.unreadable:
        warnings.append(f"{parsed.unreadable} {point} with an unreadable time dropped")
    if parsed.naive:
        warnings.append(f"times have no time zone; taken as UTC as {spec} specifies")
    if unreadable_values:
        warnings.append(f"{unreadable_values} unreadable numbers ignored")
    return warnings
