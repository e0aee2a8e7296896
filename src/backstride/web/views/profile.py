"""The Profile page's view model: the profile, the last screening's answers, the clearances
and what the runner's training status is."""

from __future__ import annotations

from datetime import date
from typing import Any

from backstride.services.body import (
    get_clearance_state,
    get_profile,
    latest_screening,
    list_clearances,
    screening_questions,
    training_status_for,
    units_in_force,
)
from backstride.services.context import App


def profile_data(app: App, on: date) -> dict[str, Any]:
    clearances = list_clearances(app)
    last = latest_screening(app)
    return {
        # The previous answers pre-fill the form: a re-screening changes only what changed.
        "last_screening": (
            {
                "answered_on": last.answered_on,
                "answers": {
                    f"q-{key}": "yes" if yes else "no" for key, yes in last.answers.items()
                },
            }
            if last is not None
            else None
        ),
        "profile": get_profile(app).to_json(),
        "units_choice": units_in_force(app, shared_server=app.settings.server_mode),
        "training": training_status_for(app, today=on).to_json(),
        "clearances": clearances.to_json()["clearances"],
        "state": get_clearance_state(app, on=on).to_json(),
        "questions": [q.to_json() for q in screening_questions()],
        "today": on,
    }
