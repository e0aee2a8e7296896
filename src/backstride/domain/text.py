"""Free text as stored: no control characters, no terminal escape sequences.

Notes, names and "seen by" texts are printed on terminals and shown on pages. A stored
``ESC [ 2 J`` would clear a screen, a bidirectional override would reorder what a clinician
reads; neither belongs in a diary. Pure: no I/O.
"""

from __future__ import annotations

import html
import re
import unicodedata

# ANSI/ECMA-48 sequences: CSI (ESC [ ... final), OSC (ESC ] ... BEL or ESC \), other ESC + char.
_ESCAPES = re.compile(
    r"\x1b\[[0-?]*[ -/]*[@-~]"  # CSI, e.g. colours and cursor moves
    r"|\x1b\][^\x07\x1b]*(?:\x07|\x1b\\)?"  # OSC, e.g. window titles and hyperlinks
    r"|\x1b[PX^_][^\x1b]*(?:\x1b\\)?"  # DCS, SOS, PM, APC strings
    r"|\x1b[@-Z\\-_]"  # two-character escapes
    r"|\x9b[0-?]*[ -/]*[@-~]"  # the 8-bit CSI
)


def _keep(char: str, *, multiline: bool) -> bool:
    if char == "\n":
        return multiline
    category = unicodedata.category(char)
    if category == "Cc":  # C0 and C1 controls (tab is handled before)
        return False
    # Format characters that reorder or hide text (bidi overrides and isolates, zero-width
    # joiners are kept: some scripts need them).
    return not (category == "Cf" and char not in "\u200c\u200d")


def clean_text(text: str, *, multiline: bool = True) -> str:
    """``text`` without escape sequences and control characters, trimmed.

    Tabs become spaces; ``\\r\\n`` and ``\\r`` become ``\\n`` (or a space when ``multiline`` is
    False). Printable characters of every script are kept.
    """
    text = _ESCAPES.sub("", text)
    text = text.replace("\r\n", "\n").replace("\r", "\n").replace("\t", " ")
    if not multiline:
        text = text.replace("\n", " ")
    out = "".join(c for c in text if _keep(c, multiline=multiline))
    return out.strip()


def clean_line(text: str) -> str:
    """A one-line text (a name, "seen by"): cleaned, with runs of spaces collapsed."""
    return " ".join(clean_text(text, multiline=False).split())


class RunnerText(str):
    """Text the runner (or her clinician) typed, as stored: notes, names, injuries.

    Shown exactly as typed on every surface. Messages that backstride writes may quote a
    command in backticks, which a page turns into a link to the page doing the same
    (``web.commands``); text of this type never is, even when it quotes a command itself, so
    an edit box shows it verbatim and saving it unchanged stores the same text. ``__html__``
    (the markupsafe protocol) makes a page escape it like any other text.
    """

    __slots__ = ()

    def __html__(self) -> str:
        return html.escape(str(self), quote=True)


def runner_text(value: str | None) -> RunnerText | None:
    """``value`` marked as typed by a person (None stays None)."""
    return None if value is None else RunnerText(value)
