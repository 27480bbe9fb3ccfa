"""The interface's language. Every string a person reads goes through `_` (or `N_` where it is defined before
the language is known, e.g. a table of labels, and translated where it is shown). Source strings are English;
placeholders are named (`_("{count} leads").format(count=n)`), so a translation may move them.
"""

from __future__ import annotations


def _(message: str) -> str:
    return message


def N_(message: str) -> str:
    """Marks a string for the catalog without translating it now."""
    return message
