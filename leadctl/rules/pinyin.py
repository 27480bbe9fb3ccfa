"""A name's search keys: its pinyin without tones and its initials (张伟 -> zhangwei, zw), by pypinyin.

pypinyin loads its whole dictionary when imported (about a second on a busy machine): it is imported here, inside
the function, and only `find` and `check --fix-index` call it, never a hot command.
"""

from __future__ import annotations

import re


def keys(name: str | None) -> tuple[str, str] | None:
    """(pinyin, initials) of a name, lower case, letters and digits only; None for no name."""
    text = (name or "").strip()
    if not text:
        return None
    from pypinyin import Style, lazy_pinyin

    syllables = lazy_pinyin(text, style=Style.NORMAL, errors="default")  # other text comes back as one piece
    words = [w for s in syllables for w in re.split(r"[^0-9a-z]+", s.lower()) if w]
    return "".join(words), "".join(w[0] for w in words)


def query(text: str) -> str:
    """What a person typed as pinyin or initials, as the keys are stored (zhang wei, Zhang-Wei -> zhangwei)."""
    return "".join(ch for ch in text.lower() if ch.isalnum())
