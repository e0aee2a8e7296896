"""Shared fixtures: the real activity corpus, temp databases, CLI runner.

Which tests run on which database (``pytest --db sqlite|postgresql|both``; ``make test``: both):

* a test that never opens a database (pure domain rules, file parsers, usage errors, rendering)
  runs once: it needs no second engine;
* a test that stores or reads data takes its database from ``db_url`` or ``db_backend`` (or a
  fixture built on them: ``app``, ``cli``, ``demo_settings``, the web fixtures) and so runs on
  every chosen engine (``pytest_generate_tests`` below);
* a test about the SQLite file itself (WAL, ``application_id``, a file replaced, a read-only
  disk, the online backup) makes its own file and is marked ``sqlite_only`` with the reason;
  one about PostgreSQL's own behaviour, ``postgresql_only``.
"""

from __future__ import annotations

import json
import os
import shutil
import sys
import weakref
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from datetime import date
from pathlib import Path
from typing import Any

import pytest
from hypothesis import settings as hypothesis_settings

# Speed is measured by the benchmarks under bench/, never by a test: Hypothesis's per-example
# deadline would turn a busy machine (2 cores shared with a browser and a database) into failures.
hypothesis_settings.register_profile("backstride", deadline=None)
hypothesis_settings.load_profile("backstride")

# The CLI's rich consoles are built at import time and read COLUMNS then: make command output
# the same width on every machine (a CI run has no terminal and would wrap at 80 columns).
os.environ["COLUMNS"] = "200"

from backstride.config import Settings, get_settings  # noqa: E402
from backstride.services.context import App  # noqa: E402
from tests.corpus import corpus_data_root  # noqa: E402
from tests.databases import (  # noqa: E402
    DbBackend,
    chosen_backends,
    end_run,
    remember_harness,
    run_wide,
    start_run,
    start_server_if_needed,
    stop_server,
)
from tests.routes_once import routes_built_once  # noqa: E402
from tests.untraced import untraced  # noqa: E402


def pytest_addoption(parser: pytest.Parser) -> None:
    parser.addoption(
        "--db",
        action="store",
        choices=("sqlite", "postgresql", "both"),
        default=os.environ.get("BACKSTRIDE_TEST_DB", "sqlite"),
        help="database(s) the tests that use one run on (default: sqlite; make test: both)",
    )
    parser.addoption(
        "--cov-postgresql",
        action="store",
        choices=("all", "adapters"),
        default="all",
        help=(
            "with --cov: which tests on PostgreSQL coverage traces (default: all; "
            "make test: adapters, the store's own tests under tests/adapters and the "
            "postgresql_only ones; the others ran traced on SQLite)"
        ),
    )


def pytest_configure(config: pytest.Config) -> None:
    config.addinivalue_line(
        "markers", "sqlite_only: tests SQLite's own behaviour (its file, WAL, pragmas)"
    )
    config.addinivalue_line("markers", "postgresql_only: tests PostgreSQL's own behaviour")
    backends = chosen_backends(config.getoption("--db"))
    if not hasattr(config, "workerinput"):
        # The controlling process starts the server and makes the folder the workers share
        # (databases built once per run: tests.databases.run_wide); xdist's workers inherit
        # both through the environment.
        start_run()
        if "postgresql" in backends:
            start_server_if_needed()
    remember_harness()


def pytest_unconfigure(config: pytest.Config) -> None:
    if not hasattr(config, "workerinput"):
        end_run()
    stop_server()


ADAPTER_TESTS = Path(__file__).resolve().parent / "adapters"


@pytest.hookimpl(wrapper=True)
def pytest_runtest_protocol(item: pytest.Item, nextitem: pytest.Item | None) -> Any:
    """With ``--cov-postgresql adapters``, coverage pauses for a test on PostgreSQL that is not
    one of the store's own (under tests/adapters, or marked ``postgresql_only``): the same test
    ran traced on SQLite, and tracing costs about a third more CPU time; what only PostgreSQL
    runs (adapters/db/postgres.py, row security, the jobs' queue) is traced through those."""
    if not _untraced_on_postgresql(item):
        return (yield)
    # Every coverage instance pauses (tests.untraced): an xdist worker runs two, and stopping
    # only the latest resumed the other, so the pause traced on as before.
    with untraced():
        return (yield)


def _untraced_on_postgresql(item: pytest.Item) -> bool:
    if item.config.getoption("--cov-postgresql") != "adapters":
        return False
    callspec = getattr(item, "callspec", None)
    if callspec is None or callspec.params.get("db_backend") != "postgresql":
        return False
    return not (
        item.path.is_relative_to(ADAPTER_TESTS) or item.get_closest_marker("postgresql_only")
    )


def pytest_generate_tests(metafunc: pytest.Metafunc) -> None:
    if "db_backend" not in metafunc.fixturenames:
        return
    backends = list(chosen_backends(metafunc.config.getoption("--db")))
    if metafunc.definition.get_closest_marker("sqlite_only"):
        backends = [b for b in backends if b == "sqlite"]
    if metafunc.definition.get_closest_marker("postgresql_only"):
        backends = [b for b in backends if b == "postgresql"]
    metafunc.parametrize("db_backend", backends, indirect=True, scope="module")


@pytest.fixture(scope="session")
def activities_dir() -> Path:
    """``../shared/data/activities``; skipped if absent, but a failure when CI=true."""
    root = corpus_data_root() / "activities"
    if not root.is_dir():
        msg = f"real activity corpus not found at {root} (set BACKSTRIDE_TEST_DATA)"
        if os.environ.get("CI", "").lower() == "true":
            pytest.fail(msg)
        pytest.skip(msg)
    return root


@pytest.fixture(scope="module")
def db_backend(request: pytest.FixtureRequest) -> Iterator[DbBackend]:
    """The database engine this test runs on (``--db``); its databases are dropped after."""
    backend = DbBackend(request.param)
    yield backend
    backend.cleanup()


@pytest.fixture
def db_url(tmp_path: Path, db_backend: DbBackend) -> Iterator[str]:
    """A fresh, empty database for one test: an SQLite file, or a PostgreSQL database."""
    backend = DbBackend(db_backend.name)
    yield backend.new_url(tmp_path)
    backend.cleanup()


@pytest.fixture
def app(tmp_path: Path, db_url: str) -> Iterator[App]:
    """A migrated store in a temp folder, with the default athlete."""
    settings = get_settings(db=db_url, data_dir=tmp_path / "data")
    application = App(settings)
    yield application
    application.close()


DEMO_END = date(2026, 3, 15)
_DEMOS: dict[str, tuple[str, Path, Any]] = {}
"""Engine -> a kept copy of the demo athlete's database built once per test run, a folder with
copies of her files and data folders, and her story."""


@pytest.fixture(scope="module")
def demo_settings(
    db_backend: DbBackend, tmp_path_factory: pytest.TempPathFactory
) -> tuple[Settings, Any]:
    """The demo athlete (seed 7, her last day :data:`DEMO_END`) in a database of this module's
    own, her files in ``files`` beside it, and what ``load_demo`` returned. Built once per engine
    and test run (about 20 s; by whichever worker process asks first), then copied for each
    module that asks (a fraction of a second)."""
    from backstride.services.demo_load import load_demo

    root = tmp_path_factory.mktemp("demo")
    url = db_backend.new_url(root, filename="demo.sqlite3")
    with pytest.MonkeyPatch.context() as mp:
        mp.setenv("BACKSTRIDE_CONFIG_FILE", str(root / "no-config.toml"))
        settings = get_settings(db=url, data_dir=str(root / "data"))
    found = _DEMOS.get(db_backend.name)
    if found is None:

        def build(kept_in: Path) -> Any:
            app = App(settings)
            try:
                loaded = load_demo(app, root / "files", seed=7, end_day=DEMO_END)
            finally:
                app.close()
            for folder in ("files", "data"):  # as built, before this module's tests change them
                if (root / folder).is_dir():
                    shutil.copytree(root / folder, kept_in / folder)
            return loaded

        found, built_here = run_wide("demo", db_backend, url, build)
        _DEMOS[db_backend.name] = found
        if built_here:
            return settings, found[2]
    kept, built_in, loaded = found
    db_backend.restore(kept, url)
    for folder in ("files", "data"):
        if (built_in / folder).is_dir():
            shutil.copytree(built_in / folder, root / folder)
    return settings, loaded


@dataclass
class CliResult:
    exit_code: int
    stdout: str
    stderr: str

    def json(self) -> Any:
        return json.loads(self.stdout)


_COMMAND_LINES: weakref.WeakKeyDictionary[Any, Any] = weakref.WeakKeyDictionary()
_build_command_line: Callable[[Any], Any] | None = None


def _built_once(app: Any) -> Any:
    """Typer's ``get_command``, built once per command line and test process. Typer builds
    the whole click command tree again on every call of the app (about 60 ms of CPU for
    ``backstride``'s, a third of a short command's time); a console script calls it once per
    process. The tree is the same each time (click keeps each invocation's state in its own
    ``Context``), so tests that run the command line many times share one build."""
    assert _build_command_line is not None
    found = _COMMAND_LINES.get(app)
    if found is None:
        found = _COMMAND_LINES[app] = _build_command_line(app)
    return found


@pytest.fixture
def cli(
    db_url: str, capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch
) -> Callable[..., CliResult]:
    """Run ``backstride ARGS`` in-process through ``main()`` (errors rendered as for users)."""
    import typer.main

    from backstride.cli import main

    monkeypatch.setenv("COLUMNS", "200")
    global _build_command_line
    if _build_command_line is None:
        _build_command_line = typer.main.get_command
    monkeypatch.setattr(typer.main, "get_command", _built_once)

    def run(*args: str, db: str | None = db_url) -> CliResult:
        argv = ["backstride", *(["--db", db] if db else []), *args]
        monkeypatch.setattr(sys, "argv", argv)
        capsys.readouterr()
        code = 0
        try:
            main()
        except SystemExit as exc:
            code = int(exc.code or 0)
        out = capsys.readouterr()
        return CliResult(code, out.out, out.err)

    return run


class _CompiledTemplates:
    """Jinja's bytecode cache in memory, shared by every template environment of one test
    process. Each test builds its own app (``create_app``), whose new environment compiled
    every template it rendered again: about a fifth of a short page test's CPU time. A template
    compiled for an environment configured alike (the same options, filters and tests, and
    source) is the same code, which is what Jinja's bytecode cache is for; the key holds all
    of that, so an environment configured otherwise compiles its own."""

    def __init__(self) -> None:
        from jinja2.bccache import BytecodeCache

        codes: dict[tuple[Any, ...], Any] = {}

        def alike(bucket: Any) -> tuple[Any, ...]:
            env = bucket.environment
            escape = env.autoescape
            return (
                bucket.key,
                bucket.checksum,
                type(env),
                escape(bucket.key) if callable(escape) else escape,
                env.finalize,
                env.optimized,
                env.trim_blocks,
                env.lstrip_blocks,
                env.keep_trailing_newline,
                env.newline_sequence,
                (env.block_start_string, env.block_end_string),
                (env.variable_start_string, env.variable_end_string),
                (env.comment_start_string, env.comment_end_string),
                env.line_statement_prefix,
                env.line_comment_prefix,
                tuple(sorted(env.extensions)),
                tuple(sorted(env.filters.items())),
                tuple(sorted(env.tests.items())),
            )

        class InMemory(BytecodeCache):
            def load_bytecode(self, bucket: Any) -> None:
                bucket.code = codes.get(alike(bucket))

            def dump_bytecode(self, bucket: Any) -> None:
                codes[alike(bucket)] = bucket.code

        self.cache = InMemory()


@pytest.fixture(autouse=True, scope="session")
def _templates_compiled_once() -> Iterator[None]:
    """Every Jinja environment of the test process shares :class:`_CompiledTemplates`."""
    import jinja2

    shared = _CompiledTemplates().cache
    original = jinja2.Environment.__init__

    def init(self: Any, *args: Any, **kwargs: Any) -> None:
        original(self, *args, **kwargs)
        if self.bytecode_cache is None:
            self.bytecode_cache = shared

    with pytest.MonkeyPatch.context() as mp:
        mp.setattr(jinja2.Environment, "__init__", init)
        yield


@pytest.fixture(autouse=True, scope="session")
def _routes_built_once() -> Iterator[None]:
    """Every app of the test process builds its routes from parts made once
    (:mod:`tests.routes_once`)."""
    with routes_built_once():
        yield


@pytest.fixture(autouse=True)
def _isolated_settings(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """Never read the developer's own config, database or cache (the kept ``today``); nor see
    the harness's own variables (``tests.databases.remember_harness`` keeps them)."""
    for key in list(os.environ):
        if key.startswith("BACKSTRIDE_"):  # BACKSTRIDE_TEST_DATA was read: tests.corpus
            monkeypatch.delenv(key)
    monkeypatch.setenv("BACKSTRIDE_CONFIG_FILE", str(tmp_path / "no-config.toml"))
    monkeypatch.setenv("BACKSTRIDE_DATA_DIR", str(tmp_path / "userdata"))
    monkeypatch.setenv("XDG_CACHE_HOME", str(tmp_path / "usercache"))


@pytest.hookimpl(trylast=True)
def pytest_collection_modifyitems(config: pytest.Config, items: list[pytest.Item]) -> None:
    """The modules holding a test marked ``slow`` run first, each whole and in its own order.

    ``make test`` runs on two workers (``--dist worksteal``: each starts on its half of the
    list, and one that runs dry takes half of what the other has left). A test of a minute
    that came last kept one worker busy while the other sat idle; first, it runs while the
    short tests fill the other worker. A module moves whole, so that its module-scoped
    fixtures (the demo athlete's database, a live server) are still set up once."""
    heavy = {getattr(item, "module", None) for item in items if item.get_closest_marker("slow")}
    items.sort(key=lambda item: getattr(item, "module", None) not in heavy)
