"""Time frames: a document is a sequence of passages, each speaking of a reviewed past, the current year's
targets or a multi-year horizon. Every figure is read in the frame of its passage, and names the rule that
set it (shown by `extract_targets --explain`).

The rules, in the order they apply:
- bulletin: a statistical bulletin (统计公报) reports a finished year throughout: every figure is a result.
- document: a text with a sentence opening on a finished period (2024年，… / 五年来) and not one word looking
  ahead (今年, 将, 力争, 预期目标, 到2027年) is a review throughout, headings or not.
- heading: a section heading sets the frame of the section under it: words of review (工作回顾, 过去一年,
  成绩, 执行情况) or of plans (主要预期目标, 重点工作, 今年, 新的一年, 展望), else the latest year it names
  against the year the document speaks from (2023年… in a 2024 report is reviewed; 到2027年 is a horizon).
- paragraph: a paragraph that opens on a finished period (2024年，… / 过去五年 / 去年) is reviewed; one that
  opens looking ahead (今年 / 新的一年 / 2025年，我们将…) ends a reviewed section without a heading.
- sentence: within any frame, an explicit year in the sentence beats the frame (passages.tense).
"""

from __future__ import annotations

import re
from collections.abc import Iterable
from dataclasses import dataclass

from .passages import PERIOD_ENDS, Context

REVIEW = "review"  # a reviewed past: its figures are results
YEAR = "year"  # the current year's targets
HORIZON = "horizon"  # a multi-year horizon (到2027年, 十五五时期)
OPEN = "open"  # nothing says: each sentence decides by its own markers


@dataclass(frozen=True)
class Frame:
    kind: str
    rule: str  # which rule set it, in words: "heading: 工作回顾"
    year: int | None = None  # the year a reviewed passage reports on, when known

    @property
    def reviewed(self) -> bool:
        return self.kind == REVIEW


DOCUMENT = Frame(OPEN, "document: no heading yet")
REVIEWED_DOCUMENT = Frame(REVIEW, "document: reviews a finished period and never looks ahead")
BULLETIN_FRAME = Frame(REVIEW, "bulletin: a statistical bulletin reports a finished year")

_REVIEW_WORDS = re.compile(r"回顾|过去[一二三四五几]?年|成绩|成就|成效|工作总结|执行情况|取得")
_PLAN_WORDS = re.compile(
    r"预期目标|主要目标|目标任务|发展目标|工作目标|重点工作|重点任务|工作安排|主要任务|今年|新的一年|展望|计划草案|"
    r"目标|计划|任务"
)
_HEADING_YEAR = re.compile(r"((?:19|20)\d\d)年")
_PERIOD = re.compile("|".join(PERIOD_ENDS))
_DIGIT = re.compile(r"\d")


def heading_frame(heading: str, ctx: Context, current: Frame) -> Frame:
    """The frame a section heading opens (2024年工作回顾 -> review; 2025年主要预期目标 -> year)."""
    review, plan = _REVIEW_WORDS.search(heading), _PLAN_WORDS.search(heading)
    years = [int(y) for y in _HEADING_YEAR.findall(heading)]
    periods = [PERIOD_ENDS[m.group(0)] for m in _PERIOD.finditer(heading)]
    latest = max(years + periods) if years or periods else None
    present = ctx.present_year
    past = latest is not None and present is not None and latest < present
    if review and (not plan or past):  # 2024年计划执行情况: a plan's execution, reviewed
        return Frame(REVIEW, f"heading: {review.group(0)}", latest if past else None)
    if latest is not None and present is not None:
        if latest < present and not plan:
            return Frame(REVIEW, f"heading: {latest} before {present}", latest)
        if latest > present:
            return Frame(HORIZON, f"heading: horizon {latest}")
        if latest == present or plan:
            return Frame(YEAR, f"heading: {latest}" + (f" {plan.group(0)}" if plan else ""))
    if plan:
        return Frame(YEAR, f"heading: {plan.group(0)}")
    if not _DIGIT.search(heading):
        return Frame(OPEN, "heading: no time named")
    return current


# 今年/新的一年/明年 opening a paragraph, or the present year followed by a verb of intent: 2025年，我们将…
_LOOKS_AHEAD = re.compile(
    r"^[“\"「(（]*(?:[^,，。]{0,6}?(?:今年|新的一年|明年|下一步|展望)|"
    r"(?P<year>(?:19|20)\d\d)年[^。]{0,12}?(?:将|要|力争|确保|计划|目标|预期))"
)


def looks_ahead(paragraph: str, ctx: Context) -> bool:
    """A paragraph that opens on the year ahead (今年… / 2025年，我们将…): a reviewed section without a
    heading of its own has ended."""
    m = _LOOKS_AHEAD.match(paragraph)
    if m is None:
        return False
    year = m.group("year")
    return year is None or ctx.present_year is None or int(year) >= ctx.present_year


_AHEAD = re.compile(
    r"预期目标|主要目标|目标是|目标为|目标任务|发展目标|工作目标|重点工作|重点任务|工作安排|主要任务|展望"
)
_DEADLINE_YEAR = re.compile(r"[到至]((?:19|20)\d\d)年(?!的)")


def reviews_only(
    sentence_openings: Iterable[bool], folded: str, future_markers: re.Pattern[str], ctx: Context
) -> bool:
    """Whether a text reviews a finished period throughout: some sentence opens on it (2024年，… / 截至
    2024年 / 五年来) and nothing in the text looks ahead (到2027年 does; 跃升至2024年的 in 2025 does not)."""
    if future_markers.search(folded) or _AHEAD.search(folded):
        return False
    present = ctx.present_year
    if any(present is None or int(m.group(1)) >= present for m in _DEADLINE_YEAR.finditer(folded)):
        return False
    return any(sentence_openings)  # last: the openings are judged one by one, until one is found
