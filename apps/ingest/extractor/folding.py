"""Folding: whitespace removed, full-width folded to half-width, paragraphs and headlines found,
offsets kept."""

from __future__ import annotations

import re
from bisect import bisect_right
from collections.abc import Sequence
from dataclasses import dataclass
from typing import overload

from .figures import DIGIT_FIGURE

_FULL_WIDTH = {chr(c): chr(c - 0xFEE0) for c in range(0xFF01, 0xFF5F)}
_FULL_WIDTH.update({"\u3000": " ", "～": "~", "—": "-", "–": "-", "－": "-", "〇": "零"})
# Traditional characters (a repost in 繁體) folded one to one into the simplified ones the rules are written
# in: the magnitudes, units and verbs of figures and the words of tense (億元 is read, and reported, as 亿元).
_TRADITIONAL = (
    "億萬個點場噸畝輛項處戶張條臺號間區縣鎮級兩週"
    "長實現發開達總產業額規劃預標設將爭確過進經濟為與較計數務費貸補貼險"
    "屆會議報義這們來時從後門當還關於對應學業億醫療衛質環態質勞動農業園電車機網絡線雲氣"
)
_SIMPLIFIED = (
    "亿万个点场吨亩辆项处户张条台号间区县镇级两周"
    "长实现发开达总产业额规划预标设将争确过进经济为与较计数务费贷补贴险"
    "届会议报义这们来时从后门当还关于对应学业亿医疗卫质环态质劳动农业园电车机网络线云气"
)
_FULL_WIDTH.update(zip(_TRADITIONAL, _SIMPLIFIED, strict=True))
FOLD = str.maketrans(_FULL_WIDTH)
_FOLDS = re.compile("[" + re.escape("".join(_FULL_WIDTH)) + "]")
_CN_YEAR = re.compile(r"[一二三四五六七八九〇零○]{4}(?=年)")
_CN_YEAR_DIGITS = str.maketrans("〇零○一二三四五六七八九", "000123456789")

SENTENCE_END = "。！？!?"
CLAUSE_END = ",，;；:：" + SENTENCE_END
_PUNCTUATION_MARK = re.compile("[" + re.escape(CLAUSE_END + "、") + "]")
BREAK = "\n"  # inserted between paragraphs in the folded text


def translate(text: str) -> str:
    """text.translate(FOLD), quicker: str.translate looks every character of a Chinese text up in the
    table one by one (half a microsecond each), though few of them fold. The few distinct characters that
    fold are replaced instead, each in one pass (no folded character is folded again)."""
    present = set(_FOLDS.findall(text))
    if len(present) > 40:
        return text.translate(FOLD)
    for char in present:
        text = text.replace(char, _FULL_WIDTH[char])
    return text


def fold_chars(text: str) -> str:
    """Full-width folded to half-width and years in Chinese numerals (二〇三〇年) to digits, length kept."""
    return translate(_CN_YEAR.sub(lambda m: m.group(0).translate(_CN_YEAR_DIGITS), text))


def squeeze(text: str) -> str:
    """Whitespace removed and characters folded: how short sources (titles, headings) are compared."""
    return fold_chars(_WHITESPACE.sub("", text))


class Offsets(Sequence[int]):
    """Folded index -> original index, kept as runs of consecutive characters: a list of one number per
    character cost more to build than all the look-ups made in it."""

    def __init__(self) -> None:
        self._starts: list[int] = []  # the folded index where each run starts
        self._originals: list[int] = []  # the original index of its first character
        self._length = 0

    def extend(self, start: int, end: int) -> None:
        """Append the original indexes start, start + 1, … end - 1."""
        if end > start:
            self._starts.append(self._length)
            self._originals.append(start)
            self._length += end - start

    def append(self, original: int) -> None:
        self.extend(original, original + 1)

    def __len__(self) -> int:
        return self._length

    @overload
    def __getitem__(self, index: int) -> int: ...

    @overload
    def __getitem__(self, index: slice) -> list[int]: ...

    def __getitem__(self, index: int | slice) -> int | list[int]:
        if isinstance(index, slice):
            return [self[i] for i in range(*index.indices(self._length))]
        if index < 0:
            index += self._length
        if not 0 <= index < self._length:
            raise IndexError("folded index out of range")
        run = bisect_right(self._starts, index) - 1
        return self._originals[run] + index - self._starts[run]


@dataclass
class Folded:
    text: str  # whitespace-free, half-width, paragraphs separated by BREAK
    offsets: Offsets  # folded index -> original index (len(text) + 1 entries)
    headings: list[tuple[int, int]]  # folded spans of headline blocks
    source: str = ""  # the text as given, which quotes are cut from


_WHITESPACE = re.compile(r"\s+")
_BLOCK_SPLIT = re.compile(r"\n[ \t\u3000\r]*\n\s*")
_UNIT_START = re.compile(
    r"[万亿千百%个家条项处场所辆列组人亩吨斤元米户天台套座名件类P公平立微岁倍标株盏头张]"
)
_ENDS_ON_AMOUNT = re.compile(r"[\d.万亿千]$")
# A byline ending on its date (来源：… 2021-05-28 14:47) is a line of its own, not the start of a sentence
_ENDS_ON_DATE = re.compile(r"(?:19|20)\d\d[-/.年]\d{1,2}[-/.月]\d{1,2}日?(?:\d{1,2}:\d\d(?::\d\d)?)?$")
_LEADING_SPACE = re.compile(r"[ \t\u3000]+")

# The ordinal that numbers a section heading (一、 （二） 3.) is no punctuation of the heading itself.
_HEADING_ORDINAL = re.compile(
    r"^(?:[一二三四五六七八九十]+、|[(（][一二三四五六七八九十\d]+[)）]|\d+[、.．](?!\d))"
)
_RUN_OR_NEWLINE = re.compile(r"[^\s]+|\n")
# A half-width full stop: after a word (not a digit, a letter or a dot) and before no digit; after a digit
# and before no digit or letter; after a Chinese character and before a year. Written with the dot first,
# then the character before it (a look-behind over both), so the regex engine skips straight to dots.
HALF_WIDTH_STOP = re.compile(
    r"\.(?:(?<=[^\dA-Za-z.]\.)(?!\d)|(?<=\d\.)(?![\dA-Za-z])|(?<=[\u4e00-\u9fff]\.)(?=(?:19|20)\d\d年))"
)
_INDENTED_LINE = re.compile(r"[ \t\u3000]+\S|[-•·*▪]\s")  # an indented line, or a bulleted one
# A numbered section heading on a line of its own (一、2024年工作回顾 / （二）扩大有效投资), after a line
# that ended a sentence: a block of its own even without blank lines around it.
_NUMBERED_HEADING_LINE = re.compile(
    r"(?m)^[ \t\u3000]*(?:[一二三四五六七八九十]+、|[(（][一二三四五六七八九十]+[)）])"
    r"[^\n,，。;；:：!！?？]{1,30}[ \t\u3000\r]*$"
)


def _is_unpunctuated(block: str) -> bool:
    folded = translate(_HEADING_ORDINAL.sub("", block))
    return not _PUNCTUATION_MARK.search(folded) and not HALF_WIDTH_STOP.search(folded)


def _has_figure(block: str) -> bool:
    return bool(DIGIT_FIGURE.search(translate(block)))


def _ends_on_figure(block: str) -> bool:
    folded = translate(block)
    return any(m.end() == len(folded) for m in DIGIT_FIGURE.finditer(folded, max(0, len(folded) - 20)))


def _split_numbered_headings(text: str, start: int, end: int) -> list[tuple[int, int]]:
    pieces, pos = [], start
    for m in _NUMBERED_HEADING_LINE.finditer(text, start, end):
        before = text[start : m.start()].rstrip()
        if before and before[-1] not in SENTENCE_END + ":：”」）)":
            continue  # inside a sentence broken by the layout
        if m.start() > pos:
            pieces.append((pos, m.start()))
        pieces.append((m.start(), m.end()))
        pos = m.end()
    pieces.append((pos, end))
    return [(s, e) for s, e in pieces if e > s]


_LINE = re.compile(r"[^\n]*(?:\n|$)")
_SHORT_LINE_CHARS = 24
_SPACES = (" ", "\t", "\r", "\n", "\u3000", "\xa0", "\u2002", "\u2003", "\u2009", "\f", "\v")


def _bare_line(line: str) -> bool:
    if len(line) - sum(map(line.count, _SPACES)) > _SHORT_LINE_CHARS:
        return False  # more characters than spaces can account for: no need to squeeze it
    squeezed = _WHITESPACE.sub("", line)
    return 0 < len(squeezed) <= _SHORT_LINE_CHARS and _is_unpunctuated(squeezed)


def _after_sentence(text: str, start: int, at: int) -> bool:
    """Whether the text from start to at is empty or ends a sentence (read back from at, not copied)."""
    end = at
    while end > start and text[end - 1].isspace():
        end -= 1
    return end == start or text[end - 1] in SENTENCE_END + "”」)）"


def _split_headline_runs(text: str, start: int, end: int) -> list[tuple[int, int]]:
    """Two or more short unpunctuated lines after a finished sentence (a title and its subtitle, a byline)
    are a block of their own even without blank lines around them; a run of figure lines is a list,
    not a title."""
    if text.count("\n", start, end) < 2:
        return [(start, end)]  # fewer than two line breaks: no run of two lines with one after it
    lines = [(m.start(), m.end()) for m in _LINE.finditer(text, start, end) if m.end() > m.start()]
    pieces, pos, i = [], start, 0
    while i < len(lines):
        j = i
        while j < len(lines) and _bare_line(text[lines[j][0] : lines[j][1]]):
            j += 1
        if j - i >= 2 and j < len(lines) and _after_sentence(text, start, lines[i][0]):
            a_list = sum(_has_figure(text[a:b]) for a, b in lines[i:j]) > 1
        else:
            a_list = True  # no run of short lines here: nothing to split off
        if not a_list:
            if lines[i][0] > pos:
                pieces.append((pos, lines[i][0]))
            pieces.append((lines[i][0], lines[j - 1][1]))
            pos = lines[j - 1][1]
        i = max(j, i + 1)
    pieces.append((pos, end))
    return [(s, e) for s, e in pieces if text[s:e].strip()]


def _blocks(text: str) -> list[tuple[int, int]]:
    """(start, end) of the blank-line separated blocks of the original, numbered headings apart."""
    blocks = []
    pos = 0
    for m in _BLOCK_SPLIT.finditer(text):
        blocks.append((pos, m.start()))
        pos = m.end()
    blocks.append((pos, len(text)))
    return [
        piece
        for s, e in blocks
        for numbered in _split_numbered_headings(text, s, e)
        for piece in _split_headline_runs(text, *numbered)
        if text[piece[0] : piece[1]].strip()
    ]


class _Layout:
    """The blocks of a text and what each is: a headline, an item of a list of figures, or body text."""

    def __init__(self, text: str) -> None:
        self.text = text
        self.blocks = _blocks(text)
        self.squeezed = [_WHITESPACE.sub("", text[s:e]) for s, e in self.blocks]
        # each block's own facts, found once: _kind reads them for the block and for both its neighbours
        self._short_bare = [len(block) <= 40 and _is_unpunctuated(block) for block in self.squeezed]
        self._has_figure = [
            bare and _has_figure(block) for bare, block in zip(self._short_bare, self.squeezed, strict=True)
        ]
        self.kinds = [self._kind(i) for i in range(len(self.blocks))]

    def short_bare(self, i: int) -> bool:  # a short block with no punctuation: a headline or a list item
        return 0 <= i < len(self.blocks) and self._short_bare[i]

    def indented(self, i: int) -> bool:
        s, _ = self.blocks[i]
        line_start = self.text.rfind("\n", 0, s) + 1
        return bool(_LEADING_SPACE.match(self.text[line_start : s + 1])) or s > line_start

    def _kind(self, i: int) -> str:
        if not self.short_bare(i):
            return "body"
        figure_neighbour = any(self.short_bare(j) and self._has_figure[j] for j in (i - 1, i + 1))
        if self._has_figure[i] and figure_neighbour:
            return "item"  # a run of figure lines: an infographic or a list, not a headline
        previous = self.squeezed[i - 1] if i > 0 else ""
        # the tail of a sentence broken by the layout, unless that sentence ended on a figure (list lines
        # in summaries carry no full stop: "财政民生支出1093.6亿元，占比达到80.1%")
        continuation = (
            previous
            and previous[-1]
            not in SENTENCE_END + "”」:：.）)】》』"  # a half-width full stop, a closed bracket too
            and not _is_unpunctuated(previous)
            and not _ends_on_figure(previous)
        )
        return "body" if self.indented(i) or continuation else "heading"

    def joined(self, i: int) -> bool:
        """Whether block i continues block i-1 with no paragraph break between them."""
        previous = self.squeezed[i - 1]
        return bool(
            (
                self.kinds[i] == self.kinds[i - 1] == "body"
                and previous[-1] not in SENTENCE_END
                and not self.indented(i)
                and not _ENDS_ON_DATE.search(previous)
            )
            or (_ENDS_ON_AMOUNT.search(previous) and _UNIT_START.match(self.squeezed[i]))
        )


def fold(text: str) -> Folded:
    """Fold the text, deciding which line breaks are paragraph breaks and which blocks are headlines."""
    layout = _Layout(text)
    out: list[str] = []  # folded pieces
    offsets = Offsets()
    headings: list[tuple[int, int]] = []
    last = ""  # the last folded character written
    folded_chars = fold_chars(text)  # folding keeps lengths: fold once, slice runs from it

    def emit_break(at: int) -> None:
        nonlocal last
        if out and last != BREAK:
            out.append(BREAK)
            offsets.append(at)
            last = BREAK

    for i, (s, e) in enumerate(layout.blocks):
        if i > 0 and not layout.joined(i):
            emit_break(s)
        start_folded = len(offsets)
        for m in _RUN_OR_NEWLINE.finditer(text, s, e):
            if m.group(0) == "\n":
                # a new indented line inside a block starts a paragraph (newspaper layout)
                if last in SENTENCE_END or _INDENTED_LINE.match(text, m.end()):
                    emit_break(m.start())
                continue
            run = folded_chars[m.start() : m.end()]
            out.append(run)
            offsets.extend(m.start(), m.end())
            last = run[-1]
        if layout.kinds[i] == "heading":
            headings.append((start_folded, len(offsets)))
        if layout.kinds[i] != "body":
            emit_break(e)
    offsets.append(len(text))
    folded = HALF_WIDTH_STOP.sub("。", "".join(out))  # a half-width full stop, not a decimal point
    return Folded(folded, offsets, headings, text)
