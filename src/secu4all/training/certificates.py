"""The certificate as PDF, with its code and the address where anyone can verify it."""

from __future__ import annotations

import segno
from django.http import HttpRequest
from django.template.loader import render_to_string
from django.urls import reverse

from secu4all.common.i18n import current_language
from secu4all.training.models import Certificate


def verification_url(certificate: Certificate, request: HttpRequest | None) -> str:
    path = reverse("certificate_verify", kwargs={"code": certificate.code})
    return request.build_absolute_uri(path) if request is not None else path


def certificate_pdf(*, certificate: Certificate, request: HttpRequest | None = None) -> bytes:
    # WeasyPrint takes about two seconds to import; only this download needs it.
    from weasyprint import HTML

    language = current_language()
    url = verification_url(certificate, request)
    modules = [
        {
            "number": m.get("number"),
            "title": m.get("titles", {}).get(language) or m.get("titles", {}).get("en", m["key"]),
        }
        for m in certificate.modules
    ]
    html = render_to_string(
        "training/certificate_pdf.html",
        {
            "certificate": certificate,
            "modules": modules,
            "url": url,
            "qr": segno.make(url, error="m").svg_data_uri(scale=3),
        },
    )
    return HTML(string=html).write_pdf()
