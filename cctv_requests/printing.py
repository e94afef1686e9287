"""Printed documents: a rendered page of HTML made into a PDF download."""

from flask import Response, request


def pdf_response(html: str, filename: str) -> Response:
    """``html`` (a template extending print_base.html) as an A4 PDF attachment
    called ``filename``. WeasyPrint is imported here, when a PDF is asked
    for, so pages that never print do not load it."""
    from weasyprint import HTML

    pdf = HTML(string=html, base_url=request.url_root).write_pdf()
    return Response(
        pdf,
        mimetype="application/pdf",
        headers={"Content-Disposition": f'attachment; filename="{filename}"'},
    )
