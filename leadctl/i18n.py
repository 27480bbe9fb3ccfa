"""The interface's language. Every string a person reads goes through `_` (or `N_` where it is defined before
the language is known, e.g. a table of labels, and translated where it is shown). Source strings are English;
placeholders are named (`_("{count} leads").format(count=n)`), so a translation may move them.

Which language (resolved once, on the first string translated):
1. `LEADCTL_LANG` (zh or en);
2. else the locale, from the first of LANGUAGE, LC_ALL, LC_MESSAGES, LANG that is set, when it names a
   language (C and POSIX name none; a language leadctl does not speak falls through);
3. else the store's default, saved at `init` (settings.language), read from the database the run names
   (--db, LEADCTL_DB, or the default path);
4. else zh.

The catalogs are gettext .mo files under leadctl/locale/<lang>/LC_MESSAGES/leadctl.mo, compiled from the .po
sources beside them by `make catalogs` (scripts/catalogs.py, Babel) and shipped as package data; they are read
by a binary search of the .mo's sorted table (SortedCatalog), not parsed whole. English is the source language:
it needs no catalog.
"""

from __future__ import annotations

import os
import re
import sys
from pathlib import Path

DOMAIN = "leadctl"
LANGUAGES = ("zh", "en")
DEFAULT = "zh"
LOCALE_DIR = Path(__file__).parent / "locale"
SETTING = "language"  # the settings row holding the store's default

_state: dict = {"lang": None, "gettext": None}


def _(message: str) -> str:
    gettext = _state["gettext"]
    if gettext is None:
        gettext = _load()
    return gettext(message) if message else message


def N_(message: str) -> str:
    """Marks a string for the catalog without translating it now."""
    return message


def reworded(table, text: str, adjust=None) -> str | None:
    """English text another layer wrote (a rule's reason, a check's problem, Click's error) in the run's language:
    the first (pattern, template) of `table` whose pattern matches all of it fills its template with the named
    groups found (`adjust(values)` may change them first); None when none matches."""
    for pattern, template in table:
        found = pattern.fullmatch(text)
        if found:
            values = {k: v for k, v in found.groupdict().items() if v is not None}
            if adjust is not None:
                adjust(values)
            return _(template).format(**values)
    return None


_CJK_PUNCTUATION = "，。、；：？！（）【】《》「」『』“”‘’…"
_SPACE_BY_PUNCTUATION = re.compile(rf"[ \u3000]+(?=[{_CJK_PUNCTUATION}])|(?<=[{_CJK_PUNCTUATION}])[ \u3000]+")


def cjk_spaced(text: str) -> str:
    """A sentence put together from pieces (a template and the values it names), spaced as its language is: under
    zh no space beside a full-width punctuation mark (`线索 5300（钱女士，无归属）的来店`, not `） 的`), whatever the
    pieces end or begin with; English keeps its spaces."""
    return _SPACE_BY_PUNCTUATION.sub("", text) if zh() else text


def language() -> str:
    """zh or en: the language this run speaks."""
    if _state["lang"] is None:
        _load()
    return _state["lang"]


def zh() -> bool:
    return language() == "zh"


def joined(items) -> str:
    """Items listed in a sentence: 、 between them under zh, `, ` under en."""
    return ("、" if zh() else ", ").join(str(item) for item in items)


def choices(pairs) -> str:
    """The values a person may give, each (code, word) with its word: the word first under zh, `展厅（walk-in）、
    来电（call）`, the code first under en, `walk-in (展厅), call (来电)`; a code without a word of its own alone."""
    if zh():
        return joined(f"{word}（{code}）" if word and word != code else code for code, word in pairs)
    return joined(f"{code} ({word})" if word and word != code else code for code, word in pairs)


def use(lang: str | None) -> None:
    """Speak `lang` from now on (None: resolve again from the environment and the store)."""
    _state["lang"] = lang if lang in LANGUAGES else None
    _state["gettext"] = None
    if lang in LANGUAGES:
        _load()


def parse(word: str | None) -> str | None:
    """A language as a person or a locale names it (zh, zh_CN.UTF-8, 中文, en_US, English), or None."""
    if not word:
        return None
    word = word.strip().lower()
    if word in ("中文", "汉语", "简体中文", "chinese") or word.startswith("zh"):
        return "zh"
    if word in ("英文", "英语", "english") or word == "en" or word.startswith(("en_", "en-", "en.")):
        return "en"
    return None


def from_environment() -> str | None:
    """The language LEADCTL_LANG or the locale names, or None (C, POSIX, unset, or a language we lack)."""
    chosen = parse(os.environ.get("LEADCTL_LANG"))
    if chosen:
        return chosen
    for var in ("LANGUAGE", "LC_ALL", "LC_MESSAGES", "LANG"):
        value = os.environ.get(var)
        if not value:
            continue
        for each in value.split(":"):
            if parse(each):
                return parse(each)
        if var != "LANGUAGE":  # the first locale variable set decides (gettext's order); C/POSIX name none
            return None
    return None


def _db_path() -> Path | None:
    argv = sys.argv[1:]
    for i, arg in enumerate(argv):
        if arg == "--db" and i + 1 < len(argv):
            return Path(argv[i + 1])
        if arg.startswith("--db="):
            return Path(arg[5:])
    if os.environ.get("LEADCTL_DB"):
        return Path(os.environ["LEADCTL_DB"])
    try:
        from leadctl.store.db import default_path

        return default_path()
    except Exception:
        return None


def stored(path: Path | None) -> str | None:
    """The store's default language saved in the database at `path`, or None (no file, no setting)."""
    if path is None or not path.is_file():
        return None
    import sqlite3

    try:
        conn = sqlite3.connect(f"{path.resolve().as_uri()}?mode=ro", uri=True, timeout=0.2, isolation_level=None)
        try:
            row = conn.execute("SELECT value FROM settings WHERE key = ?", (SETTING,)).fetchone()
        finally:
            conn.close()
    except (sqlite3.Error, OSError, ValueError):
        return None
    return parse(row[0]) if row else None


def _load():
    lang = _state["lang"] or from_environment() or stored(_db_path()) or DEFAULT
    _state["lang"] = lang
    gettext = str if lang == "en" else catalog(LOCALE_DIR / lang / "LC_MESSAGES" / f"{DOMAIN}.mo").gettext
    _state["gettext"] = gettext
    return gettext


class SortedCatalog:
    """A compiled gettext catalog (.mo) read without parsing it: each message is found by a binary search of the
    file's table of original strings, which Babel writes sorted. A run translates a few dozen strings; parsing
    the whole catalog into a dict (stdlib gettext.GNUTranslations) cost 5-30 ms of every run's start. A message
    found is kept: a listing translates the same few strings for each of its rows."""

    def __init__(self, data: bytes):
        self.data = data
        self.found: dict[str, str] = {}
        self.order = "little" if data[:4] == b"\xde\x12\x04\x95" else "big"
        self.count, self.originals, self.translations = (self._int(at) for at in (8, 12, 16))

    def _int(self, at: int) -> int:
        return int.from_bytes(self.data[at:at + 4], self.order)

    def entry(self, data: bytes, at: int) -> tuple[int, int]:
        return self._int(at), self._int(at + 4)

    def original(self, i: int) -> bytes:
        length, offset = self.entry(self.data, self.originals + 8 * i)
        return self.data[offset:offset + length]

    def gettext(self, message: str) -> str:
        known = self.found.get(message)
        if known is None:
            known = self.found[message] = self._search(message)
        return known

    def _search(self, message: str) -> str:
        key, lo, hi = message.encode("utf-8"), 0, self.count
        while lo < hi:
            mid = (lo + hi) // 2
            probe = self.original(mid)
            if probe < key:
                lo = mid + 1
            elif probe > key:
                hi = mid
            else:
                length, offset = self.entry(self.data, self.translations + 8 * mid)
                return self.data[offset:offset + length].decode("utf-8")
        return message

    def is_sorted(self) -> bool:
        keys = [self.original(i) for i in range(self.count)]
        return keys == sorted(keys)


def catalog(path: Path):
    """The catalog at `path` (a .mo file), or the identity when there is none."""
    try:
        data = path.read_bytes()
    except OSError:
        import gettext as stdlib

        return stdlib.NullTranslations()
    if data[:4] not in (b"\xde\x12\x04\x95", b"\x95\x04\x12\xde"):
        import gettext as stdlib

        return stdlib.NullTranslations()
    return SortedCatalog(data)
