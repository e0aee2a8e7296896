"""Use cases for the pain diary: add, edit, delete and list entries, red-flag triage, "seen"
records, check-ins, and the pain-monitoring report.

Every result is a frozen dataclass with ``to_json()``. Red-flag triage always comes first in
a result (``triage`` is the first key of the JSON) so that every interface shows it first.
"""

from __future__ import annotations

from backstride.services.diary.entries import (
    PainChanges,
    PainInput,
    add_pain,
    answer_warning_signs,
    delete_pain,
    edit_pain,
    list_pain,
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
