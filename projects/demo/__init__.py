"""Realistic Dutch demo data, fast enough for a million claims (`manage.py seed_demo`)."""

from __future__ import annotations

from .batch import DEFAULT_CLAIMS, Report, Sizes, seed, sizes_for
from .people import DEMO_LOGINS, DEMO_PASSWORD

__all__ = ["DEFAULT_CLAIMS", "DEMO_LOGINS", "DEMO_PASSWORD", "Report", "Sizes", "seed", "sizes_for"]
