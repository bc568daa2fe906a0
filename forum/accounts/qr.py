"""QR codes as inline SVG (segno): no image request, no script, nothing the CSP must allow."""

from __future__ import annotations

import segno
from markupsafe import Markup

TITLE = "QR code of the set-up link for your authenticator app"


def svg(text: str) -> Markup:
    """``text`` (an ``otpauth://`` URI) as an SVG element to put in the page as it is.

    segno writes only its own path data and the escaped title, so the markup is safe."""
    code = segno.make(text, error="m")
    # black on white whatever the colour scheme: scanners need the contrast and the quiet zone
    svg = code.svg_inline(
        scale=4, border=4, dark="#000", light="#fff", title=TITLE, svgclass="qr-code"
    )
    return Markup(svg)  # noqa: S704
