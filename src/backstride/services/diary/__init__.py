"""Use cases for the pain diary: add, edit, delete and list entries, red-flag triage, "seen"
records, check-ins, and the pain-monitoring report.

Every result is a frozen dataclass with ``to_json()``. Red-flag triage always comes first in
a result (``triage`` is the first key of the JSON) so that every interface shows it first.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from backstride.lazy import lazy_names

if TYPE_CHECKING:
    from backstride.services.diary.entries import (
        PainChanges,
        PainInput,
        add_pain,
        answer_warning_signs,
        delete_pain,
        edit_pain,
        list_pain,
        pain_entries,
        record_seen,
    )
    from backstride.services.diary.monitoring import (
        CheckinContext,
        PainReport,
        RedFlagQuestion,
        checkin_context,
        pain_report,
        red_flag_names,
        red_flag_questions,
    )
    from backstride.services.diary.views import (
        RUN_SPORT_VALUES,
        PainDeleted,
        PainList,
        PainSaved,
        SeenSaved,
        TriageView,
        advice_json,
        entry_json,
        pain_rules,
        refusal_with_triage,
        risk_context,
        suspicion_json,
        triage_red_flags,
    )

_LAZY = {
    "CheckinContext": "backstride.services.diary.monitoring",
    "PainChanges": "backstride.services.diary.entries",
    "PainDeleted": "backstride.services.diary.views",
    "PainInput": "backstride.services.diary.entries",
    "PainList": "backstride.services.diary.views",
    "PainReport": "backstride.services.diary.monitoring",
    "PainSaved": "backstride.services.diary.views",
    "RUN_SPORT_VALUES": "backstride.services.diary.views",
    "RedFlagQuestion": "backstride.services.diary.monitoring",
    "SeenSaved": "backstride.services.diary.views",
    "TriageView": "backstride.services.diary.views",
    "add_pain": "backstride.services.diary.entries",
    "advice_json": "backstride.services.diary.views",
    "answer_warning_signs": "backstride.services.diary.entries",
    "checkin_context": "backstride.services.diary.monitoring",
    "delete_pain": "backstride.services.diary.entries",
    "edit_pain": "backstride.services.diary.entries",
    "entry_json": "backstride.services.diary.views",
    "list_pain": "backstride.services.diary.entries",
    "pain_entries": "backstride.services.diary.entries",
    "pain_report": "backstride.services.diary.monitoring",
    "pain_rules": "backstride.services.diary.views",
    "record_seen": "backstride.services.diary.entries",
    "red_flag_names": "backstride.services.diary.monitoring",
    "red_flag_questions": "backstride.services.diary.monitoring",
    "refusal_with_triage": "backstride.services.diary.views",
    "risk_context": "backstride.services.diary.views",
    "suspicion_json": "backstride.services.diary.views",
    "triage_red_flags": "backstride.services.diary.views",
}
"""Where each name lives; imported from there on first use (:func:`backstride.lazy.lazy_names`)."""

__getattr__ = lazy_names(__name__, _LAZY, globals())


__all__ = [
    "CheckinContext",
    "PainChanges",
    "PainDeleted",
    "PainInput",
    "PainList",
    "PainReport",
    "PainSaved",
    "RUN_SPORT_VALUES",
    "RedFlagQuestion",
    "SeenSaved",
    "TriageView",
    "add_pain",
    "advice_json",
    "answer_warning_signs",
    "checkin_context",
    "delete_pain",
    "edit_pain",
    "entry_json",
    "list_pain",
    "pain_entries",
    "pain_report",
    "pain_rules",
    "record_seen",
    "red_flag_names",
    "red_flag_questions",
    "refusal_with_triage",
    "risk_context",
    "suspicion_json",
    "triage_red_flags",
]
