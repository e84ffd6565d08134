"""Sentences: each figure of a sentence judged (rules, tense) and, if taken, given its fields."""

from __future__ import annotations

import re
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field, replace
from datetime import date
from decimal import Decimal

from .clauses import (
    BASELINE_LEAD,
    CHANGE_TO,
    ENUMERATION,
    PORTFOLIO_SUM,
    Clause,
    rejection,
    result_rule,
    states_a_share,
)
from .fields import (
    ADJACENT_VERB,
    COMPARATOR_SUFFIX,
    TARGET_VERB,
    VERB_PREFIX,
    clause_subject,
    comparator_of,
    counts_forward,
    deadline_of,
    department_of,
    earlier_noun,
    kind_of,
    metric_of,
    month_end,
)
from .figures import Figure
from .folding import BREAK, Folded
from .frames import HORIZON, OPEN, YEAR
from .mention import Mention, Rejection
from .passages import (
    Context,
    SentenceScan,
    clause_end,
    months_covered,
    past_plan_period,
    scan_sentence,
    tense,
    tense_and_rule,
    years_between,
)

_NOUN = re.compile(r"[^,，;；:：。、\d" + BREAK + r"]*")
_LEFTOVER = re.compile(r"(?:以上|左右|以下|以内|、|以及|和|及|与|或)*")
_CHANGE_ONLY = re.compile(r"(?:年均|同比|分别)?(?:增长|增速|下降|降低|提高|提升)")
_CHANGE_TAIL = re.compile(r"(?:年均|分别)?(?:增长|增速|增幅|下降|降低|提高|提升|减少)$")
_RATE_OF_GROWTH = re.compile(r"增速|增幅|增长$")
_NOUN_END = re.compile(r"(?<=.)(?=[,，。；;])")
_BREAKDOWN = re.compile(r"总投资|续建")
# 从2020年的15%提高到56%: the figure before 提高到 is the baseline of the one after it
_BASELINE = re.compile(r"从(?:(?P<year>(?:19|20)\d\d)年(?:底|末)?(?:的)?)?$")
_FROM_TO = re.compile(r"^(?:提高|提升|增加|增长|扩大|降低|下降|减少|压减|缩短|上升)?(?:到|至)")
_ESTIMATE = re.compile(r"预计|估计|预估")
# How a result is reported, no part of the indicator: 去年GDP预计 -> GDP
_RESULT_FILLER = re.compile(r"去年|上年|前年|预计|估计|初步|同比|全年")


@dataclass
class SentenceFinds:
    targets: list[Mention] = field(default_factory=list)
    results: list[Mention] = field(default_factory=list)
    rejections: list[Rejection] = field(default_factory=list)


@dataclass(frozen=True)
class Sentence:
    folded: Folded
    start: int
    end: int
    paragraph_start: int
    figures: Sequence[Figure]
    paragraph_past: bool = False
    # Set when the whole passage reports results (a review section, a bulletin, a statistical sentence):
    # the year it reports on, when known.
    results_passage: bool = False
    passage_year: int | None = None
    passage_months: int | None = None  # the passage reports on the year's first months (前三季度: 9)
    frame_rule: str = ""  # the rule that set the passage's frame (frames.py)
    frame_kind: str = OPEN


@dataclass
class _Item:
    clause_start: int
    quote_end: int
    verbless: bool  # an enumerated item without a verb of its own
    respectively: bool  # 分别


def _portfolio(ft: str, s_start: int, s_end: int) -> bool:
    """A sum of total investment (总投资820亿元的45个项目) or a breakdown following (其中续建…)
    marks a portfolio.

    其中 breaks down a portfolio only where sums or project stages are named (其中续建项目37个，总投资…);
    实施亿元以上项目200个，其中新开工项目80个 states two targets.
    """
    sentence = ft[s_start:s_end]
    next_sentence = ft[s_end : clause_end(ft, s_end, len(ft)) + 40] if ft.startswith("其中", s_end) else ""
    broken_down = bool(("其中" in sentence or next_sentence) and _BREAKDOWN.search(sentence + next_sentence))
    portfolio_sum = PORTFOLIO_SUM.search(sentence)
    # 统筹抓好总投资2.66万亿元的2000个重大项目 with no breakdown: the count of projects is the target
    qualifying_sum = bool(portfolio_sum and sentence[portfolio_sum.end() :].startswith("的"))
    return broken_down or bool(portfolio_sum and not qualifying_sum)


def _rejected(folded: Folded, text_of: Figure, rule: str, reason: str) -> Rejection:
    start, end = folded.offsets[text_of.start], folded.offsets[text_of.end - 1] + 1
    return Rejection(start, end, folded.source[start:end], rule, reason)


_LAST_YEAR = re.compile(r"(?<![比较])(?:去年|上年)")
_THIS_YEAR = re.compile(r"今年|本年")


def _period(ft: str, s: Sentence, at: int, ctx: Context) -> tuple[date, date, str]:
    """The period a result covers: the last year named before it (or a finished plan period), else the
    passage's year; all of it, or the months the sentence or its passage names (前三季度)."""
    years = [y for y in years_between(ft, s.start, at) if y.mark != "deadline"]
    segment = ft[s.start : at]
    plan_end = past_plan_period(segment, ctx)
    if years:
        year, source = years[-1].year, "sentence"
    elif plan_end is not None:
        year, source = plan_end, "plan period"
    elif _LAST_YEAR.search(segment) and ctx.reference_year is not None:
        year, source = ctx.reference_year - 1, "去年"
    elif _THIS_YEAR.search(segment) and ctx.reference_year is not None:
        year, source = ctx.reference_year, "今年"
    elif s.passage_year is not None:
        year, source = s.passage_year, "passage"
    elif (months_covered(segment) or s.passage_months) and ctx.reference_year is not None:
        year, source = ctx.reference_year, "part of the year"  # 前三季度 is reported during the year
    elif ctx.present_year is not None:
        year, source = ctx.present_year - 1, "document year"
    else:
        year, source = date.today().year - 1, "unknown"
    months = months_covered(segment) or s.passage_months or 12
    first_year = year - 4 if source == "plan period" else year  # “十四五”期间: 2021-2025
    return date(first_year, 1, 1), month_end(year, months), source


def judge(
    s: Sentence, ctx: Context, speakers: Mapping[str, str] | None, explain: bool = False
) -> SentenceFinds:
    """The targets and results stated in one sentence, and (with explain) the figures rejected and why."""
    folded = s.folded
    ft = folded.text
    finds = SentenceFinds()
    if not s.figures:
        return finds
    out = finds.targets
    portfolio = _portfolio(ft, s.start, s.end)
    scan: SentenceScan | None = None  # the sentence's markers and years, found for its first figure read
    qualifier_start: int | None = None  # where a qualifier of the next figure began: its quote starts there
    items: list[_Item] = []
    result_items: list[_Item] = []
    for i, fig in enumerate(s.figures):
        c = Clause.of(ft, (s.start, s.end), s.figures, i, in_portfolio=portfolio)
        chain_start, qualifier_start = (qualifier_start if c.previous is not None else None), None
        rejected = rejection(c)
        if rejected is not None:
            if rejected[0] in ("qualifies_next_figure", "is_baseline"):
                qualifier_start = chain_start if chain_start is not None else c.lead_start
            if rejected[0] == "is_baseline":
                for reported in _baseline_result(folded, c, ctx, chain_start):
                    finds.results.append(reported)
                    result_items.append(_Item(c.start, c.after_pos, False, False))
            if explain:
                finds.rejections.append(_rejected(folded, fig, *rejected))
            continue
        if scan is None:
            scan = scan_sentence(ft, s.start, s.end, ctx)
        reported_as = result_rule(c)
        if reported_as is not None:
            when, why = "past", f"{reported_as[0]}: {reported_as[1]}"
        elif s.results_passage:
            when, why = "past", s.frame_rule
        else:
            when, why = tense_and_rule(ft, s.start, fig.start, ctx, s.paragraph_past, scan)
        if when not in ("past", "estimate") and states_a_share(c):
            when, why = "present", "a present share or stock (占, 现有)"
        is_result = when in ("past", "present", "estimate")
        governing, own_lead, suffix = c.governing, c.own_lead, c.suffix
        has_verb = bool(TARGET_VERB.search(governing)) or bool(ADJACENT_VERB.search(own_lead))
        earlier = finds.results if is_result else out
        part_of_previous = bool(earlier) and ft.startswith("其中", c.start)
        if part_of_previous:
            has_verb = True  # a part of the target just stated: 进出口总额达到8000亿元，其中出口5000亿元
        # 民生实事 (a list of the year's projects) under a heading of the year: each item is a target,
        # whether or not its verb is one the reader knows (维修更换农村37处)
        under_heading = s.frame_kind in (YEAR, HORIZON) and s.frame_rule.startswith("heading")
        list_item = under_heading and when == "neutral"
        if list_item and not has_verb:
            why = f"list item under {s.frame_rule}"
        if not is_result and not (has_verb or suffix in COMPARATOR_SUFFIX or when == "future" or list_item):
            if explain:
                finds.rejections.append(
                    _rejected(
                        folded, fig, "has_no_target_cue", "nothing makes it a target (no verb, no 以上/左右)"
                    )
                )
            continue
        kind = earlier[-1].kind if part_of_previous else kind_of(governing, fig.unit, suffix)
        comparator = comparator_of(own_lead, suffix, kind)
        if fig.lost and suffix in ("多", "余"):
            continue
        quote_start = chain_start if chain_start is not None else c.own_start
        leftover = _LEFTOVER.match(ft, quote_start, fig.start)
        quote_start += len(leftover.group(0)) if leftover else 0
        quote_end = c.after_pos
        noun_match = _NOUN.match(c.after)
        noun = noun_match.group(0) if noun_match else ""
        lead = ft[quote_start : fig.start]
        forward = counts_forward(lead)
        if forward and noun:
            quote_end = c.after_pos + len(_NOUN_END.split(noun)[0])
        if c.following is not None:
            quote_end = min(quote_end, c.following.start)
        baseline = _baseline(ft, c, quote_start)
        metric_lead = ft[quote_start : baseline[2] if baseline else fig.start]
        if not metric_lead and not noun:
            metric_lead = governing
        metric = metric_of(metric_lead, ft[c.after_pos : c.end], forward if metric_lead == lead else None)
        if TARGET_VERB.fullmatch(metric):  # 已建成5G基站3万个，今年将新建5000个: the noun carries over
            metric += earlier_noun(ft, s.start, s.figures[:i], fig.unit)
        change_only = _CHANGE_ONLY.fullmatch(metric)
        if (not metric or change_only) and earlier:
            # "软件业务收入年均增长12%，力争达到1500亿元", "…5000亿元，增长6%": the subject carries over
            metric = _CHANGE_TAIL.sub("", earlier[-1].metric) + metric
        elif not metric:  # "确保GDP增速不低于全省平均水平，力争达到6.5%": the subject of the clause before
            metric = clause_subject(ft, s.start, c.start)
        if part_of_previous and not TARGET_VERB.search(metric):  # 新增市场主体…，其中企业3万户 -> 新增企业
            verb = VERB_PREFIX.match(earlier[-1].metric)
            metric = (verb.group(0) if verb else "") + metric
        if kind == "level" and fig.unit == "%" and _RATE_OF_GROWTH.search(metric):
            kind = "growth_rate"  # GDP增速…力争达到6.5%
        incomplete = fig.value is None
        confidence = 0.9
        if fig.implicit:
            confidence -= 0.1
        if fig.chinese:
            confidence -= 0.25
        if not has_verb:
            confidence -= 0.15
        if incomplete:
            confidence = 0.5
        start = folded.offsets[quote_start]
        end = folded.offsets[quote_end - 1] + 1
        deadline = deadline_of(ft, s.start, fig.start, ctx, [y for y in scan.years if y.at < fig.start])
        own_items = result_items if is_result else items
        enumerated = (
            bool(own_items)
            and own_items[-1].clause_start == c.start
            and bool(ENUMERATION.search(ft, own_items[-1].quote_end, quote_start))
        )
        verbless = enumerated and not TARGET_VERB.search(ft, quote_start, fig.start)
        own_items.append(_Item(c.start, quote_end, verbless, "分别" in governing))
        frame = _frame_name(when, deadline, ctx)
        period_start: date | None = None
        period_end: date | None = None
        if is_result:
            period_start, period_end, year_source = _period(ft, s, fig.start, ctx)
            metric = _RESULT_FILLER.sub("", metric) or metric
            deadline = period_end
            comparator = "~" if comparator == ">=" and not suffix else comparator
        else:
            dated = deadline is not None and deadline.year != ctx.reference_year
            year_source = "sentence" if dated else ctx.year_source
        earlier.append(
            Mention(
                start=start,
                end=end,
                quote=folded.source[start:end],
                metric=metric,
                value=fig.value,
                value_max=fig.value_max,
                unit=fig.unit,
                kind=kind,
                comparator=comparator,
                deadline=deadline,
                department=department_of(ft, s.start, fig.start, s.paragraph_start, speakers),
                confidence=round(max(0.05, min(confidence, 1.0)), 2),
                incomplete=incomplete,
                baseline_value=baseline[0] if baseline else None,
                baseline_year=baseline[1] if baseline else None,
                year_source=year_source,
                is_target=not is_result,
                period_start=period_start,
                period_end=period_end,
                is_estimate=is_result and _estimated(ft, s.start, fig.start),
                frame=frame,
                frame_rule=why if not s.frame_rule or why != "no marker" else s.frame_rule,
            )
        )
    finds.targets[:] = share_metrics(finds.targets, items)
    finds.results[:] = share_metrics(finds.results, result_items)
    return finds


_FRAME_OF_TENSE = {"past": "review", "present": "present", "estimate": "estimate"}


def _frame_name(when: str, deadline: date | None, ctx: Context) -> str:
    """review, present, estimate; a target's frame is the year, or a horizon when due after it."""
    if when in _FRAME_OF_TENSE:
        return _FRAME_OF_TENSE[when]
    beyond = deadline is not None and ctx.present_year is not None and deadline.year > ctx.present_year
    return "horizon" if beyond else "year"


def _baseline_result(folded: Folded, c: Clause, ctx: Context, chain_start: int | None) -> list[Mention]:
    """从2025年的9.1%提高到13%: the 9.1% is also the figure reported for 2025."""
    ft, fig = folded.text, c.figure
    lead = BASELINE_LEAD.search(ft, c.start, fig.start)
    if lead is None or lead.group("year") is None or fig.value is None:
        return []
    year = int(lead.group("year"))
    if ctx.present_year is not None and year > ctx.present_year:
        return []
    start = chain_start if chain_start is not None else c.start
    metric = metric_of(ft[start : lead.start()], "")
    quote_start, quote_end = folded.offsets[start], folded.offsets[fig.end - 1] + 1
    return [
        Mention(
            start=quote_start,
            end=quote_end,
            quote=folded.source[quote_start:quote_end],
            metric=metric,
            value=fig.value,
            value_max=fig.value_max,
            unit=fig.unit,
            kind=kind_of("", fig.unit),
            comparator="~",
            deadline=month_end(year),
            department=None,
            confidence=0.8,
            incomplete=False,
            year_source="sentence",
            is_target=False,
            period_start=date(year, 1, 1),
            period_end=month_end(year),
        )
    ]


def _estimated(ft: str, sentence_start: int, at: int) -> bool:
    """预计 governs the figures after it up to a semicolon:
    预计规模以上工业增加值增长6.9%,社会消费品零售总额增长4.4% are both estimates;
    …预计增长5.5%左右;完成一般公共预算收入1083亿元 is not."""
    scope_start = max(ft.rfind(";", sentence_start, at), ft.rfind("；", sentence_start, at), sentence_start)
    return bool(_ESTIMATE.search(ft, scope_start, at))


def _baseline(ft: str, c: Clause, quote_start: int) -> tuple[Decimal, int | None, int] | None:
    """从2020年的15%提高到56%: (15, 2020, where 从 stands) for the 56%."""
    base = c.previous
    if base is None or base.value is None or base.unit != c.figure.unit:
        return None
    if not CHANGE_TO.search(ft, base.end, c.figure.start):
        return None
    m = BASELINE_LEAD.search(ft, quote_start, base.start)
    if m is None:
        return None
    return base.value, int(m.group("year")) if m.group("year") else None, m.start()


_MILESTONE = re.compile(
    r"(?:到|在|于)?(?P<year>(?:19|20)\d\d)年(?:(?P<month>1[0-2]|[1-9])月)?(?:年?底|末)?(?:前|之前)?"
    r"(?P<what>(?:制定|出台|印发|建成|完成|形成|实现|启动|编制|发布)[^,，;；。]{2,30})"
)


def milestones(s: Sentence, ctx: Context, speakers: Mapping[str, str] | None) -> list[Mention]:
    """Dated qualitative commitments (2025年底前出台…): a deadline and no figure."""
    out: list[Mention] = []
    if ctx.present_year is None:
        return out
    ft, offsets = s.folded.text, s.folded.offsets
    for m in _MILESTONE.finditer(ft, s.start, s.end):
        year = int(m.group("year"))
        if year < ctx.present_year or tense(ft, s.start, m.start(), ctx, False) in (
            "past",
            "present",
            "estimate",
        ):
            continue
        month = int(m.group("month")) if m.group("month") else 12
        out.append(
            Mention(
                start=offsets[m.start()],
                end=offsets[m.end() - 1] + 1,
                quote=s.folded.source[offsets[m.start()] : offsets[m.end() - 1] + 1],
                metric=m.group("what"),
                value=None,
                value_max=None,
                unit="",
                kind="milestone",
                comparator=">=",
                deadline=month_end(year, month),
                department=department_of(ft, s.start, m.start(), s.paragraph_start, speakers),
                confidence=0.6,
                incomplete=False,
                year_source="sentence",
            )
        )
    return out


# Enumerations sharing one verb. "软件、电子信息制造业营业收入分别达到5700亿元和1700亿元" names two indicators
# with one head noun (营业收入); "城乡居民…分别增长" abbreviates two (城镇居民…, 农村居民…).
_SPLIT_COMPOUNDS = {"城乡": ("城镇", "农村"), "进出口": ("进口", "出口"), "中小学": ("中学", "小学")}
_INDICATOR_HEAD = re.compile(
    r"(?:人均可支配收入|人均[\u4e00-\u9fff]{0,4}收入|主营业务收入|营业收入|业务收入|收入|增加值|产值|产量|销量|销售额|"
    r"总额|总量|规模|投资|保有量|数量|比重|占比|[率额量值数])"
)
_ENDS_ON_HEAD = re.compile(_INDICATOR_HEAD.pattern + "$")
_ITEM_SEPARATOR = re.compile(r"、|以及|和|与|及")
_NAME_END = re.compile(r"[+×＋*]$|[+×＋*](?=[\u4e00-\u9fff]+$)")


def distribute(metric: str, count: int) -> list[str] | None:
    """The metric of each of `count` figures stated respectively (分别) for one enumerated subject."""
    tail = _CHANGE_TAIL.search(metric)
    tail_text = tail.group(0) if tail else ""
    body = metric[: len(metric) - len(tail_text)]
    parts = [part for part in _ITEM_SEPARATOR.split(body) if part]
    if len(parts) == 1:
        for compound, expansions in _SPLIT_COMPOUNDS.items():
            if body.startswith(compound) and len(expansions) == count and len(body) > len(compound):
                return [expansion + body[len(compound) :] + tail_text for expansion in expansions]
        return None
    if len(parts) != count:
        return None
    last = parts[-1]
    head = next((last[i:] for i in range(1, len(last)) if _INDICATOR_HEAD.fullmatch(last[i:])), "")
    if not head and all(_NAME_END.search(part) for part in parts[:-1]):
        # “人工智能+”、“数据要素×”典型应用场景: names ending on a sign, then the noun they share
        sign = _NAME_END.search(last[:-1] or "")
        head = last[sign.end() :] if sign else ""
    named = [part if _ENDS_ON_HEAD.search(part) else part + head for part in parts[:-1]]
    return [part + tail_text for part in [*named, last]]


def share_metrics(mentions: list[Mention], items: list[_Item]) -> list[Mention]:
    """Give the items of an enumeration their own metric: the shared subject distributed,
    the shared verb repeated."""
    out = list(mentions)
    i = 0
    while i < len(out):
        clause, respectively = items[i].clause_start, items[i].respectively
        j = i + 1
        while j < len(out) and items[j].clause_start == clause:
            j += 1
        if respectively:
            run = [k for k in range(i, j) if out[k].metric == out[i].metric]
            metrics = distribute(out[i].metric, len(run)) if len(run) > 1 else None
            for k, metric in zip(run, metrics or [], strict=False):
                # …典型应用场景20个、100个: a later figure's quote is the whole statement, not "100个"
                out[k] = replace(out[k], metric=metric, start=out[run[0]].start)
        else:
            verb = VERB_PREFIX.match(out[i].metric)
            for k in range(i + 1, j):
                if (
                    verb
                    and items[k].verbless
                    and out[k].metric
                    and not out[k].metric.startswith(verb.group(0))
                ):
                    out[k] = replace(out[k], metric=(verb.group(0) + out[k].metric)[:40])
        i = j
    return out
