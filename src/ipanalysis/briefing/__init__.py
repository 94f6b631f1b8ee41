"""Briefings: the data a page shows (a frozen :class:`Briefing`), its sections, charts and
HTML, in one language per page from the locale catalogue.

- :mod:`~ipanalysis.briefing.load` — :func:`load_briefing` assembles a Briefing (reading
  through :mod:`ipanalysis.io`); the only module here that touches files, and only to read.
- :mod:`~ipanalysis.briefing.bundle` — the Briefing: data and look-ups, no I/O.
- :mod:`~ipanalysis.briefing.sections` — what a page displays, piece by piece.
- :mod:`~ipanalysis.briefing.charts` — the house chart theme and chart builders.
- :mod:`~ipanalysis.briefing.html` — HTML fragments from Jinja templates.
"""

from .bundle import Briefing
from .load import load_briefing, load_data

__all__ = ["Briefing", "load_briefing", "load_data"]
