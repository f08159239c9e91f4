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


class Refused(ValueError):
    """A domain rule's refusal, kept in words a page can translate: English text with named placeholders
    (marked ``N_``) and its values apart. ``str()`` is the English sentence, as a plain ValueError's was;
    a service passing it on as a FieldopsError keeps the text and values (``errors.FieldopsError``)."""

    def __init__(self, message: str, /, *, field: str | None = None, **values):
        self.text, self.values, self.field = message, values, field
        said = message % values if values else message
        super().__init__(f"{field}: {said}" if field else said)  # "end: the shift ends before it starts"


class Phrase(str):
    """Words quoted inside a message that are themselves in the catalogs (a turf state: 'checked out'):
    the page translates them too when it shows the message. A plain str everywhere else."""
