"""Marks the domain's user-facing words for the translation catalogs, and leaves them as they are.

The domain is pure (no Flask), so it names its labels in English inside ``N_("...")``; pybabel finds
them there (``N_`` is one of its default keywords), and whoever shows a label to a person translates it
with ``gettext(label)`` in the request's language (the walk list in ``services/walklists.py``, the
templates with ``_(label)``).
"""
from __future__ import annotations


def N_(text: str) -> str:
    """``text`` itself: only a mark for ``pybabel extract``."""
    return text
