"""A visual line of a PDF page, as the text layer or OCR gives it; shared by pdf.py and ocr.py."""

from __future__ import annotations

from dataclasses import dataclass, field

MARGIN = 0.10  # top/bottom share of the page where running headers and page numbers live


@dataclass
class PageLine:
    page: int
    x0: float
    x1: float
    y0: float
    y1: float
    size: float
    text: str = ""
    chars: list[tuple[str, float, float]] = field(default_factory=list)  # (char, x0, x1)
    ocr: bool = False  # read by Tesseract from a page image
