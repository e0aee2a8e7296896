"""Import arguments -> candidate activity files: folders, zips, Strava and Garmin exports, bombs."""

from __future__ import annotations

import csv
import gzip
import io
import multiprocessing
import os
import pickle
import stat
import struct
import tempfile
import tracemalloc
import zipfile
from collections.abc import Iterable
from concurrent.futures import ProcessPoolExecutor
from dataclasses import replace
from pathlib import Path
from typing import IO, Any

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from backstride.adapters.files.archive import (
    ActivityMeta,
    SourceFile,
    SourceLimits,
    SourceProblem,
    close_cached_archives,
    iter_sources,
)
from backstride.config import Settings
from backstride.errors import ActivityFileError, CorruptFileError, UnsafeFileError

MIB = 1024 * 1024
LIMITS = SourceLimits(max_file_bytes=8 * MIB, max_archive_bytes=64 * MIB, max_ratio=100.0)

Item = SourceFile | SourceProblem


# --- helpers ----------------------------------------------------------------------------


def collect(paths: Iterable[Path], limits: SourceLimits = LIMITS) -> list[Item]:
    return list(iter_sources(list(paths), limits=limits))


def files(items: list[Item]) -> list[SourceFile]:
    return [i for i in items if isinstance(i, SourceFile)]


def problems(items: list[Item]) -> list[SourceProblem]:
    return [i for i in items if isinstance(i, SourceProblem)]


def zip_bytes(members: dict[str, bytes], *, compression: int = zipfile.ZIP_DEFLATED) -> bytes:
    buf = io.BytesIO()
    with zipfile.ZipFile(buf, "w", compression) as zf:
        for name, data in members.items():
            zf.writestr(name, data)
    return buf.getvalue()


def write_zip(
    path: Path, members: dict[str, bytes], *, compression: int = zipfile.ZIP_DEFLATED
) -> Path:
    path.write_bytes(zip_bytes(members, compression=compression))
    return path


def patch_headers(
    data: bytes,
    name: str,
    *,
    flag_bits: int | None = None,
    file_size: int | None = None,
    method: int | None = None,
) -> bytes:
    """Rewrite one member's central-directory and local headers (what a forger would do)."""
    out = bytearray(data)
    encoded = name.encode()
    pos = out.find(b"PK\x01\x02")
    while pos >= 0:
        name_len = struct.unpack_from("<H", out, pos + 28)[0]
        if bytes(out[pos + 46 : pos + 46 + name_len]) == encoded:
            local = struct.unpack_from("<L", out, pos + 42)[0]
            if flag_bits is not None:
                struct.pack_into("<H", out, pos + 8, flag_bits)
                struct.pack_into("<H", out, local + 6, flag_bits)
            if file_size is not None:
                struct.pack_into("<L", out, pos + 24, file_size)
                struct.pack_into("<L", out, local + 22, file_size)
            if method is not None:
                struct.pack_into("<H", out, pos + 10, method)
                struct.pack_into("<H", out, local + 8, method)
            return bytes(out)
        pos = out.find(b"PK\x01\x02", pos + 4)
    raise AssertionError(f"{name} not in archive")


def strava_csv(rows: list[dict[str, str]]) -> bytes:
    """An activities.csv shaped like Strava's: repeated header names, BOM, CRLF."""
    header = [
        "Activity ID",
        "Activity Date",
        "Activity Name",
        "Activity Type",
        "Activity Description",
        "Elapsed Time",
        "Distance",
        "Max Heart Rate",
        "Relative Effort",
        "Commute",
        "Activity Gear",
        "Filename",
        "Athlete Weight",
        "Elapsed Time",
        "Distance",
    ]
    buf = io.StringIO()
    writer = csv.writer(buf)
    writer.writerow(header)
    for row in rows:
        writer.writerow([row.get(title, "") for title in header])
    return ("\ufeff" + buf.getvalue()).encode("utf-8")


TRICKY_NAME = 'Lunch Run, "easy"\nsecond line: Zürich 🏃 — 東京'


def strava_rows() -> list[dict[str, str]]:
    return [
        {
            "Activity ID": "1001",
            "Activity Date": "Jan 5, 2024, 7:12:34 AM",
            "Activity Name": TRICKY_NAME,
            "Activity Type": "Run",
            "Activity Description": 'back felt ok, "tight" at 5k',
            "Distance": "5.01",
            "Activity Gear": "Pegasus 40",
            "Filename": "activities/1001.fit.gz",
        },
        {
            "Activity ID": "1002",
            "Activity Date": "Jan 6, 2024, 6:00:00 PM",
            "Activity Name": "Evening Walk",
            "Activity Type": "Walk",
            "Filename": "activities/1002.gpx",
        },
        {  # a manual entry: no recording, ignored
            "Activity ID": "1003",
            "Activity Name": "Treadmill (typed in)",
            "Activity Type": "Run",
            "Filename": "",
        },
        {
            "Activity ID": "1004",
            "Activity Name": "Lost file",
            "Filename": "activities/1004.tcx",
        },
    ]


def strava_members(activities_dir: Path) -> dict[str, bytes]:
    fit = (activities_dir / "python-fitparse" / "Activity.fit").read_bytes()
    gpx = (activities_dir / "gpxpy" / "route.gpx").read_bytes()
    return {
        "activities.csv": strava_csv(strava_rows()),
        "activities/1001.fit.gz": gzip.compress(fit, mtime=0),
        "activities/1002.gpx": gpx,
        "media/photo.jpg": b"\xff\xd8\xff\xe0 not really a photo",
        "profile.csv": b"Athlete ID\n1\n",
    }


def unpack_to_folder(root: Path, members: dict[str, bytes]) -> Path:
    for name, data in members.items():
        target = root / name
        target.parent.mkdir(parents=True, exist_ok=True)
        target.write_bytes(data)
    return root


# --- Strava exports ---------------------------------------------------------------------


def test_strava_zip_attaches_csv_metadata_and_reports_missing_files(
    tmp_path: Path, activities_dir: Path
) -> None:
    members = strava_members(activities_dir)
    export = write_zip(tmp_path / "export_123.zip", members)

    items = collect([export])

    assert [i.display_path for i in items] == [
        f"{export}:activities/1001.fit.gz",
        f"{export}:activities/1002.gpx",
        f"{export}:activities/1004.tcx",
    ]
    run, walk, lost = items
    assert isinstance(run, SourceFile) and isinstance(walk, SourceFile)
    assert run.name == "1001.fit.gz"
    assert run.meta == ActivityMeta(
        name=TRICKY_NAME,
        sport_label="Run",
        gear="Pegasus 40",
        description='back felt ok, "tight" at 5k',
        activity_id="1001",
        start_local="Jan 5, 2024, 7:12:34 AM",
    )
    assert walk.meta is not None and walk.meta.name == "Evening Walk"
    assert walk.meta.gear is None and walk.meta.description is None
    assert lost == SourceProblem(
        display_path=f"{export}:activities/1004.tcx",
        reason="listed in activities.csv but missing from the export",
        status="failed",
    )
    # bytes come back as stored: the .gz stays packed for the parser to unpack
    assert run.read_bytes() == members["activities/1001.fit.gz"]
    assert walk.read_bytes() == members["activities/1002.gpx"]
    with zipfile.ZipFile(export) as zf:
        assert run.size_bytes == zf.getinfo("activities/1001.fit.gz").compress_size


def test_strava_folder_gives_same_metadata_as_zip(tmp_path: Path, activities_dir: Path) -> None:
    members = strava_members(activities_dir)
    export = write_zip(tmp_path / "export.zip", members)
    folder = unpack_to_folder(tmp_path / "export", members)
    (folder / ".DS_Store").write_bytes(b"\0\0\0\1Bud1")
    unpack_to_folder(folder / "__MACOSX" / "activities", {"._1001.fit.gz": b"\0\5\26\7"})

    from_zip = collect([export])
    from_folder = collect([folder])

    def relative(item: Item, prefix: str) -> tuple[str, ActivityMeta | None, str]:
        assert item.display_path.startswith(prefix)
        meta = item.meta if isinstance(item, SourceFile) else None
        return item.display_path[len(prefix) :], meta, type(item).__name__

    assert [relative(i, f"{folder}{os.sep}") for i in from_folder] == [
        relative(i, f"{export}:") for i in from_zip
    ]
    assert files(from_folder)[0].read_bytes() == members["activities/1001.fit.gz"]


def test_strava_export_inside_a_top_folder_of_the_zip(tmp_path: Path, activities_dir: Path) -> None:
    members = {f"export_123/{k}": v for k, v in strava_members(activities_dir).items()}
    export = write_zip(tmp_path / "rezipped.zip", members)

    items = collect([export])

    assert [(i.display_path, type(i)) for i in items] == [
        (f"{export}:export_123/activities/1001.fit.gz", SourceFile),
        (f"{export}:export_123/activities/1002.gpx", SourceFile),
        (f"{export}:export_123/activities/1004.tcx", SourceProblem),
    ]
    assert files(items)[0].meta is not None


def test_strava_listed_file_with_unknown_extension_is_still_yielded(tmp_path: Path) -> None:
    rows = [{"Activity ID": "7", "Activity Name": "Odd", "Filename": "activities/7.dat"}]
    export = write_zip(
        tmp_path / "e.zip", {"activities.csv": strava_csv(rows), "activities/7.dat": b"?"}
    )

    (item,) = collect([export])

    assert isinstance(item, SourceFile) and item.meta is not None and item.meta.name == "Odd"


def test_oversized_strava_list_in_a_folder_is_a_problem(tmp_path: Path) -> None:
    rows = [{"Activity ID": str(i), "Filename": f"activities/{i}.gpx"} for i in range(100)]
    folder = unpack_to_folder(
        tmp_path / "export",
        {"activities.csv": strava_csv(rows), "activities/1.gpx": b"<gpx/>"},
    )
    limits = SourceLimits(max_file_bytes=1000, max_archive_bytes=MIB, max_ratio=10.0)

    items = collect([folder], limits)

    assert [(i.display_path, type(i)) for i in items] == [
        (str(folder / "activities.csv"), SourceProblem),
        (str(folder / "activities" / "1.gpx"), SourceFile),
    ]


def test_csv_without_strava_columns_is_ignored(tmp_path: Path) -> None:
    export = write_zip(tmp_path / "e.zip", {"activities.csv": b"a,b\n1,2\n", "run.fit": b"fit"})

    (item,) = collect([export])

    assert isinstance(item, SourceFile) and item.meta is None


@settings(max_examples=40, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(name=st.text(st.characters(exclude_categories=["Cs"], exclude_characters="\0")))
def test_strava_names_round_trip_through_csv(name: str) -> None:
    rows = [{"Activity ID": "1", "Activity Name": name, "Filename": "activities/1.gpx"}]
    with tempfile.TemporaryDirectory() as tmp:
        folder = unpack_to_folder(
            Path(tmp), {"activities.csv": strava_csv(rows), "activities/1.gpx": b"<gpx/>"}
        )
        (item,) = collect([folder])
    assert isinstance(item, SourceFile) and item.meta is not None
    assert item.meta.name == (name.strip() or None)


# --- Garmin exports and nesting ---------------------------------------------------------


def test_garmin_export_nested_zip_yields_fit_files_and_ignores_json(
    tmp_path: Path, activities_dir: Path
) -> None:
    fit_a = (activities_dir / "python-fitparse" / "Activity.fit").read_bytes()
    fit_b = (activities_dir / "python-fitparse" / "2015-10-13-08-43-15.fit").read_bytes()
    part = zip_bytes({"123_ACTIVITY.fit": fit_a, "456_ACTIVITY.fit": fit_b, "x.json": b"{}"})
    uploaded = "DI_CONNECT/DI-Connect-Uploaded-Files/UploadedFiles_0-_Part1.zip"
    export = write_zip(
        tmp_path / "garmin.zip",
        {
            "DI_CONNECT/DI-Connect-Fitness/me_summarizedActivities.json": b"[]",
            uploaded: part,
        },
    )

    items = collect([export])

    assert [i.display_path for i in items] == [
        f"{export}:{uploaded}:123_ACTIVITY.fit",
        f"{export}:{uploaded}:456_ACTIVITY.fit",
    ]
    first, second = files(items)
    assert first.members == (uploaded, "123_ACTIVITY.fit")
    assert first.read_bytes() == fit_a
    assert second.read_bytes() == fit_b


def test_garmin_folder_opens_zips_found_while_walking(tmp_path: Path) -> None:
    folder = tmp_path / "garmin"
    uploads = folder / "DI_CONNECT" / "DI-Connect-Uploaded-Files"
    uploads.mkdir(parents=True)
    write_zip(uploads / "UploadedFiles_0-_Part1.zip", {"1.fit": b"one", "2.fit": b"two"})
    (folder / "DI_CONNECT" / "summary.json").write_text("{}")

    items = collect([folder])

    assert [(i.name, i.read_bytes()) for i in files(items)] == [
        ("1.fit", b"one"),
        ("2.fit", b"two"),
    ]
    assert not problems(items)


def test_archives_nested_deeper_than_max_depth_are_refused(tmp_path: Path) -> None:
    level3 = zip_bytes({"deep.fit": b"deep"})
    level2 = zip_bytes({"l3.zip": level3, "mid.fit": b"mid"})
    outer = write_zip(tmp_path / "l1.zip", {"l2.zip": level2, "top.fit": b"top"})
    limits = SourceLimits(
        max_file_bytes=MIB, max_archive_bytes=8 * MIB, max_ratio=100.0, max_depth=2
    )

    items = collect([outer], limits)

    assert [(i.display_path, type(i)) for i in items] == [
        (f"{outer}:l2.zip:l3.zip", SourceProblem),
        (f"{outer}:l2.zip:mid.fit", SourceFile),
        (f"{outer}:top.fit", SourceFile),
    ]
    assert "nested more than 2 deep" in problems(items)[0].reason
    assert [f.read_bytes() for f in files(collect([outer]))] == [b"deep", b"mid", b"top"]


# --- hostile archives -------------------------------------------------------------------


def test_unsafe_member_paths_are_refused_and_never_read(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    link = zipfile.ZipInfo("shoes/link.fit")
    link.create_system = 3
    link.external_attr = (stat.S_IFLNK | 0o777) << 16
    buf = io.BytesIO()
    with zipfile.ZipFile(buf, "w") as zf:
        for name in ["../evil.fit", "/etc/passwd", "a/../../evil.gpx", "C:\\evil.tcx", "..\\x.fit"]:
            zf.writestr(name, b"evil")
        zf.writestr(link, "/etc/shadow")
        zf.writestr("ok.fit", b"fine")
    archive = tmp_path / "hostile.zip"
    archive.write_bytes(buf.getvalue())
    opened: list[str] = []
    real_open = zipfile.ZipFile.open

    def spy(
        self: zipfile.ZipFile, name: str | zipfile.ZipInfo, *args: Any, **kwargs: Any
    ) -> IO[bytes]:
        opened.append(name if isinstance(name, str) else name.filename)
        return real_open(self, name, *args, **kwargs)

    monkeypatch.setattr(zipfile.ZipFile, "open", spy)

    items = collect([archive])
    ok = files(items)
    assert [f.name for f in ok] == ["ok.fit"]
    assert ok[0].read_bytes() == b"fine"

    refused = problems(items)
    assert sorted(p.display_path.split(":", 1)[1] for p in refused) == sorted(
        [
            "../evil.fit",
            "/etc/passwd",
            "a/../../evil.gpx",
            "C:\\evil.tcx",
            "..\\x.fit",
            "shoes/link.fit",
        ]
    )
    assert all(p.reason.startswith("unsafe path in archive: ") for p in refused)
    assert all(p.status == "failed" for p in refused)
    assert opened == ["ok.fit"]


def test_reading_an_unsafe_member_directly_raises_unsafe_file_error(tmp_path: Path) -> None:
    archive = write_zip(tmp_path / "a.zip", {"../evil.fit": b"evil"})
    forged = SourceFile(
        display_path=f"{archive}:../evil.fit",
        name="evil.fit",
        size_bytes=4,
        meta=None,
        origin=archive,
        limits=LIMITS,
        members=("../evil.fit",),
    )

    with pytest.raises(UnsafeFileError, match="unsafe path in archive"):
        forged.read_bytes()


def zeros_member(size: int) -> bytes:
    return zip_bytes({"bomb.fit": b"\0" * size})


def test_zip_bomb_is_refused_by_declared_size(tmp_path: Path) -> None:
    archive = tmp_path / "bomb.zip"
    archive.write_bytes(zeros_member(40 * MIB))
    assert archive.stat().st_size < 100_000

    (item,) = collect([archive])

    assert isinstance(item, SourceProblem)
    assert item.display_path == f"{archive}:bomb.fit"
    assert item.reason == "it unpacks to more than 8 MB (zip-bomb guard)"
    assert item.status == "failed"


def test_zip_bomb_is_refused_by_compression_ratio(tmp_path: Path) -> None:
    archive = tmp_path / "bomb.zip"
    archive.write_bytes(zeros_member(6 * MIB))

    (item,) = collect([archive])

    assert isinstance(item, SourceProblem)
    assert "times its packed size" in item.reason and "100" in item.reason


def test_small_repetitive_member_is_not_mistaken_for_a_bomb(tmp_path: Path) -> None:
    archive = tmp_path / "tiny.zip"
    archive.write_bytes(zip_bytes({"flat.gpx": b"<trkpt/>" * 20_000}))  # ~160 kB, ratio > 100

    (item,) = collect([archive])

    assert isinstance(item, SourceFile)
    assert len(item.read_bytes()) == 160_000


def test_member_whose_header_lies_about_its_size_is_refused_on_read(tmp_path: Path) -> None:
    archive = tmp_path / "liar.zip"
    archive.write_bytes(patch_headers(zeros_member(40 * MIB), "bomb.fit", file_size=1000))

    (item,) = collect([archive])  # the declared sizes look harmless
    assert isinstance(item, SourceFile)

    tracemalloc.start()
    try:
        with pytest.raises((CorruptFileError, UnsafeFileError)) as info:
            item.read_bytes()
        _, peak = tracemalloc.get_traced_memory()
    finally:
        tracemalloc.stop()
    assert str(archive) in str(info.value)
    assert peak < 8 * MIB


def test_archive_total_budget_turns_remaining_members_into_problems(tmp_path: Path) -> None:
    block = bytes(range(256)) * 4096  # 1 MiB, stored
    archive = write_zip(
        tmp_path / "big.zip",
        {f"{i}.fit": block for i in range(5)},
        compression=zipfile.ZIP_STORED,
    )
    limits = SourceLimits(max_file_bytes=2 * MIB, max_archive_bytes=5 * MIB // 2, max_ratio=10.0)

    items = collect([archive], limits)

    assert [type(i) for i in items] == [SourceFile, SourceFile] + [SourceProblem] * 3
    assert {p.reason for p in problems(items)} == {
        "not read: the archive unpacks to more than 2.5 MB in total (zip-bomb guard)"
    }


def test_archive_with_too_many_members_is_refused(tmp_path: Path) -> None:
    archive = write_zip(tmp_path / "many.zip", {f"{i}.fit": b"x" for i in range(11)})
    limits = SourceLimits(max_file_bytes=MIB, max_archive_bytes=MIB, max_ratio=10.0, max_members=10)

    (item,) = collect([archive], limits)

    assert isinstance(item, SourceProblem)
    assert item.reason.startswith("the archive holds more than 10 entries")


def test_truncated_zip_is_a_problem(tmp_path: Path) -> None:
    data = zip_bytes({"a.fit": b"a" * 5000, "b.fit": b"b" * 5000}, compression=zipfile.ZIP_STORED)
    archive = tmp_path / "cut.zip"
    archive.write_bytes(data[: len(data) // 2])

    (item,) = collect([archive])

    assert isinstance(item, SourceProblem) and item.status == "failed"
    assert "damaged or incomplete" in item.reason


def test_non_zip_with_zip_extension_is_a_problem(tmp_path: Path) -> None:
    archive = tmp_path / "export.zip"
    archive.write_text("<html>Sign in to Strava</html>")

    (item,) = collect([archive])

    assert item == SourceProblem(
        display_path=str(archive),
        reason="not a zip archive (the file does not start like one)",
        status="failed",
    )


def test_member_with_bad_crc_raises_corrupt_file_error_on_read(tmp_path: Path) -> None:
    payload = b"FITDATA-" * 100
    data = bytearray(zip_bytes({"run.fit": payload}, compression=zipfile.ZIP_STORED))
    at = data.find(payload)
    data[at + 10] ^= 0xFF
    archive = tmp_path / "crc.zip"
    archive.write_bytes(bytes(data))

    (item,) = collect([archive])
    assert isinstance(item, SourceFile)

    with pytest.raises(CorruptFileError, match=r"crc\.zip:run\.fit': the archive is damaged"):
        item.read_bytes()


def test_damaged_member_of_a_nested_archive_fails_on_read(tmp_path: Path) -> None:
    inner = bytearray(zip_bytes({"a.fit": b"a" * 500}, compression=zipfile.ZIP_STORED))
    inner[inner.find(b"a" * 500)] = ord("b")
    outer = write_zip(tmp_path / "outer.zip", {"inner.zip": bytes(inner)})

    (item,) = collect([outer])  # the nested archive itself is intact

    assert isinstance(item, SourceFile)
    with pytest.raises(CorruptFileError, match="Bad CRC"):
        item.read_bytes()


def test_damaged_nested_archive_is_a_problem(tmp_path: Path) -> None:
    inner = zip_bytes({"a.fit": b"a" * 500}, compression=zipfile.ZIP_STORED)
    data = bytearray(zip_bytes({"inner.zip": inner}, compression=zipfile.ZIP_STORED))
    data[data.find(b"a" * 500)] = ord("b")  # breaks the outer CRC of inner.zip
    outer = tmp_path / "outer.zip"
    outer.write_bytes(bytes(data))

    (item,) = collect([outer])

    assert isinstance(item, SourceProblem)
    assert item.display_path == f"{outer}:inner.zip"
    assert item.reason.startswith("the archive is damaged (Bad CRC-32")


def test_encrypted_member_is_a_problem(tmp_path: Path) -> None:
    data = zip_bytes({"secret.fit": b"s" * 100, "open.fit": b"o"})
    archive = tmp_path / "locked.zip"
    archive.write_bytes(patch_headers(data, "secret.fit", flag_bits=0x1))

    items = collect([archive])

    assert [i.display_path for i in files(items)] == [f"{archive}:open.fit"]
    (problem,) = problems(items)
    assert problem.display_path == f"{archive}:secret.fit"
    assert problem.reason.startswith("encrypted")

    forged = SourceFile(
        display_path=problem.display_path,
        name="secret.fit",
        size_bytes=1,
        meta=None,
        origin=archive,
        limits=LIMITS,
        members=("secret.fit",),
    )
    with pytest.raises(ActivityFileError, match="encrypted"):
        forged.read_bytes()


def test_member_with_unknown_compression_method_is_a_problem(tmp_path: Path) -> None:
    archive = tmp_path / "odd.zip"
    archive.write_bytes(patch_headers(zip_bytes({"run.fit": b"r" * 100}), "run.fit", method=9))

    (item,) = collect([archive])

    assert isinstance(item, SourceProblem)
    assert item.reason == "compressed with a method backstride cannot unpack (method 9)"


def test_bytes_beyond_the_cap_are_refused_even_if_the_reader_does_not_stop(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    archive = write_zip(tmp_path / "a.zip", {"run.fit": b"small"})
    (item,) = collect([archive])
    assert isinstance(item, SourceFile)
    close_cached_archives()
    # a reader that trusts nothing but the stream: it yields far more than the header said
    monkeypatch.setattr(zipfile.ZipFile, "open", lambda *a, **k: io.BytesIO(b"\0" * 9 * MIB))

    loose_ratio = SourceLimits(max_file_bytes=8 * MIB, max_archive_bytes=MIB, max_ratio=1e9)
    with pytest.raises(UnsafeFileError, match="run.fit': it unpacks to more than 8 MB"):
        replace(item, limits=loose_ratio).read_bytes()
    with pytest.raises(UnsafeFileError, match="times its packed size, more than the 100"):
        item.read_bytes()
    close_cached_archives()


def zip64_directory_only(count: int) -> bytes:
    """A zip64 central directory of ``count`` entries (no file data), as large exports end."""
    central = b"".join(
        struct.pack(
            "<4s4B4HL2L5H2L",
            b"PK\x01\x02",
            45,
            3,
            45,
            0,
            0,
            0,
            0,
            0,
            0,
            0,
            0,
            len(name),
            0,
            0,
            0,
            0,
            0,
            0,
        )
        + name
        for name in (f"{i}.fit".encode() for i in range(count))
    )
    end64 = struct.pack(
        "<4sQ2H2L4Q", b"PK\x06\x06", 44, 45, 45, 0, 0, count, count, len(central), 0
    )
    locator = struct.pack("<4sLQL", b"PK\x06\x07", 0, len(central), 1)
    end = struct.pack("<4s4H2LH", b"PK\x05\x06", 0, 0, 0xFFFF, 0xFFFF, 0xFFFFFFFF, 0xFFFFFFFF, 0)
    return central + end64 + locator + end


def test_zip64_archive_with_too_many_members_is_refused_before_loading(tmp_path: Path) -> None:
    archive = tmp_path / "zip64.zip"
    archive.write_bytes(zip64_directory_only(200))
    limits = SourceLimits(
        max_file_bytes=MIB, max_archive_bytes=MIB, max_ratio=10.0, max_members=199
    )

    (item,) = collect([archive], limits)

    assert isinstance(item, SourceProblem)
    assert item.reason.startswith("the archive holds more than 199 entries")
    # one more allowed: zipfile reads the same directory, so the count agrees with it
    assert len(files(collect([archive], replace(limits, max_members=200)))) == 200


def test_duplicate_member_names_are_reported(tmp_path: Path) -> None:
    buf = io.BytesIO()
    with pytest.warns(UserWarning, match="Duplicate name"), zipfile.ZipFile(buf, "w") as zf:
        zf.writestr("run.fit", b"first")
        zf.writestr("run.fit", b"second")
    archive = tmp_path / "dup.zip"
    archive.write_bytes(buf.getvalue())

    items = collect([archive])

    assert [type(i) for i in items] == [SourceFile, SourceProblem]
    assert problems(items)[0].reason == "the archive holds more than one entry with this name"


def test_unreadable_strava_list_is_a_problem_but_files_still_come(tmp_path: Path) -> None:
    rows = [
        {
            "Activity ID": "1",
            "Activity Description": "x" * 200_000,  # beyond the csv module's field limit
            "Filename": "activities/1.gpx",
        }
    ]
    export = write_zip(
        tmp_path / "e.zip", {"activities.csv": strava_csv(rows), "activities/1.gpx": b"<gpx/>"}
    )

    items = collect([export])

    assert [type(i) for i in items] == [SourceProblem, SourceFile]
    assert isinstance(items[0], SourceProblem)
    assert items[0].display_path == f"{export}:activities.csv"
    assert items[0].reason.startswith("could not read the Strava activity list")
    assert files(items)[0].meta is None


def test_archive_changed_after_listing_raises_on_read(tmp_path: Path) -> None:
    archive = write_zip(
        tmp_path / "a.zip", {"run.fit": b"run", "part.zip": zip_bytes({"in.fit": b"in"})}
    )
    inner, run = files(collect([archive]))
    assert run.read_bytes() == b"run"

    write_zip(archive, {"other.fit": b"other", "padding.bin": b"p" * 100})
    with pytest.raises(CorruptFileError, match="no longer in the archive"):
        run.read_bytes()
    with pytest.raises(CorruptFileError, match="'part.zip' holding it is no longer there"):
        inner.read_bytes()

    write_zip(archive, {"run.fit": b"run", "part.zip": b"not a zip"})
    with pytest.raises(CorruptFileError, match="not a zip archive"):
        inner.read_bytes()

    archive.write_bytes(b"garbage, not a zip at all")
    with pytest.raises(CorruptFileError, match="a.zip:run.fit': not a zip archive"):
        run.read_bytes()
    close_cached_archives()


def test_reading_deeper_than_max_depth_is_refused(tmp_path: Path) -> None:
    archive = write_zip(tmp_path / "a.zip", {"part.zip": zip_bytes({"in.fit": b"in"})})
    (inner,) = files(collect([archive]))
    shallow = SourceLimits(max_file_bytes=MIB, max_archive_bytes=MIB, max_ratio=10.0, max_depth=1)
    with pytest.raises(UnsafeFileError, match="nested more than 1 deep"):
        replace(inner, limits=shallow).read_bytes()


# --- plain paths ------------------------------------------------------------------------


def test_missing_path_is_a_problem(tmp_path: Path) -> None:
    missing = tmp_path / "nope" / "run.fit"

    assert collect([missing]) == [
        SourceProblem(display_path=str(missing), reason="no such file or folder", status="failed")
    ]


def test_folder_walk_is_sorted_and_skips_hidden_system_and_unknown_files(tmp_path: Path) -> None:
    root = tmp_path / "runs"
    for name in [
        "b.gpx.gz",
        "A.FIT",
        "c.Tcx",
        "sub/d.fit",
        "sub/deeper/e.gpx",
        "notes.txt",
        "summary.json",
        ".DS_Store",
        "._A.FIT",
        ".hidden/x.fit",
        "__MACOSX/y.fit",
        "Thumbs.db",
        "desktop.ini",
    ]:
        (root / name).parent.mkdir(parents=True, exist_ok=True)
        (root / name).write_bytes(b"data")

    items = collect([root])

    assert [i.display_path for i in items] == [
        str(root / "A.FIT"),
        str(root / "b.gpx.gz"),
        str(root / "c.Tcx"),
        str(root / "sub" / "d.fit"),
        str(root / "sub" / "deeper" / "e.gpx"),
    ]
    assert all(isinstance(i, SourceFile) and i.read_bytes() == b"data" for i in items)
    assert collect([root]) == items  # deterministic


def test_explicit_files_are_yielded_whatever_their_name(tmp_path: Path) -> None:
    notes = tmp_path / "notes.txt"
    notes.write_text("not an activity")
    hidden = tmp_path / ".secret.fit"
    hidden.write_bytes(b"fit")

    items = collect([notes, hidden])

    assert [(i.display_path, type(i)) for i in items] == [
        (str(notes), SourceFile),
        (str(hidden), SourceFile),
    ]
    assert files(items)[0].read_bytes() == b"not an activity"


def test_explicit_zip_without_zip_extension_is_opened(tmp_path: Path) -> None:
    download = write_zip(tmp_path / "export_download", {"run.fit": b"run"})

    (item,) = collect([download])

    assert isinstance(item, SourceFile) and item.display_path == f"{download}:run.fit"


def test_paths_keep_the_order_given(tmp_path: Path) -> None:
    b = tmp_path / "b.fit"
    a = tmp_path / "a.fit"
    b.write_bytes(b"b")
    a.write_bytes(b"a")

    assert [i.display_path for i in collect([b, a])] == [str(b), str(a)]


def test_folder_or_archive_without_activities_gives_a_skipped_problem(tmp_path: Path) -> None:
    folder = tmp_path / "photos"
    folder.mkdir()
    (folder / "pic.jpg").write_bytes(b"jpg")
    archive = write_zip(tmp_path / "garmin.zip", {"DI_CONNECT/a.json": b"{}"})

    items = collect([folder, archive])

    assert [(i.display_path, i.status) for i in problems(items)] == [
        (str(folder), "skipped"),
        (str(archive), "skipped"),
    ]
    assert len(items) == 2


def test_symlink_loops_in_a_folder_end(tmp_path: Path) -> None:
    root = tmp_path / "runs"
    (root / "sub").mkdir(parents=True)
    (root / "sub" / "run.fit").write_bytes(b"run")
    (root / "sub" / "up").symlink_to(root, target_is_directory=True)
    (root / "self").symlink_to(root / "self")  # a link to itself
    (root / "dangling.fit").symlink_to(root / "gone.fit")

    items = collect([root])

    assert [i.display_path for i in files(items)] == [str(root / "sub" / "run.fit")]
    (dangling,) = problems(items)
    assert dangling.display_path == str(root / "dangling.fit")
    assert dangling.reason.startswith("cannot open it")


def test_special_files_and_link_loops_given_explicitly_are_problems(tmp_path: Path) -> None:
    fifo = tmp_path / "pipe.fit"
    os.mkfifo(fifo)
    loop = tmp_path / "loop.fit"
    loop.symlink_to(loop)
    folder = tmp_path / "folder"
    folder.mkdir()
    os.mkfifo(folder / "pipe.fit")  # inside a folder: ignored
    (folder / "run.fit").write_bytes(b"run")

    items = collect([fifo, loop, folder])

    assert items == [
        SourceProblem(
            display_path=str(fifo), reason="not a regular file or folder", status="failed"
        ),
        SourceProblem(
            display_path=str(loop),
            reason="cannot open it (Too many levels of symbolic links)",
            status="failed",
        ),
        SourceFile(
            display_path=str(folder / "run.fit"),
            name="run.fit",
            size_bytes=3,
            meta=None,
            origin=folder / "run.fit",
            limits=LIMITS,
        ),
    ]
    forged = SourceFile(
        display_path=str(fifo), name="pipe.fit", size_bytes=0, meta=None, origin=fifo, limits=LIMITS
    )
    with pytest.raises(ActivityFileError, match="not a regular file"):
        forged.read_bytes()  # never blocks waiting for a writer


def test_file_larger_than_the_cap_is_a_problem_and_a_read_error(tmp_path: Path) -> None:
    big = tmp_path / "big.fit"
    big.write_bytes(b"x" * 2000)
    limits = SourceLimits(max_file_bytes=1000, max_archive_bytes=MIB, max_ratio=10.0)

    (item,) = collect([big], limits)
    assert isinstance(item, SourceProblem) and "larger than 1000 bytes" in item.reason

    forged = SourceFile(
        display_path=str(big), name="big.fit", size_bytes=2000, meta=None, origin=big, limits=limits
    )
    with pytest.raises(UnsafeFileError, match="big.fit': it is larger than 1000 bytes"):
        forged.read_bytes()


def test_read_bytes_of_a_vanished_file_raises_activity_file_error(tmp_path: Path) -> None:
    run = tmp_path / "run.fit"
    run.write_bytes(b"run")
    archive = write_zip(tmp_path / "a.zip", {"run.fit": b"run"})
    plain, member = files(collect([run, archive]))
    run.unlink()
    archive.unlink()
    close_cached_archives()

    for source in (plain, member):
        with pytest.raises(ActivityFileError, match=f"'{source.display_path}': cannot open it"):
            source.read_bytes()


def test_limits_come_from_settings() -> None:
    limits = SourceLimits.from_settings(
        Settings(max_file_mb=2, max_archive_mb=10, max_compression_ratio=50)
    )

    assert limits == SourceLimits(
        max_file_bytes=2 * MIB, max_archive_bytes=10 * MIB, max_ratio=50.0
    )


# --- laziness and processes -------------------------------------------------------------


def test_large_archive_is_listed_lazily_in_bounded_memory(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    payload = bytes(range(256)) * 32  # 8 KiB per member, stored: a 24 MB archive
    archive = tmp_path / "big.zip"
    with zipfile.ZipFile(archive, "w", zipfile.ZIP_STORED) as zf:
        for i in range(3000):
            zf.writestr(f"activities/{i:05d}.fit", payload)
    opened: list[object] = []
    real_open = zipfile.ZipFile.open

    def spy(self: zipfile.ZipFile, *args: Any, **kwargs: Any) -> IO[bytes]:
        opened.append(args)
        return real_open(self, *args, **kwargs)

    monkeypatch.setattr(zipfile.ZipFile, "open", spy)

    stream = iter_sources([archive], limits=LIMITS)
    tracemalloc.start()
    try:
        first = next(stream)
        count = 1 + sum(1 for _ in stream)
        _, peak = tracemalloc.get_traced_memory()
    finally:
        tracemalloc.stop()

    assert isinstance(first, SourceFile) and first.name == "00000.fit"
    assert count == 3000
    assert opened == []  # nothing unpacked while listing
    assert peak < 6 * MIB
    assert first.read_bytes() == payload


def test_reading_members_reuses_the_opened_archives(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    parts = {
        f"Part{p}.zip": zip_bytes({f"{p}_{i}.fit": f"{p}-{i}".encode() for i in range(5)})
        for p in (1, 2)
    }
    archive = write_zip(tmp_path / "garmin.zip", parts)
    sources = files(collect([archive]))
    close_cached_archives()
    opened: list[object] = []
    real_init = zipfile.ZipFile.__init__

    def spy(self: zipfile.ZipFile, *args: Any, **kwargs: Any) -> None:
        opened.append(args[0])
        real_init(self, *args, **kwargs)

    monkeypatch.setattr(zipfile.ZipFile, "__init__", spy)

    assert [s.read_bytes() for s in sources] == [
        f"{p}-{i}".encode() for p in (1, 2) for i in range(5)
    ]
    assert len(opened) == 3  # the export once, each part once

    # with room for only one unpacked part, alternating reads still give the right bytes
    tight = replace(LIMITS, max_archive_bytes=max(len(p) for p in parts.values()) + 1)
    alternating = [replace(sources[i], limits=tight) for i in (0, 5, 1, 6)]
    assert [s.read_bytes() for s in alternating] == [b"1-0", b"2-0", b"1-1", b"2-1"]
    close_cached_archives()


@pytest.mark.parametrize("start_method", ["spawn", "fork"])
def test_source_files_pickle_and_read_in_a_worker_process(
    tmp_path: Path, start_method: str
) -> None:
    plain = tmp_path / "run.gpx"
    plain.write_bytes(b"<gpx/>")
    part = zip_bytes({"1.fit": b"one", "2.fit": b"two"})
    archive = write_zip(tmp_path / "export.zip", {"part.zip": part, "3.tcx": b"three"})
    sources = files(collect([plain, archive]))
    assert [s.display_path for s in sources] == [
        str(plain),
        f"{archive}:3.tcx",
        f"{archive}:part.zip:1.fit",
        f"{archive}:part.zip:2.fit",
    ]
    assert pickle.loads(pickle.dumps(sources[2])) == sources[2]
    sources[1].read_bytes()  # the parent holds the archive open when the worker forks

    context = multiprocessing.get_context(start_method)
    with ProcessPoolExecutor(max_workers=1, mp_context=context) as pool:
        results = list(pool.map(SourceFile.read_bytes, sources))

    assert results == [b"<gpx/>", b"three", b"one", b"two"]


# --- properties -------------------------------------------------------------------------

_PARTS = st.sampled_from(["..", ".", "", "a", "run.fit", "C:", "__MACOSX", ".x", "b.zip"])
_SEPARATORS = st.sampled_from(["/", "\\"])


@st.composite
def member_names(draw: st.DrawFn) -> str:
    parts = draw(st.lists(_PARTS, min_size=1, max_size=4))
    return draw(_SEPARATORS).join(parts) + draw(st.sampled_from(["", ".fit", ".gpx.gz"]))


@settings(max_examples=60, deadline=None)
@given(names=st.lists(member_names(), min_size=1, max_size=6, unique=True))
def test_no_member_escaping_the_archive_is_ever_yielded(names: list[str]) -> None:
    with tempfile.TemporaryDirectory() as tmp:
        archive = Path(tmp) / "fuzz.zip"
        with zipfile.ZipFile(archive, "w") as zf:
            for name in names:
                if name and not name.endswith("/"):
                    zf.writestr(name, b"x")
        items = collect([archive])
        for item in items:
            if isinstance(item, SourceFile):
                for member in item.members:
                    parts = member.replace("\\", "/").split("/")
                    assert ".." not in parts
                    assert not member.replace("\\", "/").startswith("/")
                    assert not member[1:2] == ":"
                assert item.read_bytes() == b"x"
