"""FIT activity files (Garmin's binary format), decoded with numpy.

Entry point: :func:`parse_fit` (bytes -> one :class:`Activity` per session). Tests and the
benchmark also use :func:`decode_fit`, which stops before activities are assembled. The
FIT profile pieces used (message and field numbers, base types, scales, offsets, enum
names) are in :mod:`backstride.adapters.files.fit.profile`, generated from the Garmin FIT
SDK; the format itself is the FIT protocol (FIT SDK documentation, "FIT File Structure").

How it is fast
--------------
1. The bytes are split into chained FIT files (header, data, CRC). Each CRC-16 is computed
   in a handful of numpy operations whatever the length (:func:`compute_fit_crc`).
2. One plain-Python walk over the record headers (:class:`_Walker`). Definition messages
   are parsed once per distinct definition (a redefinition identical to an earlier one
   shares its layout; a different one starts a new layout, so redefinitions mid-file
   work); developer fields are skipped by their size and unknown messages by their
   definition's length. Data messages are never read here: only their byte offsets are
   kept, per layout. Runs of one message (``record, record, ...``) or of two alternating
   ones (``record, hrv, record, hrv, ...``) are measured with one strided slice and
   ``bytes.lstrip``; irregular stretches go through a tight loop that only looks up each
   header byte's message size, and their offsets are sorted out per layout with numpy.
   Compressed-timestamp headers are only noted.
3. What a definition means (field offsets, numpy formats, a structured dtype per message
   type) is worked out once per distinct definition and shared by every file that uses
   it: a device writes the same definitions in each of its files, so a bulk import pays
   for it once.
4. Per message type and layout, the messages are gathered whole with one fancy index
   through an overlapping view of the file (element ``i`` = the message starting at byte
   ``i``) and viewed through the structured dtype; each field is then decoded from its
   strided column: invalid value -> NaN, value = raw / scale - offset. Compressed
   timestamps (5-bit rolling offsets) and the compressed speed/distance field (12-bit
   accumulated distance) are expanded with cumulative sums. No Python code runs per
   record after the walk; message types with a handful of messages (sessions, file_id)
   are unpacked with one ``struct`` per layout.

Decisions on damaged and odd files
----------------------------------
- Any checksum (CRC) mismatch rejects the file: "The checksum does not match ...: the file
  is damaged." (``activity-filecrc.fit``; also ``activity-activity-filecrc.fit``, whose
  second chained activity is damaged). A header CRC of 0 means "not computed".
- A file shorter than its header's declared size is *salvaged*: every complete message
  is decoded, the incomplete end is dropped and the activities carry a warning ("The file
  ends early ...": ``activity-unexpected-eof.fit``, ``activity-settings-nodata.fit`` whose
  second chained file is cut).
- A file whose last message runs past the declared data size has no CRC where the header
  says: the device never closed it. It is read to its last complete message and salvaged
  with a warning (``nick.fit``, an unterminated Sigma recording).
- A data message of a local type that was never defined means the stream lost its place.
  The decoder resynchronises on the next offset (within 4 KiB) from which 8 messages read
  consistently, and warns how many bytes it skipped (``strava-android-app-...fit``: six
  malformed records, 1209 records read where the reference readers stop at 473). This
  applies to CRC-valid and truncated files; a CRC-damaged one is rejected.
- Bytes after the last FIT file that are not another FIT header are ignored with a warning
  (``activity-settings-corruptheader.fit``); zero padding is ignored silently.
- A header declaring 0 data bytes followed by data is rejected: the watch never finished
  the recording (``empty-activities.fit``). An empty or header-only file is rejected too.
- ``file_id.type`` other than activity -> :class:`NotAnActivityError` ("... skipped: not an
  activity file (it is a settings file)"). Without ``file_id``, or with one lacking a type,
  records or sessions are taken as an activity. In chained files one activity
  ``file_id`` is enough (``activity-settings.fit``: an activity, then settings).
- Several sessions -> several activities. Session windows are ``[start_time, start_time +
  total_elapsed_time]``; a record goes to the window holding it (the later session where
  windows overlap) or to the nearest one. Sessions of sport ``transition`` (triathlon
  changeovers of a minute or two) are dropped with their records, unless every session is
  one. A session without records still gives an activity from the device's totals, with a
  warning; so does one whose records carry no time (``7617306288.fit``). Without sessions,
  all records form one activity, its sport from the ``sport`` message if any.
- A record dated more than a day from every session is a clock glitch (jumps of years in
  ``2013-04-11-17-32-50.fit`` and the Strava file): its time is blanked and cleaning drops
  it with a warning, unless most records are that far off (then the sessions' times are
  the broken ones).
- Moving time above elapsed time (``inverted-times.fit``) is taken as swapped and corrected
  with a warning.
- ``source_sport`` is FIT's ``sport/sub_sport`` ("running/treadmill"); a ``generic``
  sub-sport is left out ("running"). Cadence is stored raw (``cadence +
  fractional_cadence``: strides per minute for running), never doubled.
- ``utc_offset_s`` is ``activity.local_timestamp - activity.timestamp`` when within +-14 h,
  rounded to 15 minutes (every time zone is a multiple of 15 minutes); else unknown. That
  message is written at the end of the recording, so the offset holds at its timestamp
  (``Activity.utc_offset_at``); the importer turns it into the offset at the start
  (:mod:`backstride.adapters.timezones`), which differs on a daylight-saving day.
- Timer events (``event`` = timer; ``event_type`` start, or stop / stop_all / stop_disable /
  stop_disable_all) give each activity the time the device's timer ran inside its window
  (``Activity.device_timer_s``; the analysis reports it as the timer time).
- Speed and altitude prefer the 32-bit ``enhanced_*`` fields; speed and distance fall back
  to the compressed speed/distance field. Heart rate in separate ``hr`` messages (HRM-Pro
  plugin files) is not merged into records. The device is ``file_id`` manufacturer and
  product (name, or Garmin product name), e.g. "garmin fr945".
- Only :mod:`backstride.errors` exceptions leave :func:`parse_fit`; anything unexpected is
  reported as a damaged file with the byte offset the decoder had reached.
"""

from __future__ import annotations

from backstride.adapters.files.fit.crc import compute_fit_crc
from backstride.adapters.files.fit.messages import (
    FitData,
    FitLap,
    FitRecords,
    FitSession,
    FitTimerEvents,
    decode_fit,
)
from backstride.adapters.files.fit.sessions import assign_to_sessions, parse_fit

__all__ = [
    "FitData",
    "FitLap",
    "FitRecords",
    "FitSession",
    "FitTimerEvents",
    "assign_to_sessions",
    "compute_fit_crc",
    "decode_fit",
    "parse_fit",
]
