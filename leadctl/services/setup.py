"""Creating a new leadctl database with its policy."""

from __future__ import annotations

from datetime import datetime
from pathlib import Path

from leadctl import i18n
from leadctl.errors import UsageError
from leadctl.i18n import _
from leadctl.services import policy
from leadctl.store.audit import record
from leadctl.store.db import Store


def init(path: Path, now: datetime, preset: str = "standard", policy_file: str | None = None,
         language: str = i18n.DEFAULT) -> dict:
    """Create the database; the policy is validated first, so a bad file creates nothing. `language` is the
    store's default interface language (zh or en), used when neither LEADCTL_LANG nor the locale names one."""
    lang = i18n.parse(language)
    if lang is None:
        raise UsageError(_("unknown language {language!r}").format(language=language),
                         _("give --lang zh (中文) or --lang en (English)"))
    chosen = policy.resolve(preset, policy_file)
    store = Store.create(path)
    try:
        with store.write() as conn:
            policy.store_policy(conn, now, None, chosen)
            conn.execute("INSERT OR REPLACE INTO settings (key, value) VALUES (?, ?)", (i18n.SETTING, lang))
            record(conn, now, None, "init", path=str(path), policy=chosen.name)
    finally:
        store.close()
    return {"db": str(path), "policy": chosen.name, "language": lang}
