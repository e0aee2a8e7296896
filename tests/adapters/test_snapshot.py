"""Table rows to JSON and back, original-file blobs, and the SQLite backup's refusals."""

from __future__ import annotations

import math
from datetime import date, datetime
from pathlib import Path

import pytest
from hypothesis import given
from hypothesis import strategies as st

from backstride.adapters.db.data_repos import compress_original, decompress_original
from backstride.adapters.db.snapshot import backup_sqlite, decode_value, encode_value
from backstride.errors import StorageError


@given(st.floats(allow_nan=True, allow_infinity=True))
def test_floats_survive_json_including_nan_and_infinity(value: float) -> None:
    back = decode_value("float", encode_value("float", value))
    assert back == value or (math.isnan(back) and math.isnan(value))


@given(st.binary(max_size=256))
def test_binary_columns_round_trip_through_base64(value: bytes) -> None:
    assert decode_value("binary", encode_value("binary", value)) == value


def test_dates_times_and_kinds_round_trip() -> None:
    t = datetime(2026, 3, 15, 7, 30, 12, 250000)
    assert decode_value("datetime", encode_value("datetime", t)) == t
    assert decode_value("date", encode_value("date", date(2026, 3, 15))) == date(2026, 3, 15)
    assert decode_value("bool", encode_value("bool", 1)) is True
    assert encode_value("text", None) is None
    with pytest.raises(ValueError):
        decode_value("int", "7")
    with pytest.raises(ValueError):
        decode_value("int", True)


def test_a_damaged_original_is_a_storage_error() -> None:
    blob = compress_original(b"FIT data" * 100)
    assert decompress_original(blob, size_bytes=800) == b"FIT data" * 100
    with pytest.raises(StorageError, match="wrong size"):
        decompress_original(blob, size_bytes=801)
    with pytest.raises(StorageError, match="damaged"):
        decompress_original(b"nonsense", size_bytes=10)


def test_backup_of_a_missing_or_unwritable_database_leaves_nothing(tmp_path: Path) -> None:
    with pytest.raises(StorageError):
        backup_sqlite(tmp_path / "absent.sqlite3", tmp_path / "copy.sqlite3")
    assert list(tmp_path.iterdir()) == []
