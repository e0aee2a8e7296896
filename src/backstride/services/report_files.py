"""The clinician report as files and fragments (PDF, standalone HTML, the page's fragment and
its style), for the CLI and the web: both go through the services, never the adapters."""

from __future__ import annotations

from backstride.adapters.files.report_doc import (
    render_report_fragment,
    render_report_html,
    render_report_pdf,
    report_css,
)

__all__ = ["render_report_fragment", "render_report_html", "render_report_pdf", "report_css"]
