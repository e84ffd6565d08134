"""The clause around one figure, and the rules that reject a figure as no statement of an amount.

Each rule is a function of a Clause returning the reason it rejects the figure, or None. They run in
order (`REJECTION_RULES`); the first reason wins. Whether a figure that passes them all is a target or a
result is then a matter of tense (passages.py).
"""

from __future__ import annotations

import re
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field

from .fields import ADJACENT_VERB, METRIC_TRAILING_VERB, TARGET_VERB
from .figures import Figure
from .folding import SENTENCE_END
from .passages import SUFFIX, clause_end, clause_start

ENUMERATION = re.compile(r"、|以及|和|及|与|或")
_ORGANISING_NOUNS = re.compile(
    r"^(?:个|项|大|类)?(?:方面|领域|重点工作|工作|任务|攻坚任务|举措|措施|环节|部分|维度|主要指标|指标|主要目标|目标|"
    r"要求|原则|理念|板块|阶段|步骤|问题|字)"
)
_NAME_HEADS = re.compile(
    r"^(?:工程|行动|计划|战略|体系|格局|模式|目标|工作|机制|政策|品牌|示范|平台|战役|攻坚)"
)
_SCOPE = re.compile(r"(?<!稳定|保持|控制|维持)(?<!稳|定)在$")
_THRESHOLD_OF = re.compile(r"(?:以上|以下)的")
_THRESHOLD_SUFFIXES = ("以上", "及以上", "以下")
_REACHES = re.compile(r"(?:达到|提高到|覆盖)$")
_COMPARED_WITH = re.compile(r"(?:小于|大于|低于|高于|不足)$")
_PROJECT_NOUN = re.compile(r"项目")
PORTFOLIO_SUM = re.compile(r"总投资[^,;。\d]{0,4}[\d.]+[万亿]*元(?!以上|以下|及以上)")
_PROJECT_SIZE = re.compile(r"总投资额?(?:为|达|约|近|高达|超过|超)?$")
_SHARE_OF_PLAN = re.compile(r"(?:目标|任务|计划)(?:任务)?的$")
_STATE_VERB = re.compile(r"(?:占|共有|拥有|现有|已有)[^达提超突增降控稳保]*$")
_CHANGE_VERB = re.compile(r"(?:达到|提高|提升|超过|突破|增加|降低|控制|稳定|保持)")


def states_a_share(c: Clause) -> bool:
    """约占工业比重的90%, 税收占比72.4%, 现有…: a present share or stock, reported rather than aimed at."""
    state_verb = _STATE_VERB.search(c.governing)
    return bool(state_verb and not _CHANGE_VERB.search(state_verb.group(0)))


_ATTENDANCE = re.compile(r"(?:应出席|应到|实到|出席|列席|到会|参会|与会)[^,，;；。]{0,8}$")
_COMPARED_DELTA = re.compile(r"比(?:上年|去年|上一年|前一年|(?:19|20)\d\d年)(?:同期)?(?:多|少)$")
# 比上年增加5000亿元 after an amount: the change of that amount, not an amount of its own
_RATE_UNITS = ("%", "个百分点")
# 从2020年的15%提高到56%: the first figure is where the indicator starts from
BASELINE_LEAD = re.compile(r"从(?:(?P<year>(?:19|20)\d\d)年(?:底|末)?(?:的)?)?$")
CHANGE_TO = re.compile(r"(?:提高|提升|增加|增长|扩大|降低|下降|减少|压减|缩短|上升|降)?(?:到|至)$")
_AMOUNT_DELTA = re.compile(
    r"(?:比|较)(?:上年|去年|上一年|前一年|年初|上年末|(?:19|20)\d\d年)(?:同期|末|底)?(?:增加|减少|多|少)$"
)


_TAIL = 24  # longer than any rule's pattern anchored on the figure


@dataclass
class Clause:
    """One figure in its clause, with the stretches of text the rules read."""

    text: str  # the folded text
    sentence_start: int
    sentence_end: int
    figure: Figure
    previous: Figure | None  # the figure before it in the same clause
    following: Figure | None  # the figure after it in the same clause
    first: Figure  # the first figure of the clause
    in_portfolio: bool = False  # the sentence lists a plan's project portfolio
    amount_before: bool = False  # an amount (not a rate) stands earlier in the sentence
    start: int = -1  # the clause's bounds, found when not given
    end: int = -1
    # Computed once, as every rule reads them (properties recomputed them for each rule):
    suffix: str = field(init=False)  # 以上, 左右… right after the unit
    after_pos: int = field(init=False)  # where the words after the figure (and its suffix) begin
    after: str = field(init=False)
    before: str = field(init=False)
    # The last words before the figure: the rules anchored on the figure read only these (a pattern
    # ending in $ searched over a whole clause tries every start).
    tail: str = field(init=False)
    lead_start: int = field(init=False)
    own_start: int = field(init=False)  # in an enumeration, after the last 、/和 (新建2个节点、2家园区)
    own_lead: str = field(init=False)
    # The words that give the figure its verb: its own lead, else (enumerations, qualified nouns) the
    # clause before its first figure.
    governing: str = field(init=False)

    def __post_init__(self) -> None:
        text, figure = self.text, self.figure
        if self.start < 0:
            self.start = clause_start(text, self.sentence_start, figure.start)
        if self.end < 0:
            self.end = clause_end(text, figure.end, self.sentence_end)
        m = SUFFIX.match(text, figure.end)
        self.suffix = m.group(0) if m else figure.about
        self.after_pos = figure.end + (0 if self.suffix == figure.about else len(self.suffix))
        self.after = text[self.after_pos : self.end]
        self.before = text[self.start : figure.start]
        self.tail = text[max(self.start, figure.start - _TAIL) : figure.start]
        self.lead_start = self.previous.end if self.previous is not None else self.start
        self.own_start = self.lead_start
        if self.previous is not None:
            lead = text[self.lead_start : figure.start]
            self.own_start += max((m.end() for m in ENUMERATION.finditer(lead)), default=0)
        self.own_lead = text[self.own_start : figure.start]
        self.governing = self.own_lead
        if self.previous is not None and not TARGET_VERB.search(self.own_lead):
            clause_lead = METRIC_TRAILING_VERB.sub("", text[self.start : self.first.start])
            self.governing = clause_lead + self.own_lead

    @classmethod
    def of(
        cls, text: str, sentence: tuple[int, int], figures: Sequence[Figure], i: int, **flags: bool
    ) -> Clause:
        s_start, s_end = sentence
        figure = figures[i]
        c_start = clause_start(text, s_start, figure.start)
        c_end = clause_end(text, figure.end, s_end)
        previous = figures[i - 1] if i > 0 and figures[i - 1].end > c_start else None
        following = figures[i + 1] if i + 1 < len(figures) and figures[i + 1].start < c_end else None
        first = next((f for f in figures[:i] if f.end > c_start), figure)
        amount_before = any(f.unit not in _RATE_UNITS and f.value is not None for f in figures[:i])
        return cls(
            text,
            s_start,
            s_end,
            figure,
            previous,
            following,
            first,
            amount_before=amount_before,
            start=c_start,
            end=c_end,
            **flags,
        )


Rule = Callable[[Clause], str | None]


def is_ordinal(c: Clause) -> str | None:
    if c.text[c.figure.start - 1 : c.figure.start] == "第":
        return "an ordinal or rank (第3, 居…第2)"
    return None


def is_inside_name(c: Clause) -> str | None:
    """A figure inside a quoted or titled name (“千个项目、千亿规模”工程, 《…》) is part of a name."""
    text, start = c.text, c.figure.start
    opening = text.rfind("《", c.start, start)
    if opening >= 0 and text.find("》", opening, start) < 0:
        return "part of a title 《…》"
    left = text.rfind("“", max(0, start - 14), start)
    if left < 0 or text.find("”", left, start) >= 0:
        return None
    right = text.find("”", start)
    if right < 0 or right - left > 16 or any(ch in SENTENCE_END for ch in text[left:right]):
        return None
    head = _NAME_HEADS.match(text[right + 1 : right + 4])
    if head is None or (head.group(0) == "目标" and TARGET_VERB.search(text, left, start)):
        return None  # “培育重点数据企业1400家以上”目标: a target quoted, not a name
    return "part of a quoted name (“…”工程)"


def is_scope_phrase(c: Clause) -> str | None:
    return "inside a place or scope phrase (在1-2个领域)" if _SCOPE.search(c.tail) else None


def counts_text_parts(c: Clause) -> str | None:
    return "counts the text's own parts (五项重点工作)" if _ORGANISING_NOUNS.match(c.after) else None


def qualifies_next_figure(c: Clause) -> str | None:
    """A figure qualifying a noun counted by a later figure:
    总投资2.66万亿元的2000个项目, 亿元以上项目300个, 过10亿元企业1-2家 (firms counted over a size)."""
    if c.following is None:
        return None
    between = c.text[c.after_pos : c.following.start]
    enumerated = ENUMERATION.search(between)
    if between and not enumerated and ("的" in between or c.suffix in _THRESHOLD_SUFFIXES):
        return "qualifies the noun a later figure counts (亿元以上项目300个)"
    sized_class = _SIZE_LEAD.search(c.tail) and c.figure.unit.endswith("元")
    if sized_class and between and not enumerated and not TARGET_VERB.search(between):
        return "a size that names a class of firms a later figure counts (过10亿元企业1-2家)"
    return None


_SIZE_LEAD = re.compile(r"(?:过|超|超过)$")
_PAGE_COUNTER = re.compile(r"^(?:浏览|阅读|评论|点赞|播放|次浏览)")


def is_page_counter(c: Clause) -> str | None:
    """0次浏览, 1.2万阅读: a counter the web page shows, no part of the document."""
    return "a page's view counter (0次浏览)" if _PAGE_COUNTER.match(c.after) else None


def is_class_threshold(c: Clause) -> str | None:
    """A threshold describing a class: 小于30万千瓦的机组, 8米以下的车型."""
    if (c.after.startswith("的") and c.suffix in _THRESHOLD_SUFFIXES) or _THRESHOLD_OF.match(
        c.text, c.figure.end
    ):
        if not ADJACENT_VERB.search(c.tail) and not _REACHES.search(c.tail):
            return "a threshold describing a class (8米以下的车型)"
    if _COMPARED_WITH.search(c.tail) and c.after.startswith("的"):
        return "a threshold describing a class (小于30万千瓦的机组)"
    return None


def is_portfolio_item(c: Clause) -> str | None:
    if c.in_portfolio and (
        _PROJECT_NOUN.search(c.before[-12:] + c.after[:12]) or PORTFOLIO_SUM.search(c.text, c.start, c.end)
    ):
        return "a plan's project portfolio (总投资…的N个项目，其中续建…)"
    return None


def is_project_size(c: Clause) -> str | None:
    return "the size of a project (总投资50亿元)" if _PROJECT_SIZE.search(c.tail) else None


def is_plan_progress(c: Clause) -> str | None:
    """完成1-4月投资计划的132.1%: how far a plan has come, reported whatever the passage's frame."""
    if c.figure.unit == "%" and _SHARE_OF_PLAN.search(c.tail):
        return "progress against a plan (完成全年目标任务的120%)"
    return None


_FIRST_CROSSING = re.compile(r"(?:首破|首次(?:突破|超过|迈上|跨上|达到)|历史性(?:突破|超过))$")


def is_first_crossing(c: Clause) -> str | None:
    """首破千亿元, 首次突破1000亿元: a threshold crossed for the first time is news of what happened."""
    return "a first crossing (首破/首次突破X)" if _FIRST_CROSSING.search(c.own_lead[-_TAIL:]) else None


_RESULT_RULES: tuple[Rule, ...] = (is_plan_progress, is_first_crossing)


def result_rule(c: Clause) -> tuple[str, str] | None:
    """(rule name, reason) of the first rule that reads the figure as a result whatever its frame, or None."""
    for rule in _RESULT_RULES:
        reason = rule(c)
        if reason is not None:
            return rule.__name__, reason
    return None


def is_head_count(c: Clause) -> str | None:
    if _ATTENDANCE.search(c.governing[-_TAIL:]) and not TARGET_VERB.search(c.own_lead):
        return "a head count at a meeting (应出席代表574人)"
    return None


def is_delta(c: Clause) -> str | None:
    """How an amount compares with last year (比上年多3000套, …4.4万亿元、比上年增加5000亿元):
    no amount of its own."""
    if _COMPARED_DELTA.search(c.own_lead[-_TAIL:]):
        return "a change on last year (比上年多3000套)"
    if c.amount_before and c.figure.unit not in _RATE_UNITS and _AMOUNT_DELTA.search(c.own_lead[-_TAIL:]):
        return "the change of the amount before it (比上年增加5000亿元)"
    return None


_MARKET_QUOTE = re.compile(r"[(（]\s*-?\d+(?:\.\d+)?\s*,\s*-?\d+(?:\.\d+)?\s*,?\s*$")


def is_market_quote(c: Clause) -> str | None:
    """中科曙光(78.200, 2.10, 2.76%): a share price a finance site inserted after a company's name."""
    window = c.text[max(0, c.figure.start - 30) : c.figure.start]
    if _MARKET_QUOTE.search(window) or c.text[c.figure.end : c.figure.end + 1] == "," and "(" in window[-12:]:
        return "a share price inserted by the page (中科曙光(78.200, 2.10, 2.76%))"
    return None


def is_baseline(c: Clause) -> str | None:
    """从2020年的15%提高到56%: 15% is the baseline of the target 56%, not a target of its own."""
    if c.following is None or c.following.unit != c.figure.unit:
        return None
    if BASELINE_LEAD.search(c.tail) and CHANGE_TO.search(c.text, c.after_pos, c.following.start):
        return "the baseline a change starts from (从2020年的15%提高到56%)"
    return None


REJECTION_RULES: tuple[Rule, ...] = (
    is_market_quote,
    is_page_counter,
    is_ordinal,
    is_inside_name,
    is_scope_phrase,
    counts_text_parts,
    qualifies_next_figure,
    is_class_threshold,
    is_portfolio_item,
    is_project_size,
    is_head_count,
    is_delta,
    is_baseline,
)


def rejection(c: Clause) -> tuple[str, str] | None:
    """(rule name, reason) of the first rule that rejects the figure, or None."""
    for rule in REJECTION_RULES:
        reason = rule(c)
        if reason is not None:
            return rule.__name__, reason
    return None
