"""``backstride screen``: the pre-participation health screen."""

from __future__ import annotations

import json
from pathlib import Path
from typing import TYPE_CHECKING, Annotated

import typer

from backstride.cli.clearance import print_clearance
from backstride.cli.common import print_json, say, state, today_or
from backstride.cli.options import JsonResult
from backstride.errors import InvalidInputError

if TYPE_CHECKING:
    pass


def _load_answers(path: Path) -> dict[str, object]:
    try:
        data = json.loads(path.read_text(encoding="utf-8"))
    except (OSError, UnicodeDecodeError, json.JSONDecodeError) as exc:
        raise InvalidInputError(
            f"Could not read the answers file '{path}': {exc}.",
            hint='It should hold JSON like {"chest-discomfort": false, ...}.',
        ) from exc
    if isinstance(data, dict) and isinstance(data.get("answers"), dict):
        data = data["answers"]
    if not isinstance(data, dict):
        raise InvalidInputError(
            f"The answers file '{path}' must hold a JSON object of question: yes/no.",
        )
    return {str(k): v for k, v in data.items()}


def screen_command(
    answers: Annotated[
        Path | None,
        typer.Option(
            "--answers",
            help="A JSON file of answers {question-key: true/false} instead of asking.",
            dir_okay=False,
        ),
    ] = None,
    on: Annotated[
        str | None, typer.Option("--on", help="Date of the answers, YYYY-MM-DD (default today).")
    ] = None,
    json_out: JsonResult = False,
    list_questions: Annotated[
        bool, typer.Option("--questions", help="Only list the questions and their keys.")
    ] = False,
) -> None:
    """Answer the pre-participation health screen (asks each question, yes or no; your last
    answers are the defaults)."""
    from backstride.services.body import latest_screening, record_screening, screening_questions

    questions = screening_questions()
    if list_questions:
        if json_out:
            print_json([q.to_json() for q in questions])
            return
        for q in questions:
            say(f"{q.question.key}: {q.question.text}")
        return
    day = today_or(on)
    given: dict[str, object]
    if answers is not None:
        given = _load_answers(answers)
    else:
        say(
            "These questions check whether you should talk to a doctor before starting a "
            "running plan. Answer each one yes or no; nothing is shared."
        )
        last = latest_screening(state().app())
        if last is not None:
            say(
                f"Press Enter to keep your answer of {last.answered_on.isoformat()} "
                "(the capital letter)."
            )
        given = {}
        for number, q in enumerate(questions, start=1):
            given[q.question.key] = typer.confirm(
                f"{number}/{len(questions)} {q.question.text}",
                default=last.answers.get(q.question.key) if last is not None else None,
            )
    saved = record_screening(state().app(), given, on=day, today=today_or(None))
    if json_out:
        print_json(saved.to_json())
        return
    yes = saved.to_json()["yes_to"]
    say(f"Screening saved for {day.isoformat()} ({len(yes)} health question(s) answered yes).")
    print_clearance(saved.clearance)
