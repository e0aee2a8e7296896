"""Server-mode fixtures: two runners with data of their own, a professional, a stranger,
and logged-in TestClients (the real app, the real database, HTTPS cookies)."""

from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import date, timedelta
from pathlib import Path
from typing import Any

from fastapi import FastAPI
from fastapi.testclient import TestClient

from backstride.config import Settings
from backstride.domain.access import Role
from backstride.services.accounts import add_user
from backstride.services.activities import ActivityEdit, edit_activity, list_activities
from backstride.services.context import App
from backstride.services.diary import PainInput, add_pain
from backstride.services.shoes import add_shoe
from tests.web.conftest import HISTORY_END, make_settings
from tests.web.synthetic import add_history

PASSWORD = "a long enough password"
TOKEN = re.compile(r'name="csrf_token" value="([0-9a-f]+)"')


@dataclass(frozen=True)
class Runner:
    email: str
    name: str
    athlete_id: int
    marker: str
    activity_id: int
    pain_id: int


def server_settings(root: Path, *, db: str, **overrides: Any) -> Settings:
    return make_settings(root, db=db, mode="server", **overrides)


def seed_runner(app: App, *, email: str, name: str, marker: str) -> Runner:
    """An account with a few runs, a check-in and a pair of shoes, each carrying ``marker``."""
    account = add_user(app, email=email, name=name, role=Role.RUNNER, password=PASSWORD)
    assert account.athlete_id is not None
    mine = app.for_athlete(account.athlete_id)
    add_history(mine, end=HISTORY_END, count=4, years=0.05, sample_s=10.0)
    rows = list_activities(mine, sort="start", descending=True, limit=10)
    edit_activity(mine, rows[0].id, ActivityEdit(name=f"{marker} run", notes=f"{marker} notes"))
    saved = add_pain(
        mine,
        PainInput(day=HISTORY_END, when="after", score=3, notes=f"{marker} pain note"),
        today=date.today(),
    )
    add_shoe(mine, f"{marker} shoe", today=date.today(), start_km=10, bought_on=HISTORY_END)
    return Runner(
        email=email,
        name=name,
        athlete_id=account.athlete_id,
        marker=marker,
        activity_id=rows[0].id,
        pain_id=saved.entry.id,
    )


def add_professional(app: App, *, email: str, name: str) -> None:
    add_user(app, email=email, name=name, role=Role.PROFESSIONAL, password=PASSWORD)


def client_for(web_app: FastAPI) -> TestClient:
    return TestClient(web_app, base_url="https://testserver", raise_server_exceptions=False)


def csrf(client: TestClient, path: str = "/login") -> str:
    page = client.get(path)
    found = TOKEN.search(page.text)
    assert found, f"no form token on {path}"
    return found.group(1)


def log_in(client: TestClient, email: str, password: str = PASSWORD) -> str:
    """Log in through the login form; the form token for later posts."""
    token = csrf(client)
    answer = client.post(
        "/login",
        data={"email": email, "password": password, "csrf_token": token},
        follow_redirects=False,
    )
    assert answer.status_code == 303, answer.text[:500]
    return token


def share(client: TestClient, token: str, email: str, *scopes: str, until: str = "") -> None:
    answer = client.post(
        "/sharing",
        data={"email": email, "scope": list(scopes), "until": until, "csrf_token": token},
        follow_redirects=False,
    )
    assert answer.status_code == 303, answer.text[:800]


def open_runner(client: TestClient, token: str, athlete_id: int) -> int:
    answer = client.post(
        f"/runners/{athlete_id}/open", data={"csrf_token": token}, follow_redirects=False
    )
    return answer.status_code


def tomorrow() -> str:
    return (date.today() + timedelta(days=1)).isoformat()
