"""--help pages measured in terminal cells. Click measures text by its length in characters, but a Chinese
character takes two cells: its lines ran past 80 columns and the terminal broke them mid-word. Here a line is
filled cell by cell, Chinese text may break between any two characters (never before a closing mark such as
。，）), and words of Latin letters (`--wide`, `walk-in`) break only at spaces."""

from __future__ import annotations

import re

from typer._click.formatting import HelpFormatter

# a run of spaces; or a word of narrow characters or one wide character, with the closing marks that may not
# begin a line; an opening mark that may not end one is kept with what follows it (_tokens)
_CLOSING = "。，、；：？！）」』】》”’…"  # marks that may not begin a line (they carry their own space)
_TOKENS = re.compile(r"\s+|(?:[\u0000-\u10ff\u2000-\u206f]+?(?=\s|[^\u0000-\u10ff\u2000-\u206f]|$)|[^\s])"
                     f"[{_CLOSING}]*")
_OPENING = ("（", "「", "『", "【", "《", "“", "‘", "[", "(")


_CODE = re.compile(r"（[\x21-\x7e]+）")  # a code in parentheses after its Chinese term: 到店（store）
_IDEOGRAPH = re.compile(r"[\u4e00-\u9fff]")
TERM_CHARS = 8  # the longest Chinese term kept on one line with its code


def _tokens(text: str, keep: re.Pattern | None = None) -> list[str]:
    """The pieces a line may break between; a match of `keep` (e.g. a date, `2月5日 周四`) is one piece."""
    text = " ".join(text.split())
    if keep is None:
        return _pieces(text)
    out, at = [], 0
    for found in keep.finditer(text):
        out += _pieces(text[at:found.start()])
        tail = text[found.end():]
        closing = len(tail) - len(tail.lstrip(_CLOSING))
        kept = found[0] + tail[:closing]  # `28日），` never begins a line with `）`
        if out and out[-1].endswith(_OPENING):  # nor does `（` end one
            out[-1] += kept
        else:
            out.append(kept)
        at = found.end() + closing
    return out + _pieces(text[at:])


def _pieces(text: str) -> list[str]:
    out: list[str] = []
    for token in _TOKENS.findall(text):
        if out and out[-1].endswith(_OPENING) and not token.isspace():
            out[-1] += token
        else:
            out.append(token)
    return _terms(_spans(out))


SPAN_TOKENS = 12  # the longest `[默认：全部]` kept whole, in tokens


def _spans(tokens: list[str]) -> list[str]:
    """A short bracketed note without spaces (`[默认：全部]`, `[003]`) as one token: a line never breaks inside it."""
    out: list[str] = []
    i = 0
    while i < len(tokens):
        token = tokens[i]
        if token.startswith("[") and "]" not in token:
            end = next((j for j in range(i + 1, min(len(tokens), i + SPAN_TOKENS))
                        if tokens[j].isspace() or "]" in tokens[j]), None)
            if end is not None and "]" in tokens[end]:
                out.append("".join(tokens[i:end + 1]))
                i = end + 1
                continue
        out.append(token)
        i += 1
    return out


def _terms(tokens: list[str]) -> list[str]:
    """A Chinese term and the code after it in parentheses (展厅（walk-in）, 400（hotline）) as one token: a line
    never breaks between them, nor inside a term of up to TERM_CHARS characters."""
    out: list[str] = []
    for token in tokens:
        if out and _CODE.match(token) and not out[-1].isspace():
            start = len(out)
            while start > 0 and _IDEOGRAPH.fullmatch(out[start - 1]) and len(out) - start < TERM_CHARS:
                start -= 1
            start = min(start, len(out) - 1)  # the term's last character (or the word before) at least
            if start > 0 and _IDEOGRAPH.fullmatch(out[start - 1]):  # a longer run is prose: keep only its last
                start = len(out) - 1
            out[start:] = ["".join(out[start:]) + token]
        else:
            out.append(token)
    return out


def cells(text: str) -> int:
    from rich.cells import cell_len

    return cell_len(text)


def wrap(text: str, width: int, first: str = "", rest: str = "", *, units: list[str] | None = None,
         keep: re.Pattern | None = None) -> list[str]:
    """`text` filled into lines of at most `width` cells, the first starting with `first`, the others with `rest`;
    a word wider than a whole line is cut. `units` follow the text, each kept whole on a line when it fits (a space
    token between two of them is a space); a match of `keep` in the text is never broken (unless wider than a
    line)."""
    lines, line, space = [], first, False
    used = start = cells(first)  # cells on this line; of them, its indent
    joint = [] if text.rstrip().endswith(tuple(_CLOSING)) else [" "]  # `批次人数。[默认：1]`: none after 。
    for token in _fitted([*_tokens(text, keep), *([*joint, *units] if units else [])], width - cells(rest)):
        if token.isspace():
            space = True
            continue
        size = cells(token)
        gap = 1 if space and used > start else 0
        if used + gap + size > width and used > start:
            lines.append(line)
            line, used, start, gap = rest, cells(rest), cells(rest), 0
        while used + size > width and len(token) > 1:  # wider than a whole line
            cut = fitting(token, width - used)
            lines.append(line + token[:cut])
            token, line, used, start = token[cut:], rest, cells(rest), cells(rest)
            size = cells(token)
        line, used, space = line + " " * gap + token, used + gap + size, False
    lines.append(line)
    return lines


def _fitted(tokens: list[str], room: int) -> list[str]:
    """The tokens, an opening mark held to a piece wider than a line let go: `（2025年12月28日），` in 19 cells ends
    a line with its `（` rather than begin one with `，`."""
    out: list[str] = []
    for token in tokens:
        if token.startswith(_OPENING) and len(token) > 1 and cells(token) > room >= cells(token[1:]):
            if out and not out[-1].isspace():
                out[-1] += token[0]  # the mark goes with the piece before it, to the end of that line
            else:
                out.append(token[0])
            out.append(token[1:])
        else:
            out.append(token)
    return out


def fitting(token: str, room: int) -> int:
    """How many of the token's characters fit in `room` cells (at least one)."""
    used = 0
    for i, ch in enumerate(token):
        used += cells(ch)
        if used > room:
            return max(i, 1)
    return len(token)


def short(text: str | None, limit: int) -> str:
    """A command's line in a group's list: the first sentence of its help; one too long for `limit` cells, its
    first clause when that fills most of the line, else cut after a whole word with `…`."""
    if not text:
        return ""
    first = " ".join(text.split("\n\n")[0].split())
    for end in ("。", ". "):
        if end in first:
            first = first[:first.index(end) + len(end)].rstrip()
            break
    if cells(first) <= limit:
        return first
    ends = [first.rfind(mark, 0, fitting(first, limit)) for mark in _CLAUSE_ENDS]
    clause = max(ends, default=-1)
    head = first[:clause]
    closed = head.count("（") == head.count("）") and head.count("(") == head.count(")")
    if clause > 0 and closed and cells(head) * 5 >= limit * 3 and _outside_code(first, clause) == clause:
        return head  # a whole first clause, filling most of the line, reads whole: no `…`
    return _cut(first, limit)


_CLAUSE_ENDS = ("；", "; ", "：", ": ")  # where a summary's first clause ends


def _cut(first: str, limit: int) -> str:
    cut = fitting(first, limit - 1)
    head = first[:_word_start(first, _outside_code(first, cut))].rstrip(_LOOSE)
    return (head or first[:cut]) + "…"


_LOOSE = " ,;:，、；：（(-"  # what a shortened line does not end with before its `…`


def _outside_code(text: str, cut: int) -> int:
    """`cut`, or the start of the `code span` it falls inside: a command is shown whole or not at all."""
    return text.rindex("`", 0, cut) if text.count("`", 0, cut) % 2 else cut


def _narrow(ch: str) -> bool:
    return not ch.isspace() and cells(ch) == 1


def _word_start(text: str, cut: int) -> int:
    """`cut`, or the start of the word of Latin letters it falls inside (Chinese may break anywhere)."""
    if not (0 < cut < len(text) and _narrow(text[cut - 1]) and _narrow(text[cut])):
        return cut
    start = cut
    while start > 0 and _narrow(text[start - 1]):
        start -= 1
    return start or cut


_SHOWN_DEFAULT = re.compile(r"^(.+[:：] ?)\((.*)\)$")  # a default in words: Typer writes `(it)`
_EXTRAS = re.compile(r"(?s)(?P<help>.*?)\s*(?P<extras>\[[^\[\]]*\])")


def extras(text: str) -> tuple[str, list[str]]:
    """An option's help and what Typer appends to it, `[env var: LEADCTL_DB; default: 5.0]`, as units for wrap():
    each item whole on a line, `;` between them under en and `；` under zh (Chinese punctuation, no space)."""
    found = _EXTRAS.fullmatch(text)
    if found is None or not found["help"].strip() and "\n" in found["extras"]:
        return text, []
    from leadctl.i18n import zh

    items = [_SHOWN_DEFAULT.sub(r"\1\2", item) for item in found["extras"][1:-1].split("; ")]
    if zh():
        units = [f"{item}；" for item in items[:-1]] + [items[-1]]
    else:
        units = [x for item in items[:-1] for x in (f"{item};", " ")] + [items[-1]]
    units[0] = "[" + units[0]
    units[-1] += "]"
    return found["help"], units


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
        if any(len(row) != 2 for row in rows):
            raise TypeError("Expected two columns for definition list")
        first_col = min(max((cells(first) for first, _ in rows), default=0), col_max) + col_spacing  # 线索: 4 cells
        indent = " " * (self.current_indent + first_col)
        for first, second in rows:
            head = " " * self.current_indent + first
            if not second:
                self.write(head + "\n")
                continue
            second, units = extras(second)
            if cells(first) <= first_col - col_spacing:
                lines = wrap(second, self.width, head + " " * (first_col - cells(first)), indent, units=units)
            else:
                lines = [head, *wrap(second, self.width, indent, indent, units=units)]
            self.write("\n".join(lines) + "\n")
