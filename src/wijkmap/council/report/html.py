"""The report as HTML for WeasyPrint: one Jinja2 template with autoescape on, so every
name, source and figure from the store or an import is shown as text, never as markup.
Images come in as data: URLs, the stylesheet inline: the page needs no other file."""

from __future__ import annotations

import base64
import re
from pathlib import Path

import jinja2
import pandas as pd
from markupsafe import Markup

TEMPLATES = Path(__file__).with_name("templates")


def css_string(value) -> Markup:
    """`value` as a quoted CSS string for the stylesheet (<style> is raw text: HTML
    escapes do not apply there), with quotes, backslashes, line breaks and '<' escaped,
    so no text can end the string or the style element."""
    text = re.sub(r'[\\"<>\n\r]', lambda m: f"\\{ord(m.group()):X} ", str(value))
    return Markup(f'"{text}"')


def _environment() -> jinja2.Environment:
    env = jinja2.Environment(
        loader=jinja2.FileSystemLoader(TEMPLATES),
        autoescape=True,  # .html templates and strings alike
        undefined=jinja2.StrictUndefined,
    )
    env.filters["css_string"] = css_string
    return env


def data_url(data: bytes, media_type: str = "image/png") -> str:
    return f"data:{media_type};base64,{base64.b64encode(data).decode('ascii')}"


def table(frame: pd.DataFrame | None, focus: list[bool] | None = None) -> dict | None:
    """A DataFrame as the template's table: columns, rows of text, which columns are
    numbers (right-aligned) and which rows stand out (the report's own area)."""
    if frame is None:
        return None
    rows = [["" if pd.isna(v) else str(v) for v in row] for row in frame.itertuples(index=False)]
    numeric = [pd.api.types.is_numeric_dtype(frame[c]) or _looks_numeric(frame[c]) for c in frame.columns]
    return {
        "columns": [str(c) for c in frame.columns],
        "rows": rows,
        "numeric": numeric,
        "focus": focus or [False] * len(rows),
    }


def _looks_numeric(column: pd.Series) -> bool:
    values = column.dropna().astype(str)
    return bool(len(values)) and bool(values.str.fullmatch(r"[–\-+−]?[\d.,]+\s*(%|[^\d\s]{0,3})?|–").all())


def render(context: dict) -> str:
    """The report's HTML from the template and `context` (see build.build_report)."""
    env = _environment()
    css = (TEMPLATES / "report.css").read_text(encoding="utf-8")
    return env.get_template("report.html").render(css=Markup(css), **context)
