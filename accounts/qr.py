"""QR codes as inline SVG: segno encodes, a path of dark modules draws (no style attribute, so a strict Content
Security Policy allows it, and no markup from outside passes through unescaped)."""

from dataclasses import dataclass

import segno

QUIET_ZONE = 4  # modules of white around the code, as the standard asks


@dataclass(frozen=True)
class QRCode:
    size: int  # modules per side, the quiet zone included: the SVG's viewBox
    path: str  # the dark modules as one SVG path


def dark_modules_path(matrix, border: int = QUIET_ZONE) -> str:
    """The dark modules of a QR matrix (rows of 0/1) as SVG path data: one rectangle per run in a row."""
    parts = []
    for y, row in enumerate(matrix):
        x = 0
        while x < len(row):
            if row[x]:
                start = x
                while x < len(row) and row[x]:
                    x += 1
                parts.append(f"M{start + border} {y + border}h{x - start}v1h-{x - start}z")
            else:
                x += 1
    return "".join(parts)


def qr_code(data: str) -> QRCode:
    """The QR code of data (error correction M, as authenticator apps read it well)."""
    code = segno.make(data, error="m", micro=False)
    return QRCode(size=len(code.matrix) + 2 * QUIET_ZONE, path=dark_modules_path(code.matrix))
