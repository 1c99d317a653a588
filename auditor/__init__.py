"""auditor: a compliance checklist auditor for Chinese government rule-of-law reports."""

from __future__ import annotations

__version__ = "0.1.0"

__all__ = ["__version__"]
