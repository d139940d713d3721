"""The fonts of product PDFs: DejaVu Sans when the workstation has it (Debian's
fonts-dejavu-core, which fontconfig and so Qt pull in), embedded as subsets so names like
Vuković print as written; else the PDF base-14 Helvetica, which has no glyph outside
Windows-1252.

``FONTS_ID`` names which, with a digest of the font files: a verifier re-renders with its own
fonts, so a PDF drawn with other font files is refused by name ("renderer"), never compared
byte for byte against something that cannot match. ``HSTC_PDF_FONTS`` may point at another
folder holding the same five file names.
"""

from __future__ import annotations

import hashlib
import os
from pathlib import Path
from typing import Final

from reportlab.lib.fonts import addMapping
from reportlab.pdfbase import pdfmetrics
from reportlab.pdfbase.ttfonts import TTFont

DEFAULT_DIR: Final = Path("/usr/share/fonts/truetype/dejavu")
FILES: Final = {"HstcSans": "DejaVuSans.ttf", "HstcSans-Bold": "DejaVuSans-Bold.ttf",
                "HstcSans-Oblique": "DejaVuSans-Oblique.ttf",
                "HstcSans-BoldOblique": "DejaVuSans-BoldOblique.ttf"}


def _load() -> tuple[str, str, str, str, str]:
    folder = Path(os.environ.get("HSTC_PDF_FONTS") or DEFAULT_DIR)
    paths = {name: folder / file for name, file in FILES.items()}
    if not all(p.is_file() for p in paths.values()):
        return ("Helvetica", "Helvetica-Bold", "Helvetica-Oblique", "Helvetica-BoldOblique",
                "base14")
    digest = hashlib.sha256()
    for name, path in paths.items():
        data = path.read_bytes()
        digest.update(data)
        if name not in pdfmetrics.getRegisteredFontNames():
            pdfmetrics.registerFont(TTFont(name, str(path)))
    addMapping("HstcSans", 0, 0, "HstcSans")
    addMapping("HstcSans", 1, 0, "HstcSans-Bold")
    addMapping("HstcSans", 0, 1, "HstcSans-Oblique")
    addMapping("HstcSans", 1, 1, "HstcSans-BoldOblique")
    return (*FILES, f"dejavu-{digest.hexdigest()[:16]}")  # type: ignore[return-value]


FONT, BOLD, ITALIC, BOLD_ITALIC, FONTS_ID = _load()
