"""QR codes as inline SVG: no XML declaration and no style attribute, so a strict CSP shows them as they are."""

import segno


def qr_svg(data: str, title: str) -> str:
    """An inline SVG QR code of `data` (dark on white, error correction M) with an accessible title; its size
    comes from the stylesheet (class qr-code)."""
    svg = segno.make(data, error="m").svg_inline(
        dark="#000", light="#fff", omitsize=True, svgclass="qr-code", title=title
    )
    return svg.replace("<svg ", '<svg role="img" ', 1)
