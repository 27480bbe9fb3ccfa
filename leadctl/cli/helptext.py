"""--help pages measured in terminal cells. Click measures text by its length in characters, but a Chinese
character takes two cells: its lines ran past 80 columns and the terminal broke them mid-word. Here a line is
filled cell by cell, Chinese text may break between any two characters (never before a closing mark such as
。，）), and words of Latin letters (`--wide`, `walk-in`) break only at spaces."""

from __future__ import annotations

import re

from typer._click.formatting import HelpFormatter, measure_table

# a run of spaces; or a word of narrow characters or one wide character, with the closing marks that may not
# begin a line; an opening mark that may not end one is kept with what follows it (_tokens)
_TOKENS = re.compile(r"\s+|(?:[\u0000-\u10ff\u2000-\u206f]+?(?=\s|[^\u0000-\u10ff\u2000-\u206f]|$)|[^\s])"
                     r"[。，、；：？！）」』】》”’…]*")
_OPENING = ("（", "「", "『", "【", "《", "“", "‘", "[", "(")


def _tokens(text: str, keep: re.Pattern | None = None) -> list[str]:
    """The pieces a line may break between; a match of `keep` (e.g. a date, `2月5日 周四`) is one piece."""
    text = " ".join(text.split())
    if keep is None:
        return _pieces(text)
    out, at = [], 0
    for found in keep.finditer(text):
        out += _pieces(text[at:found.start()]) + [found[0]]
        at = found.end()
    return out + _pieces(text[at:])


def _pieces(text: str) -> list[str]:
    out: list[str] = []
    for token in _TOKENS.findall(text):
        if out and out[-1].endswith(_OPENING) and not token.isspace():
            out[-1] += token
        else:
            out.append(token)
    return out


def cells(text: str) -> int:
    from rich.cells import cell_len

    return cell_len(text)


def wrap(text: str, width: int, first: str = "", rest: str = "", keep: re.Pattern | None = None) -> list[str]:
    """`text` filled into lines of at most `width` cells, the first starting with `first`, the others with `rest`;
    a word wider than a whole line is cut; a match of `keep` is never broken (unless wider than a line)."""
    lines, line, space = [], first, False
    used = start = cells(first)  # cells on this line; of them, its indent
    for token in _tokens(text, keep):
        if token.isspace():
            space = True
            continue
        size = cells(token)
        gap = 1 if space and used > start else 0
        if used + gap + size > width and used > start:
            lines.append(line)
            line, used, start, gap = rest, cells(rest), cells(rest), 0
        while used + size > width and len(token) > 1:  # wider than a whole line
            cut = _fitting(token, width - used)
            lines.append(line + token[:cut])
            token, line, used, start = token[cut:], rest, cells(rest), cells(rest)
            size = cells(token)
        line, used, space = line + " " * gap + token, used + gap + size, False
    lines.append(line)
    return lines


def _fitting(token: str, room: int) -> int:
    """How many of the token's characters fit in `room` cells (at least one)."""
    used = 0
    for i, ch in enumerate(token):
        used += cells(ch)
        if used > room:
            return max(i, 1)
    return len(token)


def short(text: str | None, limit: int) -> str:
    """A command's line in a group's list: the first sentence of its help, cut to `limit` cells with `…`."""
    if not text:
        return ""
    first = " ".join(text.split("\n\n")[0].split())
    for end in ("。", ". "):
        if end in first:
            first = first[:first.index(end) + len(end)].rstrip()
            break
    if cells(first) <= limit:
        return first
    return first[:_fitting(first, limit - 1)] + "…"


class CellFormatter(HelpFormatter):
    """Click's help formatter, its text and its two-column lists filled by terminal cells (wrap())."""

    def write_text(self, text: str) -> None:
        indent = " " * self.current_indent
        for i, paragraph in enumerate(p for p in text.split("\n\n") if p.strip()):
            if i:
                self.write("\n")
            self.write("\n".join(wrap(paragraph, self.width, indent, indent)) + "\n")

    def write_dl(self, rows, col_max: int = 30, col_spacing: int = 2) -> None:
        rows = list(rows)
        widths = measure_table(rows)
        if len(widths) != 2:
            raise TypeError("Expected two columns for definition list")
        first_col = min(widths[0], col_max) + col_spacing
        indent = " " * (self.current_indent + first_col)
        for first, second in rows:
            head = " " * self.current_indent + first
            if not second:
                self.write(head + "\n")
                continue
            if cells(first) <= first_col - col_spacing:
                lines = wrap(second, self.width, head + " " * (first_col - cells(first)), indent)
            else:
                lines = [head, *wrap(second, self.width, indent, indent)]
            self.write("\n".join(lines) + "\n")
