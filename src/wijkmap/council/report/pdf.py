"""HTML to PDF with WeasyPrint, offline: its URL fetcher only opens data: and file:
URLs, so a report never makes a network request, whatever its text holds. Fonts are
the machine's (fontconfig: DejaVu, Liberation)."""

from __future__ import annotations

from wijkmap.council.report.html import TEMPLATES

ALLOWED = frozenset({"data", "file"})


def fetcher():
    """WeasyPrint's fetcher limited to data: and file: URLs (others raise, and the
    resource is left out)."""
    from weasyprint.urls import URLFetcher

    return URLFetcher(allowed_protocols=ALLOWED, timeout=1)


def html_to_pdf(html: str) -> bytes:
    import weasyprint

    document = weasyprint.HTML(string=html, base_url=str(TEMPLATES), url_fetcher=fetcher())
    return document.write_pdf()
