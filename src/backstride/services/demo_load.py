"""Loading the demo athlete: files through the real importer, the rest through the services."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, timedelta
from pathlib import Path

from backstride.domain.activity import Sport
from backstride.domain.plan import days_text
from backstride.services.activities import (
    ActivityEdit,
    ManualEntry,
    edit_activity,
    list_activities,
    log_manual,
)
from backstride.services.body import add_clearance, add_selftest, record_screening, set_profile
from backstride.services.context import App
from backstride.services.demo import DemoStory, generate_demo
from backstride.services.diary import PainInput, add_pain
from backstride.services.importing import ImportReport, import_paths
from backstride.services.measures import MeasureInput, add_measure
from backstride.services.plan import start_demo_plan
from backstride.services.shoes import add_shoe, set_default_shoe

#: The demo athlete's screening: only the back question is a "yes" (she has stenosis).
DEMO_SCREENING: dict[str, object] = {
    "heart-or-blood-pressure": False,
    "chest-discomfort": False,
    "fainting-or-dizziness": False,
    "breathless-or-palpitations": False,
    "calf-pain-walking": False,
    "diabetes-or-kidney": False,
    "other-long-term-condition": False,
    "regular-medication": False,
    "bone-joint-worse": True,
    "told-to-limit-exercise": False,
    "regularly-active": False,
    "wants-hard-training": False,
}


DEMO_RUN_SPORTS = (Sport.RUN.value, Sport.TRAIL_RUN.value)


@dataclass(frozen=True, slots=True)
class DemoLoaded:
    story: DemoStory
    report: ImportReport


def load_demo(app: App, folder: Path, *, seed: int, end_day: date, weeks: int = 16) -> DemoLoaded:
    """Write the demo files to ``folder`` and store the whole story in ``app``'s database
    (``weeks`` > 16 adds earlier weeks of cycling and swimming)."""
    story = generate_demo(folder, seed=seed, end=end_day, weeks=weeks)
    today = story.end
    p = story.profile
    set_profile(
        app,
        today=today,
        birth_year=p.birth_year,
        sex=p.sex,
        resting_hr_bpm=p.resting_hr_bpm,
        max_hr_bpm=p.max_hr_bpm,
        conditions=list(p.conditions),
        past_injuries=list(p.past_injuries),
        experience=p.experience,
    )
    record_screening(app, DEMO_SCREENING, on=story.start, today=today)
    add_clearance(
        app, on=story.clearance.on, by=story.clearance.by, today=today, notes=story.clearance.notes
    )
    for shoe in story.shoes:
        add_shoe(app, shoe.name, today=today, start_km=shoe.start_km, bought_on=shoe.bought_on)
        if shoe.default_for_run:
            set_default_shoe(app, shoe.name, sport="run", today=today)
    report = import_paths(app, [folder])
    if report.stopped is not None:
        raise report.stopped
    for m in story.manual_entries:
        log_manual(
            app,
            ManualEntry(
                day=m.on,
                sport=m.sport,
                duration_s=m.duration_s,
                distance_m=m.distance_m,
                rpe=m.rpe,
                notes=m.notes,
                name=m.name,
            ),
            today=today,
        )
    by_file = {
        row.source_label.replace("\\", "/").split(":")[-1]: row.id
        for row in list_activities(app, since=story.start - timedelta(days=1))
    }

    def activity_for(file: str | None) -> int | None:
        if file is None:
            return None
        for label, activity_id in by_file.items():
            if label.endswith(file):
                return activity_id
        return None

    for file, rpe in story.rpe_by_file.items():
        activity_id = activity_for(file)
        if activity_id is not None:
            edit_activity(app, activity_id, ActivityEdit(rpe=rpe))
    for e in story.pain_entries:
        add_pain(
            app,
            PainInput(
                day=e.on,
                when=e.when,
                score=e.score,
                activity_id=activity_for(e.activity_file)
                if e.when in ("during", "after")
                else None,
                where=e.where,
                feels=e.feels,
                walking_leg_symptoms=e.walking_leg_symptoms,
                eases_sitting=e.eases_sitting,
                notes=e.notes,
            ),
            today=today,
        )
    for t in story.self_tests:
        value = ("pass" if t.passed else "fail") if t.passed is not None else f"{t.value:g}"
        add_selftest(app, name=t.name, value=value, on=t.on, today=today)
    for measure in story.measures:
        a = measure.answers
        add_measure(
            app,
            MeasureInput(
                instrument=measure.instrument,
                day=measure.on,
                score=a[0] if measure.instrument == "walk" else None,
                peg=(a[0], a[1], a[2]) if measure.instrument == "peg" else None,
                notes=measure.notes,
            ),
            today=today,
        )
    # An active plan from the first day of her last story week, on the days she ran that week,
    # at the week her runs of the 4 weeks before match (``services.plan.start_plan``).
    start = today - timedelta(days=6)
    run_days = sorted(
        {f.on.weekday() for f in story.files if f.on >= start and f.sport in DEMO_RUN_SPORTS}
    )
    start_demo_plan(app, start=start, today=today, days=days_text(run_days))
    return DemoLoaded(story, report)
