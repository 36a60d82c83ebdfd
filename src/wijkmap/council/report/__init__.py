"""The council report: one area (and those it is compared with) on A4, as PDF.

build_report is the entry point (build.py); the CLI's `rapport` and Kaart's button
(button.py) call it."""

from wijkmap.council.report.build import ReportError, build_report

__all__ = ["ReportError", "build_report"]
