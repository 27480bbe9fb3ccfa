"""The search indexes `find` reads, kept current from the queue that triggers fill (migration 0016).

SQLite refuses a virtual table inside a trigger while trusted_schema is off (the connection recipe), so the
triggers on leads and follow-ups queue each changed row in search_dirty, in the writing transaction; `refresh`
indexes the queue (FTS5 rows, pinyin keys) before every search, so a search always sees every committed write.

FTS5's own tokenizer reads a run of Chinese characters as one word; the index holds Chinese as overlapping pairs
of characters instead (长安物流 -> 长安 安物 物流), and a query is written the same way as a phrase, so any two or more
characters inside a text are found through the index, newest first.
"""

from __future__ import annotations

import re
import sqlite3
from collections.abc import Callable

_CJK_RUN = re.compile(r"[\u3400-\u9fff\uf900-\ufaff]+")

# the card's free text a search reads (besides the name)
CARD_TEXT = ("story", "favourable", "unfavourable", "objections", "resources", "employer", "industry", "address",
             "current_vehicle", "purpose", "wechat")
BATCH = 5000


def pairs(text: str | None) -> str | None:
    """Text as the index holds it: each run of Chinese characters as its overlapping pairs (a lone character as
    itself), everything else as written."""
    if not text:
        return text

    def split(match: re.Match) -> str:
        run = match.group(0)
        return " " + (" ".join(run[i:i + 2] for i in range(len(run) - 1)) if len(run) > 1 else run) + " "

    return _CJK_RUN.sub(split, text)


def phrase(query: str) -> str:
    """A query as an FTS5 phrase over the pairs: matches the text wherever it holds the query."""
    words = (pairs(query) or "").split()
    return '"' + " ".join(w.replace('"', '""') for w in words) + '"'


def pending(conn: sqlite3.Connection) -> bool:
    return conn.execute("SELECT 1 FROM search_dirty LIMIT 1").fetchone() is not None


def refresh(conn: sqlite3.Connection, name_keys: Callable[[str | None], tuple[str, str] | None]) -> int:
    """Index every queued row (inside the caller's write transaction); returns how many were indexed."""
    done = 0
    while True:
        rows = conn.execute("SELECT tbl, id FROM search_dirty LIMIT ?", (BATCH,)).fetchall()
        if not rows:
            return done
        leads = [r[1] for r in rows if r[0] == "leads"]
        followups = [r[1] for r in rows if r[0] == "followups"]
        _leads(conn, leads, name_keys)
        _followups(conn, followups)
        conn.executemany("DELETE FROM search_dirty WHERE tbl = ? AND id = ?", rows)
        done += len(rows)


def _leads(conn: sqlite3.Connection, ids: list[int], name_keys) -> None:
    if not ids:
        return
    conn.executemany("DELETE FROM search_leads WHERE rowid = ?", [(i,) for i in ids])
    conn.executemany("DELETE FROM name_keys WHERE lead_id = ?", [(i,) for i in ids])
    marks = ",".join("?" * len(ids))
    text = " || char(10) || ".join(f"coalesce({c}, '')" for c in CARD_TEXT)
    docs, keys = [], []
    for lead_id, name, card in conn.execute(f"SELECT id, name, {text} FROM leads WHERE id IN ({marks})", ids):
        found = name_keys(name)
        if found:
            keys.append((lead_id, *found))
        if name or card.strip():
            docs.append((lead_id, pairs(name), found[0] if found else None, pairs(card.strip()) or None))
    conn.executemany("INSERT INTO search_leads (rowid, name, pinyin, card) VALUES (?,?,?,?)", docs)
    conn.executemany("INSERT INTO name_keys (lead_id, pinyin, initials) VALUES (?,?,?)", keys)


def _followups(conn: sqlite3.Connection, ids: list[int]) -> None:
    if not ids:
        return
    conn.executemany("DELETE FROM search_followups WHERE rowid = ?", [(i,) for i in ids])
    marks = ",".join("?" * len(ids))
    rows = conn.execute(f"SELECT id, result FROM followups WHERE id IN ({marks}) AND voided_at IS NULL", ids)
    conn.executemany("INSERT INTO search_followups (rowid, result) VALUES (?, ?)",
                     [(i, pairs(result)) for i, result in rows])


def rebuild(conn: sqlite3.Connection, name_keys) -> int:
    """Index everything again from the tables (`check --fix-index`); returns the rows indexed."""
    conn.execute("DELETE FROM search_leads")
    conn.execute("DELETE FROM search_followups")
    conn.execute("DELETE FROM name_keys")
    conn.execute("INSERT OR IGNORE INTO search_dirty (tbl, id) SELECT 'leads', id FROM leads")
    conn.execute("INSERT OR IGNORE INTO search_dirty (tbl, id) SELECT 'followups', id FROM followups")
    done = refresh(conn, name_keys)
    optimize(conn)
    return done


def optimize(conn: sqlite3.Connection) -> None:
    """Merge each index's segments, so that an entry deleted (a purge) leaves no bytes behind in the file."""
    for table in ("search_leads", "search_followups"):
        conn.execute(f"INSERT INTO {table}({table}) VALUES('optimize')")
