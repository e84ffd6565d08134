"""Passages and tense: which period a document speaks from, and whether a figure is stated as done or to do.

A figure is in the future (a target), the past or present (a result), or an estimate (预计), decided by the
markers before it in its sentence, the years it names, and the passage around it.
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date

from .figures import Figure
from .folding import BREAK, CLAUSE_END, SENTENCE_END, fold_chars, squeeze

PERIOD_ENDS = {
    "十一五": 2010,
    "十二五": 2015,
    "十三五": 2020,
    "十四五": 2025,
    "十五五": 2030,
    "十六五": 2035,
    "第十四个五年": 2025,  # 第十四个五年规划: the 14th five-year plan's full name
    "第十五个五年": 2030,
}
_PERIOD_NAMES = re.compile("|".join(PERIOD_ENDS))
# A year (2025年, 2025年3月) not inside a longer number: (?<![\d])(?P<year>(?:19|20)\d\d)年…, written with
# the look-behind after the four digits (over them and the character before), so that the regex engine
# skips straight to a 1 or a 2 (test_passages.py holds the two forms equal).
YEAR = re.compile(r"(?P<year>(?:19|20)\d\d)(?<!\d{5})年(?!代)(?:(?P<month>1[0-2]|[1-9])月)?")
PAST_MARKER_WORDS = (
    r"(?<![比较同与])(?:去年|上年|前年)|过去|截至|截止|以来|年来|已经|已|曾|刚刚|"
    r"(?<![为除])(?:[\u4e00-\u9fff])了(?![解如结])"
)
# Tried only where a marker can begin: on its first character, or a character before 了 (a marker added on
# a new first character must add it here; test_passages.py holds the two forms equal).
_PAST_MARKERS = re.compile(r"(?=[去上前过截以年已曾刚]|.了)(?:" + PAST_MARKER_WORDS + ")")
# Past only where nothing before them in the sentence points forward: 力争同比增长5%.
_WEAK_PAST_MARKERS = re.compile(
    r"同比|上半年|前三季度|一季度|前\d+个?月|\d+-\d+月|全年实现|初步核算|初步统计"
)
_CLAUSE_MARK = re.compile(r"[,;:]")
_YEAR_BEFORE_PART = re.compile(r"((?:19|20)\d\d)年$")
_PRESENT_MARKERS = re.compile(r"目前|现在|当前|现有|已有")
# 全年实现地区生产总值1.2万亿元 is how a year's result is reported; 力争全年实现… stays a target.
_WEAK_FUTURE_MARKERS = re.compile(r"全年(?!实现)|年度|目标|预期|年内")
_CLAUSE_BREAK = re.compile(r"[,，;；:：]")
ESTIMATE_MARKERS = re.compile(r"预计|估计|预估|有望")
# 计划的 is the plan a result is measured against (完成年度投资计划的42%), no intent of its own
FUTURE_MARKERS = re.compile(r"今年|明年|将|力争|争取|计划(?!的)|确保|下一步|未来|拟|到年|今后|新的一年|每年")
_PAST_PERIOD_OPENER = re.compile(
    # 报告显示，去年…: a reporting lead
    r"^(?:[^,，。]{0,8}?(?:显示|介绍|表示|指出|获悉|了解到|透露)[,，:：])?"
    r"[“\"「(（]*(?:去年|上年|过去|近年来|近几年|截至|截止|回顾|今年以来|[一二三四五六七八九十几\d]+年来|这[一二三四五几]年|"
    r"(?:前三季度|上半年|一季度|前\d{1,2}个?月|1-\d{1,2}月)[,，])"
)
_BASELINE_BEFORE = re.compile(r"(?:比|较|与|同|相比|对比|于|从)$")
_DEADLINE_BEFORE = re.compile(r"(?:(?<![截止])(?:到|至)|(?<!\d)(?:19|20)\d\d年?-)$")
DEADLINE_AFTER = re.compile(r"(?:(?:1[0-2]|[1-9])月)?年?(?:底|末)?(?:前|之前|以前)")
_YEAR_END_AFTER = re.compile(r"(?:(?:1[0-2]|[1-9])月)?年?(?:底|末)")
_AS_OF = re.compile(r"截[至止]")


@dataclass(frozen=True)
class YearMention:
    at: int  # folded offset
    year: int
    month: int | None
    mark: str  # "deadline" (到2025年, 2024年底前), "year_end" (a bare 2024年底) or ""


def years_between(folded: str, start: int, end: int) -> list[YearMention]:
    """Each year named between start and end, skipping baselines (比2020年).

    A year stated as a deadline (到2025年, 力争至2026年, 2024年底前, 2023—2025年) is a target's
    horizon, never a finished period, whatever year the document speaks from. 截至/截止 (as of) are
    the opposite.
    """
    found = []
    for m in YEAR.finditer(folded, start, end):
        before = folded[max(start, m.start() - 6) : m.start()]
        if _BASELINE_BEFORE.search(before):
            continue
        month = int(m.group("month")) if m.group("month") else None
        mark = ""
        # 跃升至2024年的527.6亿元: a year's own figure (年的), not a deadline, whatever verb leads to it
        if folded.startswith("的", m.end()):
            mark = ""
        elif _DEADLINE_BEFORE.search(before) or DEADLINE_AFTER.match(folded, m.end()):
            mark = "deadline"
        elif _YEAR_END_AFTER.match(folded, m.end()) and not _AS_OF.search(
            folded[max(0, m.start() - 3) : m.start()]
        ):
            mark = "year_end"
        found.append(YearMention(m.start(), int(m.group("year")), month, mark))
    return found


@dataclass
class Context:
    present_year: int | None  # the year the document speaks from: what counts as past
    reference_year: int | None  # what 今年 means, or the plan's horizon
    # False when the present year was only guessed from the years the text names
    present_explicit: bool = True
    year_source: str = "unknown"  # where reference_year came from: argument, manifest, title, heading, text…

    def is_past(self, year: int, mark: str) -> bool:
        """Whether a named year is a finished period rather than a target's horizon."""
        if self.present_year is None or mark == "deadline":
            return False
        if mark == "year_end" and not self.present_explicit:
            return False  # 2024年底…2025年底 in an undated text: deadlines, not results
        return year < self.present_year


_REACHED = re.compile(r"达到|已|完成|实现|突破|超过")
_YEAR_END_TAIL = re.compile(r"\d{4}年(?:(?:1[0-2]|[1-9])月)?(?:底|末)")


def _reached_by(tail: str, year: int, ctx: Context) -> bool:
    """到2023年底，全市5G基站达到3万个 in a 2024 report: a year end already passed, stated as reached.

    A deadline before the present year with a verb of amount (新建公共充电桩3000个) stays a target: a plan
    keeps its interim years. Only a dated document (reference year or dated title) has a present to pass.
    """
    if not ctx.present_explicit or ctx.present_year is None or year >= ctx.present_year:
        return False
    # 到2024年 alone is a plan's horizon; 到2023年底 reached is a result
    year_end = _YEAR_END_TAIL.match(tail)
    return bool(year_end and _REACHED.search(tail)) and not FUTURE_MARKERS.search(tail)


_PART_OF_YEAR = re.compile(r"(?:前|1-|1至)(1[0-2]|[1-9])个?月|上半年|前三季度|一季度|第一季度")
_QUARTER_ENDS = {"上半年": 6, "前三季度": 9, "一季度": 3, "第一季度": 3}


def months_covered(text: str) -> int | None:
    """How many months of a year a figure covers, where the text says (前三季度 -> 9, 1-10月 -> 10)."""
    m = _PART_OF_YEAR.search(text)
    if m is None:
        return None
    return int(m.group(1)) if m.group(1) else _QUARTER_ENDS[m.group(0)]


def past_plan_period(text: str, ctx: Context) -> int | None:
    """The end year of a finished plan period named in the text (“十四五”期间 in a 2026 plan -> 2025)."""
    ends = [
        PERIOD_ENDS[m.group(0)]
        for m in _PERIOD_NAMES.finditer(text)
        if ctx.present_year is not None and PERIOD_ENDS[m.group(0)] < ctx.present_year
    ]
    return max(ends) if ends else None


_SENTENCE_STOP = re.compile("[" + re.escape(SENTENCE_END + BREAK) + "]")


def sentence_end(folded: str, at: int) -> int:
    stop = _SENTENCE_STOP.search(folded, at)
    return stop.start() if stop else max(at, len(folded))


def tense(folded: str, sentence_start: int, at: int, ctx: Context, paragraph_past: bool) -> str:
    """The tense a figure is stated in: future (a target), past, present or estimate (or neutral)."""
    return tense_and_rule(folded, sentence_start, at, ctx, paragraph_past)[0]


@dataclass(frozen=True)
class SentenceScan:
    """The tense markers and years of one sentence, found once for all the figures in it."""

    events: list[tuple[int, int, str, str]]  # (start, end, event, label), offsets from the sentence start
    years: list[YearMention]


def scan_sentence(folded: str, sentence_start: int, end: int, ctx: Context) -> SentenceScan:
    """The markers every figure of the sentence reads, those before it (ending by its start) in turn.

    Markers that depend on where the figure stands (现有 holding over its own clause, a deadline reached
    by then) are left to `tense_and_rule`."""
    segment = folded[sentence_start:end]
    events: list[tuple[int, int, str, str]] = []
    for m in _PAST_MARKERS.finditer(segment):
        events.append((m.start(), m.end(), "past", m.group(0)))
    for m in ESTIMATE_MARKERS.finditer(segment):
        events.append((m.start(), m.end(), "estimate", m.group(0)))
    for m in FUTURE_MARKERS.finditer(segment):
        events.append((m.start(), m.end(), "future" if m.group(0) != "将" else "future_verb", m.group(0)))
    for m in _WEAK_PAST_MARKERS.finditer(segment):
        # 今年1-10月, 2024年上半年 in a 2024 report: a finished part of this year, not this year's target
        named = _YEAR_BEFORE_PART.search(segment, 0, m.start())
        this_year_part = segment[max(0, m.start() - 2) : m.start()] in ("今年", "本年") or bool(
            named and ctx.reference_year is not None and int(named.group(1)) == ctx.reference_year
        )
        events.append((m.start(), m.end(), "past" if this_year_part else "weak_past", m.group(0)))
    for m in _WEAK_FUTURE_MARKERS.finditer(segment):
        events.append((m.start(), m.end(), "weak_future", m.group(0)))
    if ctx.present_year is not None:
        for m in _PERIOD_NAMES.finditer(segment):
            ended = PERIOD_ENDS[m.group(0)] < ctx.present_year
            events.append((m.start(), m.end(), "past" if ended else "future", f"period {m.group(0)}"))
    return SentenceScan(events, years_between(folded, sentence_start, end))


def tense_and_rule(
    folded: str,
    sentence_start: int,
    at: int,
    ctx: Context,
    paragraph_past: bool,
    scan: SentenceScan | None = None,
) -> tuple[str, str]:
    """The tense a figure is stated in, and the words that decided it ("year 2024 before 2025")."""
    state = "past" if paragraph_past else "neutral"
    rule = "paragraph: opens on a finished period" if paragraph_past else "no marker"
    if scan is None:
        scan = scan_sentence(folded, sentence_start, at, ctx)
    offset = at - sentence_start
    events = [(start, event, label) for start, end, event, label in scan.events if end <= offset]
    segment = folded[sentence_start:at]
    for m in _PRESENT_MARKERS.finditer(segment):
        # 现有企业 names a noun: a present state holds over its own clause, or after 目前， over the sentence
        if segment[m.end() : m.end() + 1] in (",", "，") or not _CLAUSE_BREAK.search(segment, m.end()):
            events.append((m.start(), "present", m.group(0)))
    for y in scan.years:
        if y.at >= at:
            break
        if ctx.present_year is not None or y.mark == "deadline":
            past = ctx.is_past(y.year, y.mark) or (
                y.mark == "deadline" and _reached_by(folded[y.at : at], y.year, ctx)
            )
            relation = "before" if past else "not before"
            label = f"year {y.year} {relation} {ctx.present_year}"
            events.append((y.at - sentence_start, "past" if past else "future", label))
    estimate_at, weak = -1, False
    for pos, event, label in sorted(events):
        if event == "estimate":
            # 全年有望达到…: a forecast, whatever 全年 suggested; …，预计新增投资120亿元: a clause
            # that opens on 预计 is a forecast, whatever an earlier clause planned.
            opens_clause = pos == 0 or segment[pos - 1] in ",;:"
            if state != "future" or weak or opens_clause:
                state, estimate_at, rule = "estimate", pos, f"marker {label}"
        elif event.startswith("future") and state == "estimate":
            # 预计到2025年，…将达到: a forecast, however far ahead it looks, until a new clause sets a target
            if event == "future" and _CLAUSE_MARK.search(segment, estimate_at, pos):
                state, rule = "future", f"marker {label}"
        elif event.startswith("weak_"):
            if state == "neutral":
                state, weak, rule = event[len("weak_") :], True, f"weak marker {label}"
        else:
            state, weak = ("future" if event == "future_verb" else event), False
            rule = label if label.startswith(("year", "period")) else f"marker {label}"
    if state == "neutral" and ctx.present_year is not None:
        # "…规模突破6000亿元……2023年，全市数字经济建设取得突破性进展。": a finished year named later in the
        # same sentence, with nothing in it pointing forward, makes the whole sentence a past result.
        end = sentence_end(folded, at)
        later_years = [y.year for y in years_between(folded, at, end) if ctx.is_past(y.year, y.mark)]
        if (
            later_years
            and max(later_years) < ctx.present_year
            and not FUTURE_MARKERS.search(folded[sentence_start:end])
        ):
            state, rule = "past", f"year {max(later_years)} later in the sentence"
    return state, rule


_OPENING_YEAR = re.compile(r"(?:[^,。]{0,6},|在)?((?:19|20)\d\d)年(?!度)")
_YEAR_REVIEWED = re.compile(r"[^,;。]{0,30}?(?:年,|年[^,;。]{0,12}?(?:是|取得|完成|实现|持续|达到|以来))")


_PERIOD_OPENING = re.compile(r"[^,。]{0,6}?(?P<period>" + _PERIOD_NAMES.pattern + r")”?(?:时期|期间|以来)")


def opens_past_period(sentence: str, ctx: Context) -> bool:
    """A sentence that opens on a finished period (2023年，… / “十三五”时期… / 去年…)
    sets the paragraph in the past."""
    if _PAST_PERIOD_OPENER.match(sentence):
        return True
    head = sentence.lstrip('“"「(（')
    m = _OPENING_YEAR.match(head)
    if m and ctx.is_past(int(m.group(1)), "deadline" if DEADLINE_AFTER.match(head, m.end(1) + 1) else ""):
        return bool(_YEAR_REVIEWED.match(head))
    if ctx.present_year is not None:
        m = _PERIOD_OPENING.match(head)
        if m and PERIOD_ENDS[m.group("period")] < ctx.present_year:
            return True
    return False


_CHANGE_ON_LAST_YEAR = re.compile(
    r"(?:比上年|比去年|较上年|较去年|比上年末)(?:同期)?(?:增长|下降|增加|减少|提高|降低|回落)"
)
SUFFIX = re.compile(r"(?:及以上|以上|以下|以内|左右|上下|多|余)")


def states_results(folded: str, start: int, end: int, figures: Sequence[Figure], ctx: Context) -> bool:
    """A statistical result: an amount then its change on last year
    (实现地区生产总值9876.5亿元，比上年增长6.2%).

    A target states a change alone (地区生产总值比上年增长6%左右) or points forward (今年, 力争, 到2027年).
    """
    change = _CHANGE_ON_LAST_YEAR.search(folded, start, end)
    if change is None:
        return False
    amount_before = any(
        f.end <= change.start() and f.unit not in ("%", "个百分点") and not SUFFIX.match(folded, f.end)
        for f in figures
    )
    if not amount_before or FUTURE_MARKERS.search(folded, start, end):
        return False
    return not any(not ctx.is_past(y.year, y.mark) for y in years_between(folded, start, end))


_SPAN_ENDS: dict[str, re.Pattern[str]] = {}


def spans(text: str, ends: str) -> list[tuple[int, int]]:
    """Consecutive spans of `text`, each ending just after one of the characters in `ends`."""
    found, start = [], 0
    pattern = _SPAN_ENDS.get(ends)
    if pattern is None:
        pattern = _SPAN_ENDS[ends] = re.compile("[" + re.escape(ends) + "]")
    for m in pattern.finditer(text):
        found.append((start, m.end()))
        start = m.end()
    if start < len(text):
        found.append((start, len(text)))
    return found


_CLAUSE_STOP = re.compile("[" + re.escape(CLAUSE_END + BREAK) + "]")
# From where it starts, up to and including the last clause mark before where it must end (`.*` runs to
# the end and backs off to the mark, in the regex engine rather than a loop over characters)
_TO_LAST_CLAUSE_STOP = re.compile("(?s:.*)" + _CLAUSE_STOP.pattern)


def clause_start(folded: str, sentence_start: int, at: int) -> int:
    """Just after the last clause mark between sentence_start and at, else sentence_start."""
    end = at
    while end > sentence_start:
        stop = _TO_LAST_CLAUSE_STOP.match(folded, sentence_start, end)
        if stop is None:
            return sentence_start
        i = stop.end()
        # a comma between digits is a thousands separator, not a clause break
        if folded[i - 1] == "," and i - 2 >= 0 and folded[i - 2].isdigit() and folded[i : i + 1].isdigit():
            end = i - 1
            continue
        return i
    return end


def clause_end(folded: str, at: int, sentence_end: int) -> int:
    """The first clause mark from at, before sentence_end; else sentence_end."""
    stop = _CLAUSE_STOP.search(folded, at, sentence_end)
    return stop.start() if stop else max(at, sentence_end)


# ---------------------------------------------------------------------------------------------
# The year a document speaks from.

_YEAR_RANGE = re.compile(r"((?:19|20)\d\d)年?[-~至到]((?:19|20)\d\d)年")
_YEAR_BEFORE_HAN = re.compile(r"((?:19|20)\d\d)(?=[\u4e00-\u9fff])")
# 2025年经济社会发展的主要预期目标是: a few words may stand between the year and what it heads
_DATED_HEADING = re.compile(
    r"((?:19|20)\d\d)年(?:政府工作报告|国民经济和社会发展计划|工作安排|"
    r"[^。,，;；:：0-9]{0,10}?(?:主要预期目标|主要目标|目标任务|重点工作|工作动员))"
)
# A report reviews the year before the one it speaks from: 2024年工作回顾 heads a 2025 report.
_REVIEW_HEADING = re.compile(r"((?:19|20)\d\d)年(?:工作|政府工作|经济社会发展|主要工作)?(?:回顾|总结)")
# 2024年平昌县国民经济和社会发展统计公报 reports on 2024, whenever it was published (traditional 統計公報 too)
BULLETIN = re.compile(r"统计公报|統計公報|统计年鉴|統計年鑑")
_BULLETIN_YEAR = re.compile(r"((?:19|20)\d\d)年[^。,，]{0,30}?(?:" + BULLETIN.pattern + ")")
_CN_ORDINAL = "一二三四五六七八九十"
# 十四届全国人大三次会议 was held in 2025: the Nth National People's Congress opens its first session in
# 1993 + 5 (N - 8) and holds one a year.
_NPC_SESSION = re.compile(r"(十[一二三四五六七八九]?|[一二三四五六七八九])届全国人大([一二三四五])次会议")
# A city's or province's congress in its current term: cities elected theirs for 2022-2026 (first session
# 2022), provinces for 2023-2027 (first session 2023). 济南市第十八届人民代表大会第四次会议 -> 2025.
_LOCAL_SESSION = re.compile(
    r"(?P<level>[市省])(?:第)?[一二三四五六七八九十]+届(?:人民代表大会|人大)(?:第)?(?P<n>[一二三四五])次会议"
)
_LOCAL_TERM_START = {"市": 2022, "省": 2023}
_ANY_YEAR = re.compile(r"(?:19|20)\d\d")


def _npc_year(folded: str) -> int | None:
    m = _NPC_SESSION.search(folded)
    if m is None:
        return None
    term = m.group(1)
    number = 10 + (_CN_ORDINAL.index(term[1]) + 1 if len(term) > 1 else 0) if term[0] == "十" else 0
    if not number:
        number = _CN_ORDINAL.index(term) + 1
    return 1993 + 5 * (number - 8) + _CN_ORDINAL.index(m.group(2))


# A year that the text looks ahead from: 2026年是“十五五”开局之年, 2026年济南将…, 2026年底，力争…
_YEAR_AHEAD = re.compile(
    r"((?:19|20)\d\d)年(?:底|末)?(?:是|[,，])?[^。,，;；:：《》]{0,10}?"
    r"(?:将|(?<![纲重主需摘])要|力争|计划|开局之年|起步之年|关键之年|收官之年)"
)
# A text that opens reviewing a finished year (2023年，市大数据局…圆满完成…) is written the year after.
_OPENING_REVIEW = re.compile(r"^[^。]{0,4}?((?:19|20)\d\d)年[,，][^。]{0,60}?(?:完成|取得|实现|达到)")
# A dateline without a year (鲁网1月19日讯, 1月20日，): the latest such date not after today.
_DATELINE = re.compile(r"(?<![\d年])(1[0-2]|[1-9])月([1-3]\d|[1-9])日(?:讯|电|,|，|\s|\(|（)")
_DATED = re.compile(r"((?:19|20)\d\d)[-/.年](1[0-2]|0?[1-9])[-/.月]([1-3]\d|0?[1-9])")


def _plan_period(folded: str) -> int | None:
    periods = [
        end
        for period, end in PERIOD_ENDS.items()
        if re.search(period + r"”?[^。,，;；“]{0,12}?规划|" + period + r"”?时期", folded)
    ]
    return (
        max(periods) if periods else None
    )  # a 十四五 plan looks back on 十三五: its horizon is the later one


def _dateline_year(folded: str, today: date, named: Sequence[int]) -> int | None:
    """A dateline without a year (1月7日讯): the latest such day before today, or, where the text names
    years, the latest of them not after that (a page read a year later still speaks from its own year)."""
    m = _DATELINE.search(folded[:400])
    if m is None or _DATED.search(folded[:400]):
        return None
    month, day = int(m.group(1)), int(m.group(2))
    latest = today.year if (month, day) <= (today.month, today.day) else today.year - 1
    return max((year for year in named if year <= latest), default=latest)


_PLAN_GENRE = re.compile(r"实施意见|行动方案|实施方案|行动计划|规划纲要|发展规划")


def _publication_year(opening: str) -> int | None:
    """The year of a full date in the page's opening lines (齐鲁晚报 2025-01-13, 发布时间:2025-04-28): the
    year the page speaks from."""
    m = _DATED.search(opening[:300])
    return int(m.group(1)) if m else None


def infer_reference_year_with_source(
    text: str, title: str = "", today: date | None = None
) -> tuple[int | None, str]:
    """What 今年 means or the plan's horizon, and where that was read:
    (2025, "title"), (2025, "review heading")…

    In order: the title (a plan period, a span of years, a dated title; 2023年工作总结 -> 2024), the text's
    own heading line, a span of years in the opening, a year it looks ahead from (2026年是…开局之年),
    a heading of the year's plan or of the year reviewed, the session of the National People's Congress,
    an opening that reviews a finished year, a plan period named in the opening, a dateline without a year
    (1月19日讯: the latest such day before today), else the year the text names most often.
    """
    folded_title = squeeze(title)
    first_line = squeeze(text.lstrip().split("\n", 1)[0][:80])
    for source, name in ((folded_title, "title"), (first_line, "heading")):
        m = _YEAR_RANGE.search(source)
        if m:
            return int(m.group(2)), f"{name}: plan period"
        period = _plan_period(source)
        if period is not None:
            return period, f"{name}: plan period"
        m = _REVIEW_HEADING.search(source)
        if m:
            return int(m.group(1)) + 1, f"{name}: year reviewed"
        m = _BULLETIN_YEAR.search(source)
        if m:
            return int(m.group(1)), f"{name}: bulletin year"
        years = [int(y) for y in _YEAR_BEFORE_HAN.findall(source)]
        if years and name == "title":
            return max(years), name
    opening = squeeze(text[:2000])
    m = _YEAR_RANGE.search(opening)
    if m:
        return int(m.group(2)), "opening: plan period"
    folded_text = fold_chars(text)
    for pattern, name, shift in (
        (_YEAR_AHEAD, "year ahead", 0),
        (_DATED_HEADING, "dated heading", 0),
        (_REVIEW_HEADING, "review heading", 1),
    ):
        m = pattern.search(folded_text)
        if m:
            return int(m.group(1)) + shift, name
    session = _npc_year(folded_text)
    if session is not None:
        return session, "session"
    local = _LOCAL_SESSION.search(folded_text[:2000])
    if local is not None and not _ANY_YEAR.search(opening[: local.start()]):
        return _LOCAL_TERM_START[local.group("level")] + _CN_ORDINAL.index(local.group("n")), "local session"
    m = _OPENING_REVIEW.match(opening)
    if m:
        return int(m.group(1)) + 1, "opening: year reviewed"
    # A page's date is the year it speaks from, unless it is a plan (its horizon is its reference year) or
    # names a plan period still running then; a period finished by then (“十四五”圆满收官) is reviewed.
    published = None if _PLAN_GENRE.search(opening[:400]) else _publication_year(opening)
    period = _plan_period(opening)
    if period is not None and (published is None or period >= published):
        return period, "opening: plan period"
    if published is not None:
        return published, "publication date"
    counts: dict[int, int] = {}
    for m in YEAR.finditer(squeeze(text)):
        counts[int(m.group("year"))] = counts.get(int(m.group("year")), 0) + 1
    dateline = _dateline_year(opening, today or date.today(), list(counts))
    if dateline is not None:
        return dateline, "dateline"
    # Otherwise the year the text names most often (a report on 2024 names 2024 throughout).
    if counts:
        return max(counts, key=lambda year: (counts[year], year)), "years in text"
    return None, "unknown"


def infer_reference_year(text: str, title: str = "") -> int | None:
    """What 今年 means or the plan's horizon: a 2024 两会 report -> 2024;
    （2023—2025年） -> 2025; 十四五 -> 2025."""
    return infer_reference_year_with_source(text, title)[0]


def present_year(text: str, title: str, reference_year: int | None) -> int | None:
    """The year the document speaks from: a plan's first year (2023—2025 -> 2023; 十四五 -> 2021),
    else the reference year."""
    # The text is searched only for its own heading: a 2025 work report mentions the “十四五”规划 it closes.
    for source in (title, text[:300]):
        folded = squeeze(source)
        m = _YEAR_RANGE.search(folded)
        if m and (reference_year is None or int(m.group(2)) == reference_year):
            return int(m.group(1))
        for name, end_year in PERIOD_ENDS.items():
            if name in folded and (reference_year is None or end_year == reference_year):
                if _plan_period(folded) == end_year:
                    return end_year - 4
        if source is title and _ANY_YEAR.search(folded):
            break  # a title dated to one year (2025年政府工作报告) speaks from it
    return reference_year
