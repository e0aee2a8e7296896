"""The navigation, in one place: each page of the dashboard is one entry here.

A feature adding a page appends a :class:`NavItem` to :data:`NAV` (and includes its router in
``app.py``); ``templates/base.html`` renders the list, marking the current page by ``key``.
"""

from __future__ import annotations

from dataclasses import dataclass


@dataclass(frozen=True, slots=True)
class NavItem:
    key: str
    label: str
    href: str


NAV: list[NavItem] = [
    NavItem("overview", "Overview", "/"),
    NavItem("today", "Today", "/today"),
    NavItem("checkin", "Check-in", "/checkin"),
    NavItem("diary", "Diary", "/diary"),
    NavItem("activities", "Activities", "/activities"),
    NavItem("load", "Load", "/load"),
    NavItem("routes", "Routes", "/routes"),
    NavItem("plan", "Plan", "/plan"),
    NavItem("exercises", "Exercises", "/exercises"),
    NavItem("selftests", "Self-tests", "/self-tests"),
    NavItem("shoes", "Shoes", "/shoes"),
    NavItem("profile", "Profile", "/profile"),
    NavItem("measures", "Measures", "/measures"),
    NavItem("report", "Report", "/report"),
    NavItem("import", "Import", "/import"),
    NavItem("data", "Data", "/data"),
]
