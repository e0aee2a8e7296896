"""A runner's body data for the body-page tests: profile, screening, clearance, a pain diary
around the synthetic runs, self-test results and two pairs of shoes (one past 500 km)."""

from __future__ import annotations

from datetime import date, timedelta

from backstride.config import Settings
from backstride.domain.body import SCREENING_QUESTIONS
from backstride.services.activities import ActivityEdit, edit_activity, list_activities
from backstride.services.body import add_clearance, add_selftest, record_screening, set_profile
from backstride.services.context import App
from backstride.services.diary import PainInput, add_pain
from backstride.services.shoes import add_shoe, set_default_shoe
from tests.web.conftest import HISTORY_END

TODAY = date.today()


def runs(app: App) -> list[tuple[int, date]]:
    """(id, day) of every stored run, oldest first."""
    rows = list_activities(app, sports=["run"], sort="start", descending=False, limit=1000)
    return [(r.id, r.local_date) for r in rows]


def seed_body(settings: Settings) -> None:
    app = App(settings)
    try:
        set_profile(
            app,
            today=TODAY,
            birth_year=1978,
            sex="female",
            resting_hr_bpm=52,
            max_hr_bpm=182,
            conditions=["lumbar-spinal-stenosis"],
            past_injuries=["Hamstring strain, 2019"],
            experience="returning",
        )
        start = HISTORY_END - timedelta(days=90)
        answers = {
            q.key: q.key in ("bone-joint-worse", "regularly-active") for q in SCREENING_QUESTIONS
        }
        record_screening(app, answers, on=start, today=TODAY)
        add_clearance(
            app,
            on=start + timedelta(days=3),
            by="Dr Jones, GP",
            today=TODAY,
            restrictions="Flat routes for the first month",
        )
        add_shoe(app, "Trail Glide", today=TODAY, start_km=690, bought_on=date(2025, 3, 1))
        add_shoe(app, "Road Cruiser", today=TODAY, start_km=120, bought_on=date(2025, 11, 1))
        set_default_shoe(app, "Road Cruiser", sport="run", today=TODAY)
        found = runs(app)
        for i, (activity_id, day) in enumerate(found):
            edit_activity(
                app, activity_id, ActivityEdit(gear="Road Cruiser" if i % 2 else "Trail Glide")
            )
            add_pain(
                app,
                PainInput(day=day, when="after", score=2 + i % 3, where=["low-back"]),
                today=TODAY,
            )
            if i != len(found) - 1:  # the last run has no next-morning check-in yet
                add_pain(
                    app,
                    PainInput(
                        day=day + timedelta(days=1),
                        when="next-morning",
                        score=1 + i % 3,
                        where=["low-back"],
                        feels=["stiffness"] if i % 2 else ["ache"],
                    ),
                    today=TODAY,
                )
            add_pain(
                app,
                PainInput(day=day - timedelta(days=1), when="rest-day", score=1),
                today=TODAY,
            )
        for name, value in (
            ("trunk-flexor-hold", "120"),
            ("trunk-extensor-hold", "100"),
            ("side-bridge-left", "60"),
            ("side-bridge-right", "70"),
            ("sit-and-reach", "38"),
            ("straight-leg-raise-left", "65"),
            ("hip-flexor-length-left", "pass"),
        ):
            add_selftest(
                app, name=name, value=value, on=HISTORY_END - timedelta(days=7), today=TODAY
            )
    finally:
        app.close()
