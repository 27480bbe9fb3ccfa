"""The translation catalogs: extract every string, merge into each language's .po, compile the .mo.

    python scripts/catalogs.py            # extract + update + compile (what `make catalogs` runs)
    python scripts/catalogs.py --check    # exit 1 when a .po is missing a message or its .mo is stale

Strings come from two places:
- the source: every `_("...")` and `N_("...")` call under leadctl/ (Babel's Python extractor);
- the command line as Typer builds it: each command's, group's and option's help text (their docstrings and
  `help=` strings, f-strings evaluated), collected by importing every command module, since those texts are
  translated where --help shows them (leadctl/cli/__init__.py, `_speak`).

A message new to the catalog gets an empty translation (and a `fuzzy`-free entry): tests/test_i18n.py fails
until a translator fills it in leadctl/locale/zh/LC_MESSAGES/leadctl.po and runs this script again.
"""

from __future__ import annotations

import argparse
import io
import os
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
os.environ["LEADCTL_LANG"] = "en"  # collect the English source texts

from babel.messages.catalog import Catalog  # noqa: E402
from babel.messages.extract import extract_from_dir  # noqa: E402
from babel.messages.mofile import write_mo  # noqa: E402
from babel.messages.pofile import read_po, write_po  # noqa: E402

from leadctl.i18n import DOMAIN, LOCALE_DIR  # noqa: E402

TRANSLATED = ("zh",)
KEYWORDS = {"_": None, "N_": None}
# Typer's own words (typer.core looks them up through leadctl's catalog, see leadctl/cli/__init__.py)
TYPER = ("Show this message and exit.",
         "Arguments", "Options", "Commands", "required", "default: {default}", "env var: {var}", "(dynamic)",
         "Aborted!", "Missing command.", "No such command {name!r}.")


def _commands(command, where: str):
    yield where, command
    for name, sub in getattr(command, "commands", {}).items():
        yield from _commands(sub, f"{where} {name}")


def help_texts() -> list[tuple[str, str]]:
    """(where, text) of every help text the command line shows."""
    import importlib

    import typer

    from leadctl.cli import COMMANDS, app

    out = []
    root = typer.main.get_command(app)
    found = [("leadctl", root)]
    for module in sorted(set(COMMANDS.values())):
        holder = typer.Typer()
        importlib.import_module(f"leadctl.cli.{module}").register(holder)
        for name, command in typer.main.get_group(holder).commands.items():
            found += list(_commands(command, f"leadctl {name}"))
    for where, command in found:
        for text in (command.help, command.short_help):
            if text:
                out.append((where, text))
        for param in command.params:
            if getattr(param, "help", None):
                out.append((f"{where} {param.opts[0] if param.opts else param.name}", param.help))
    return out


def template() -> Catalog:
    catalog = Catalog(domain=DOMAIN, project="leadctl", fuzzy=False)
    for filename, lineno, message, _comments, _context in extract_from_dir(
            ROOT / "leadctl", method_map=[("**.py", "python")], keywords=KEYWORDS, comment_tags=()):
        if isinstance(message, tuple):
            message = message[0]
        if message:
            catalog.add(message, locations=[(f"leadctl/{filename}", lineno)])
    from leadctl.store.db import default_path

    for where, text in help_texts():
        if str(default_path()) in text:  # --db's help names this machine's path: its template is extracted
            continue
        catalog.add(text, auto_comments=[where] if text not in catalog else ())
    import tomllib

    for preset in sorted((ROOT / "leadctl" / "rules" / "presets").glob("*.toml")):  # meanings shown by policy show
        data = tomllib.loads(preset.read_text(encoding="utf-8"))
        where = f"leadctl/rules/presets/{preset.name}"
        for text in [data.get("source")] + [g.get("meaning") for g in data.get("grades", {}).values()]:
            if text:
                catalog.add(text, auto_comments=[where] if text not in catalog else ())
        for words in data.get("assessment", {}).values():
            for word in words:
                catalog.add(word, auto_comments=[where] if word not in catalog else ())
    for text in ("{message}; {hint}", "leadctl: {line}"):  # cli/output.py error_line
        catalog.add(text)
    for text in TYPER:
        catalog.add(text, auto_comments=["typer"])
    return catalog


def po_path(lang: str) -> Path:
    return LOCALE_DIR / lang / "LC_MESSAGES" / f"{DOMAIN}.po"


def load(lang: str) -> Catalog:
    path = po_path(lang)
    if not path.exists():
        return Catalog(locale=lang, domain=DOMAIN, fuzzy=False)
    with path.open("rb") as f:
        return read_po(f, locale=lang, domain=DOMAIN)


def compiled(catalog: Catalog) -> bytes:
    out = io.BytesIO()
    write_mo(out, catalog, use_fuzzy=False)
    return out.getvalue()


def update(lang: str, pot: Catalog) -> Catalog:
    catalog = load(lang)
    catalog.update(pot, no_fuzzy_matching=True, update_header_comment=False)
    for message in list(catalog):  # a message the source no longer has is dropped, not kept as obsolete
        message.flags.discard("fuzzy")
    catalog.obsolete.clear()
    catalog.fuzzy = False
    return catalog


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--check", action="store_true", help="report stale catalogs, change nothing")
    args = parser.parse_args()
    pot = template()
    stale = []
    for lang in TRANSLATED:
        catalog = update(lang, pot)
        missing = [m.id for m in catalog if m.id and not m.string]
        mo = po_path(lang).with_suffix(".mo")
        if args.check:
            known = {m.id for m in load(lang) if m.id}
            new = [m.id for m in pot if m.id and m.id not in known]
            if new or not mo.exists() or mo.read_bytes() != compiled(load(lang)):
                stale.append(lang)
            for text in new:
                print(f"{lang}: not in the catalog: {text!r}")
            continue
        po_path(lang).parent.mkdir(parents=True, exist_ok=True)
        with po_path(lang).open("wb") as f:
            write_po(f, catalog, width=120, omit_header=False, sort_output=False, include_previous=False)
        mo.write_bytes(compiled(catalog))
        print(f"{po_path(lang).relative_to(ROOT)}: {len(catalog)} messages, {len(missing)} untranslated")
    return 1 if stale else 0


if __name__ == "__main__":
    sys.exit(main())
