"""Turn the user's import arguments into a lazy stream of candidate activity files.

:func:`iter_sources` takes the paths given to ``backstride import`` (files, folders, zip
archives, Strava and Garmin bulk exports) and yields, in a deterministic order, one
:class:`SourceFile` per candidate activity file or one :class:`SourceProblem` for anything
that cannot even become a candidate (a missing path, a damaged or hostile archive, ...).
Nothing is parsed here and nothing is extracted to disk: a :class:`SourceFile` only records
where its bytes live, and :meth:`SourceFile.read_bytes` reads them on demand, in this process
or in a worker process (the object is picklable).

What is yielded:

* A file named explicitly is always yielded, whatever its extension, so that the parser can
  sniff it and explain; a file without a known extension that starts like a zip archive is
  opened as one.
* A folder is walked recursively in sorted order, following symbolic links but never
  entering the same folder twice (so link loops end). Hidden and system entries (names
  starting with ``.``, ``__MACOSX``, ``Thumbs.db``, ``desktop.ini``, ...) are skipped. Files
  ending in ``.fit``, ``.gpx`` or ``.tcx`` (any case, optionally ``.gz``) are yielded; ``.zip``
  files are opened as archives; everything else (``.json``, photos, other CSVs) is ignored.
* A zip archive is read with :mod:`zipfile`, members sorted by name, with the same rules.
  Zip archives inside it (Garmin's ``UploadedFiles_0-_Part1.zip``) are unpacked in memory and
  listed in turn, up to ``SourceLimits.max_depth`` archives deep.
* A folder or archive member named ``activities.csv`` whose header has ``Activity ID`` and
  ``Filename`` columns marks a Strava bulk export rooted at its folder: the row whose
  ``Filename`` matches a file attaches an :class:`ActivityMeta` to it, such a file is yielded
  whatever its extension, and every listed file the export lacks becomes a failed problem.
  Rows with an empty ``Filename`` (activities entered by hand on Strava, without a recording)
  are ignored: there is nothing to import for them.
* A folder or archive given explicitly that holds no candidate at all yields one *skipped*
  problem, so that the import report does not silently show nothing.

Safety (zip bombs, hostile archives). Member names that are absolute, carry a drive letter or
escape with ``..`` (backslashes count as separators), and symbolic-link members, are refused
as ``unsafe path in archive`` and never read. Encrypted members and unknown compression
methods are refused. An archive with more than ``max_members`` entries is refused before its
directory is loaded, and one holding more than ``max_files`` activity files (nested archives'
files included) is refused whole, or, when nested archives take it past that, from there on:
an archive of countless tiny files would otherwise cost a history entry and time per file.
A member is refused when its declared unpacked size exceeds
``max_file_bytes`` (``max_archive_bytes`` for a nested archive) or its declared unpacked/packed
ratio exceeds ``max_ratio``; the same limits are enforced again on the bytes actually
unpacked, because headers can lie. The ratio is only judged once a member unpacks to more than
1 MiB, so tiny, very repetitive files are not mistaken for bombs. Each top-level archive has
one budget of ``max_archive_bytes`` for the declared sizes of everything that would be unpacked
from it (candidate files, ``activities.csv`` excluded, and nested archives *plus* their
members, since both are unpacked); once spent, the remaining candidates become problems.
Ignored members (photos, JSON) do not count.

Damage inside a member (a bad CRC, truncated data) is only found when it is read, so
:meth:`SourceFile.read_bytes` reports it as :class:`~backstride.errors.CorruptFileError`; damage
found while listing (an unreadable archive, a broken nested archive) is a problem.

Gzip: a ``.gz`` file or member is returned still packed; ``parse_activity_bytes`` unpacks it
with its own cap (:func:`backstride.adapters.files.detect.gunzip_capped`).
"""

from __future__ import annotations

from backstride.adapters.files.archive.guard import MIB, SourceLimits, SourceProblem
from backstride.adapters.files.archive.members import SourceFile, close_cached_archives
from backstride.adapters.files.archive.strava import (
    STRAVA_COLUMNS,
    STRAVA_CSV_NAME,
    ActivityMeta,
    StravaRow,
    encode_activities_csv,
    format_strava_date,
)
from backstride.adapters.files.archive.walk import iter_sources

__all__ = [
    "MIB",
    "STRAVA_COLUMNS",
    "STRAVA_CSV_NAME",
    "ActivityMeta",
    "StravaRow",
    "SourceFile",
    "SourceLimits",
    "SourceProblem",
    "close_cached_archives",
    "encode_activities_csv",
    "format_strava_date",
    "iter_sources",
]
