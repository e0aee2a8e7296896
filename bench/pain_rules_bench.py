"""Benchmark the pain rules of the day's decision: ``check_runs`` on diaries of 30-600 entries.

Run: ``.venv/bin/python bench/pain_rules_bench.py [--repeat 7] [--no-today]``

Prints, per diary size, the CPU time of one ``check_runs`` call (15 runs, the rules' look-back)
indexed (``check_runs``) and run by run (``check_run`` per run, the reference), and their
ratio; then the other per-entry work of ``_with_diary`` at 400 entries (the morning trend, open
red flags, awaiting clearance, first claudication day, the row conversion); then, unless
``--no-today``, ``services.guidance.today`` for a runner with a year of activities and a
400-entry diary on SQLite, with the indexed and the reference ``check_runs``. CPU time
(``time.process_time``), best and median of ``--repeat`` rounds. Deterministic: fixed seeds.
"""

from __future__ import annotations

import argparse
import random
import statistics
import sys
import tempfile
import time
from collections.abc import Callable, Sequence
from datetime import date, timedelta
from pathlib import Path
from types import SimpleNamespace

REPO = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(REPO))

from tests.adapters.test_records_pain import decoded_every_time  # noqa: E402
from tests.domain.test_pain_fast import reference_check_runs  # noqa: E402

from backstride.adapters.db import records  # noqa: E402
from backstride.domain.pain import (  # noqa: E402
    PainEntry,
    PainFeel,
    PainSite,
    PainWhen,
    RedFlag,
    RunRef,
    SeenOutcome,
    SeenRecord,
    awaiting_clearance,
    check_runs,
    first_claudication_day,
    open_red_flags,
    weekly_morning_trend,
)

TODAY = date(2025, 6, 30)
DIARY_DAYS = 200  # services.guidance.PAIN_DAYS
RUN_DAYS = 35  # the runs the rules check: the look-back of the run caps (~15 runs)
SIZES = (30, 200, 400, 600)


def diary(n_entries: int, *, seed: int = 11) -> tuple[list[PainEntry], list[RunRef]]:
    """``n_entries`` check-ins spread over the last 200 days, a run every other day or so
    (before/after linked to it, next morning the day after), rest-day check-ins between, a few
    flares, an old red flag or two; and the runs of those 200 days."""
    rng = random.Random(seed)
    first = TODAY - timedelta(days=DIARY_DAYS - 1)
    run_days = sorted(rng.sample(range(DIARY_DAYS), DIARY_DAYS * 45 // 100))
    runs = [RunRef(1000 + i, first + timedelta(days=d)) for i, d in enumerate(run_days)]
    # entries per day needed for n over 200 days; at least one check-in on each day used
    per_day = max(1, round(n_entries / DIARY_DAYS))
    days = sorted(rng.sample(range(DIARY_DAYS), min(DIARY_DAYS, n_entries)))
    by_day = {r.day: r for r in runs}
    out: list[PainEntry] = []
    flare_left = 0
    for d in days:
        day = first + timedelta(days=d)
        if flare_left == 0 and rng.random() < 0.03:
            flare_left = rng.randint(2, 5)
        high = flare_left > 0
        flare_left = max(0, flare_left - 1)

        def score(high: bool = high) -> int:
            return rng.randint(6, 9) if high else rng.choice((0, 1, 1, 2, 2, 2, 3, 3, 4))

        run = by_day.get(day)
        moments = (
            [PainWhen.BEFORE, PainWhen.AFTER, PainWhen.NEXT_MORNING, PainWhen.DURING]
            if run
            else [PainWhen.REST_DAY, PainWhen.NEXT_MORNING, PainWhen.REST_DAY]
        )
        for when in moments[: max(per_day, 1)]:
            linked = run is not None and when in (PainWhen.BEFORE, PainWhen.AFTER, PainWhen.DURING)
            out.append(
                PainEntry(
                    day=day,
                    when=when,
                    score=score(),
                    where=(PainSite.LOW_BACK,),
                    feels=(PainFeel.STIFFNESS,) if rng.random() < 0.3 else (),
                    red_flags=(RedFlag.NIGHT_PAIN,) if d < 100 and rng.random() < 0.01 else (),
                    activity_id=run.activity_id if linked and run else None,
                    id=len(out) + 1,
                )
            )
            if len(out) >= n_entries:
                break
        if len(out) >= n_entries:
            break
    return out, runs


def checked(runs: Sequence[RunRef]) -> list[RunRef]:
    """The runs the rules check: those of the last 35 days."""
    return [r for r in runs if r.day > TODAY - timedelta(days=RUN_DAYS)]


def cpu_ms(call: Callable[[], object], *, repeat: int, min_s: float = 0.2) -> tuple[float, float]:
    """Best and median CPU milliseconds per call, over ``repeat`` rounds of enough calls."""
    call()
    loops = 1
    while True:
        t = time.process_time()
        for _ in range(loops):
            call()
        if time.process_time() - t >= min_s / repeat or loops >= 1 << 16:
            break
        loops *= 2
    rounds = []
    for _ in range(repeat):
        t = time.process_time()
        for _ in range(loops):
            call()
        rounds.append((time.process_time() - t) * 1000.0 / loops)
    return min(rounds), statistics.median(rounds)


def _json(values: Sequence[object]) -> str:
    return "[" + ", ".join(f'"{v}"' for v in values) + "]"


def as_rows(entries: Sequence[PainEntry]) -> list[SimpleNamespace]:
    """The entries as stored rows (JSON list columns), the input of ``records.pain_entry``."""
    return [
        SimpleNamespace(
            id=e.id,
            day=e.day,
            moment=e.when.value,
            score=e.score,
            sites=_json([s.value for s in e.where]),
            feels=_json([f.value for f in e.feels]),
            walking_leg_symptoms=e.walking_leg_symptoms,
            eases_sitting=e.eases_sitting,
            red_flags=_json([f.value for f in e.red_flags]),
            notes=e.notes,
            activity_id=e.activity_id,
            worse_coughing=e.worse_coughing,
            ruled_out_flags=_json([f.value for f in e.ruled_out]),
        )
        for e in entries
    ]


def domain_figures(repeat: int) -> None:
    print("check_runs (15 runs of the last 35 days), CPU ms per call, best / median:")
    print(f"{'entries':>8} {'runs':>5} {'indexed':>16} {'reference':>16} {'ratio':>7}")
    for n in SIZES:
        entries, every_run = diary(n)
        runs = checked(every_run)
        assert check_runs(runs, entries) == reference_check_runs(runs, entries)
        fast = cpu_ms(lambda e=entries, r=runs: check_runs(r, e), repeat=repeat)
        slow = cpu_ms(lambda e=entries, r=runs: reference_check_runs(r, e), repeat=repeat)
        print(
            f"{len(entries):>8} {len(runs):>5} {fast[0]:>7.3f} / {fast[1]:<6.3f} "
            f"{slow[0]:>7.3f} / {slow[1]:<6.3f} {slow[0] / fast[0]:>6.1f}x"
        )
    entries, _ = diary(400)
    seen = [SeenRecord(RedFlag.NIGHT_PAIN, TODAY - timedelta(days=90), "GP", None, 1)]
    seen.append(
        SeenRecord(RedFlag.FEVER, TODAY - timedelta(days=20), None, None, 2, SeenOutcome.MAY_NOT)
    )
    rows = as_rows(entries)
    assert [records.pain_entry(r) for r in rows] == [decoded_every_time(r) for r in rows]
    week = TODAY - timedelta(days=7 * 6)
    print("the rest of the diary's work at 400 entries, CPU ms per call, best / median:")
    for name, call in (
        ("weekly_morning_trend", lambda: weekly_morning_trend(e for e in entries if e.day >= week)),
        ("open_red_flags", lambda: open_red_flags(entries, seen)),
        ("awaiting_clearance", lambda: awaiting_clearance(entries, seen, [])),
        ("first_claudication_day", lambda: first_claudication_day(entries)),
        ("records.pain_entry x400", lambda: [records.pain_entry(r) for r in rows]),
        ("  decoding every row", lambda: [decoded_every_time(r) for r in rows]),
    ):
        best, median = cpu_ms(call, repeat=repeat)
        print(f"  {name:<24} {best:7.3f} / {median:.3f}")


def build_year(app: object, entries: Sequence[PainEntry], runs: Sequence[RunRef]) -> int:
    """A runner with a year of activities (the diary's runs in its 200 days, a run every two
    or three days and some cycling before), each analysed the way the importer does, and the
    diary stored with its links to the runs. Returns the number of activities."""
    from dataclasses import replace
    from datetime import UTC, datetime

    import numpy as np

    from backstride.adapters.db.body_repos import PainRepo
    from backstride.adapters.db.repos import ActivityRepo
    from backstride.domain.activity import Activity, Sport
    from backstride.services.body import record_screening, set_profile
    from backstride.services.context import App
    from backstride.services.demo_load import DEMO_SCREENING
    from backstride.services.training import analysis_profile, store_analysis

    sys.path.insert(0, str(Path(__file__).resolve().parent))
    from today_bench import _streams  # the short recordings of the ``today`` benchmark

    assert isinstance(app, App)
    rng = np.random.default_rng(5)
    first = TODAY - timedelta(days=364)
    set_profile(app, today=TODAY, birth_year=1985, sex="male", conditions=["none"])
    record_screening(app, DEMO_SCREENING | {"bone-joint-worse": False}, on=first, today=TODAY)
    diary_start = TODAY - timedelta(days=DIARY_DAYS - 1)
    sessions: list[tuple[date, Sport, int | None]] = []
    day = first
    while day < diary_start:
        sessions.append((day, Sport.RUN if rng.random() < 0.75 else Sport.CYCLE, None))
        day += timedelta(days=int(rng.integers(2, 4)))
    sessions += [(r.day, Sport.RUN, r.activity_id) for r in runs]
    ids: dict[int, int] = {}
    profile = analysis_profile(app)
    with app.store.session() as session:
        repo = ActivityRepo(session)
        for i, (on, sport, ref) in enumerate(sessions):
            duration = float(rng.uniform(1800, 4200))
            activity = Activity(
                sport=sport,
                start_at=datetime(on.year, on.month, on.day, 7, tzinfo=UTC),
                duration_s=duration,
                utc_offset_s=3600,
                source_format="fit",
                streams=_streams(rng, duration, sport.is_run),
            )
            label = f"bench/{i}.fit"
            new_id = repo.add(app.athlete_id, activity, source_label=label, content_hash=None)
            store_analysis(session, app.athlete_id, new_id, activity, profile)
            if ref is not None:
                ids[ref] = new_id
        pain = PainRepo(session)
        for e in entries:
            linked = ids[e.activity_id] if e.activity_id is not None else None
            pain.add(app.athlete_id, replace(e, id=None, activity_id=linked))
    from backstride.services.diary.entries import record_seen

    flagged = [e.day for e in entries if e.red_flags]
    if flagged:  # seen and cleared: the diary's red flag is history, not today's stop
        on = max(flagged) + timedelta(days=3)
        record_seen(app, flag="night-pain", on=on, today=TODAY, by="GP", outcome="may-train")
    return len(sessions)


def count_statements(call: Callable[[], object]) -> int:
    """The SQL statements ``call`` sends, on any engine (the store's reads have their own)."""
    from sqlalchemy import event
    from sqlalchemy.engine import Engine

    sent: list[str] = []

    def note(*args: object) -> None:
        sent.append(str(args[2]))

    event.listen(Engine, "before_cursor_execute", note)
    try:
        call()
    finally:
        event.remove(Engine, "before_cursor_execute", note)
    return len(sent)


def today_figures(repeat: int) -> None:
    from backstride.config import get_settings
    from backstride.services import guidance
    from backstride.services.context import App

    entries, runs = diary(400)
    with tempfile.TemporaryDirectory() as tmp:
        root = Path(tmp)
        settings = get_settings(db=str(root / "bench.sqlite3"), data_dir=str(root / "data"))
        app = App(settings)
        try:
            n_sessions = build_year(app, entries, runs)
            stored = app.reads.pain_for_guidance(
                app.athlete_id, since=TODAY - timedelta(days=DIARY_DAYS), until=TODAY
            )
            decision = guidance.today(app, on=TODAY).decision
            statements = count_statements(lambda: guidance.today(app, on=TODAY))
            result = {}
            for label, fn in (("indexed", check_runs), ("reference", reference_check_runs)):
                guidance.check_runs = fn  # type: ignore[assignment]
                result[label] = cpu_ms(
                    lambda: guidance.today(app, on=TODAY), repeat=repeat, min_s=1.0
                )
            guidance.check_runs = check_runs
        finally:
            app.close()
    print(
        f"today() on SQLite: a year of activities ({n_sessions}), a {len(stored)}-entry diary, "
        f"decision {decision}; {statements} SQL statements; CPU ms per call, best / median:"
    )
    for label, (best, median) in result.items():
        print(f"  check_runs {label:<10} {best:7.2f} / {median:.2f}")


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=(__doc__ or "").splitlines()[0])
    parser.add_argument("--repeat", type=int, default=7)
    parser.add_argument("--no-today", action="store_true", help="only the pure domain figures")
    args = parser.parse_args(argv)
    domain_figures(args.repeat)
    if not args.no_today:
        today_figures(args.repeat)
    return 0


if __name__ == "__main__":
    sys.exit(main())
