"""Pages never show command lines: a command quoted in a message becomes a link to the page
that does the same.

Messages are written once for every surface (``domain/guidance.py``, ``domain/day.py``...)
and the command line shows them as they are, with the command to type in backticks
(`` `backstride checkin` ``). Every value a template prints passes through
:func:`finalize` (the Jinja environment's ``finalize``), which replaces each quoted command
with a link to its page, named in words (:data:`PAGES`), and escapes the rest. Text a person
typed (:class:`~backstride.domain.text.RunnerText`, marked where it is read from storage and
when a form is sent back) is never linked: it is shown, and edited, as typed.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from markupsafe import Markup, escape

from backstride.domain.text import RunnerText


@dataclass(frozen=True, slots=True)
class PageLink:
    href: str
    words: str


#: Command (its leading words, longest first wins) -> the page that does the same.
PAGES: dict[str, PageLink] = {
    "checkin": PageLink("/checkin", "the Check-in page"),
    "today": PageLink("/today", "the Today page"),
    "plan": PageLink("/plan", "the Plan page"),
    "plan start": PageLink("/plan#start-h", "the plan form on the Plan page"),
    "pain": PageLink("/diary", "the Diary page"),
    "pain add": PageLink("/checkin", "the Check-in page"),
    "pain seen": PageLink("/diary", "the 'I have been seen' form on the Diary page"),
    "pain edit": PageLink("/diary", "the entry on the Diary page"),
    "screen": PageLink("/profile#screening", "the health questions on the Profile page"),
    "profile": PageLink("/profile#profile", "the Profile page"),
    "clearance": PageLink("/profile#clearance", "the clearance form on the Profile page"),
    "shoes": PageLink("/shoes", "the Shoes page"),
    "shoes add": PageLink("/shoes#add-shoe", "the new-pair form on the Shoes page"),
    "selftest": PageLink("/self-tests", "the Self-tests page"),
    "routine": PageLink("/exercises", "the Exercises page"),
    "routine core": PageLink("/exercises#routine-core", "the core routine on the Exercises page"),
    "routine warmup": PageLink("/exercises#routine-warmup", "the warm-up on the Exercises page"),
    "routine cooldown": PageLink(
        "/exercises#routine-cooldown", "the cool-down on the Exercises page"
    ),
    "routine mobility": PageLink(
        "/exercises#routine-mobility", "the mobility routine on the Exercises page"
    ),
    "route": PageLink("/routes", "the Routes page"),
    "activity": PageLink("/activities", "the Activities page"),
    "log": PageLink("/activities/new", "the form to log a session"),
    "load": PageLink("/load", "the Load page"),
    "measure": PageLink("/measures", "the Measures page"),
    "report": PageLink("/report", "the Report page"),
    "import": PageLink("/import", "the Import page"),
    "export": PageLink("/data", "the Data page"),
    "backup": PageLink("/data", "the Data page"),
    "delete": PageLink("/data", "the Data page"),
    "config": PageLink("/data", "the Data page"),
}

_QUOTED = re.compile(r"`backstride(?: ([^`]*))?`")
_ACTIVITY_ID = re.compile(r"^activity (?:edit|show) (\d+)\b")


def page_for(command: str) -> PageLink:
    """The page doing what ``command`` (the words after ``backstride``) does."""
    words = command.split()
    found = _ACTIVITY_ID.match(command)
    if found:
        return PageLink(f"/activities/{found.group(1)}#activity-edit", "that run's page")
    for n in (2, 1):
        key = " ".join(words[:n])
        if len(words) >= n and key in PAGES:
            return PAGES[key]
    return PageLink("/", "the Overview page")


def _link(match: re.Match[str]) -> str:
    link = page_for(match.group(1) or "")
    return f'<a href="{link.href}">{escape(link.words)}</a>'


def link_commands(text: str) -> Markup:
    """``text`` escaped, each quoted command replaced by a link to its page."""
    escaped = str(escape(text))
    # Backticks survive escaping unchanged, so the commands are found in the escaped text.
    return Markup(_QUOTED.sub(_link, escaped))


def finalize(value: object) -> object:
    """Jinja's ``finalize``: every printed string with a quoted command gets its links, but
    for the text a person typed (:class:`~backstride.domain.text.RunnerText`: notes, names,
    what a form sends back), which is printed as it is (escaped)."""
    if (
        isinstance(value, str)
        and not isinstance(value, Markup | RunnerText)
        and "`backstride" in value
    ):
        return link_commands(value)
    return value


def as_typed(value: object) -> object:
    """``value`` (a form's values sent back: strings, lists, dicts of them) marked as typed
    by the runner, so that its fields show it as it is."""
    if isinstance(value, str) and not isinstance(value, Markup):
        return RunnerText(value)
    if isinstance(value, dict):
        return {k: as_typed(v) for k, v in value.items()}
    if isinstance(value, list | tuple):
        return [as_typed(v) for v in value]
    return value
