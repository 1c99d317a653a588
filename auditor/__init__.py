"""auditor: a compliance checklist auditor for Chinese government rule-of-law reports."""

from __future__ import annotations

__version__ = "0.1.0"

#: Embedded in every report auditor writes (html, md, json, sarif), so that a later run over the
#: same directory recognises its own outputs and never audits them as reports.
OUTPUT_MARKER = "auditor:output"

__all__ = ["OUTPUT_MARKER", "__version__"]
