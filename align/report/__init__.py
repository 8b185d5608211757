"""Reports of a run directory: ``render_report`` writes one self-contained HTML file."""

from align.report.html import render_report

__all__ = ["render_report"]
