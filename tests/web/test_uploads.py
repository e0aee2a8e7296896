"""Upload helpers: safe file names on disk, the names shown, temporary folders."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

import pytest
from fastapi.testclient import TestClient

from backstride.web.uploads import UploadFolder, display_name, safe_basename


@pytest.mark.parametrize(
    ("given", "saved"),
    [
        ("run.fit", "run.fit"),
        ("../../etc/passwd", "passwd"),
        ("C:\\Users\\me\\Morning Run.gpx", "Morning Run.gpx"),
        ("   .hidden.tcx ", "hidden.tcx"),
        ("Läufchen 5km.fit.gz", "Laufchen 5km.fit.gz"),
        ("a;rm -rf $HOME;.zip", "a_rm -rf _HOME_.zip"),
        ("", "upload"),
        ("..", "upload"),
    ],
)
def test_safe_basename(given: str, saved: str) -> None:
    assert safe_basename(given) == saved


def test_safe_basename_keeps_the_extension_of_long_names() -> None:
    name = safe_basename("x" * 300 + ".fit")
    assert len(name) <= 120 and name.endswith(".fit")


def test_display_name_keeps_the_original_but_no_folders() -> None:
    assert display_name("../Läufchen\x00.fit") == "Läufchen.fit"


def test_upload_folder_names_are_unique_and_removed(tmp_path: Path) -> None:
    with UploadFolder(tmp_path / "uploads") as folder:
        first, _ = folder.new_file("run.fit")
        second, _ = folder.new_file("RUN.fit")
        assert first != second and second.name == "RUN (2).fit"
        first.write_bytes(b"x")
        assert folder.path.parent == tmp_path / "uploads"
    assert not folder.path.exists()


def test_an_upload_without_javascript_shows_the_results_page(
    client: TestClient, csrf_token: Callable[[TestClient, str], str], activities_dir: Path
) -> None:
    """The form posted by a browser without htmx: the whole Import page with each file's
    outcome, in the request (the local mode has no background jobs)."""
    run = next(p for p in sorted(activities_dir.rglob("*.gpx")))
    token = csrf_token(client, "/import")
    answer = client.post(
        "/import", data={"csrf_token": token}, files={"files": ("morning.gpx", run.read_bytes())}
    )
    assert answer.status_code == 200, answer.text[:500]
    assert "<h1>Import activities</h1>" in answer.text and "morning.gpx" in answer.text
    assert "Imports and reports in the background" not in answer.text
