"""The status rules' verdicts in words: one Chinese and one English sentence per reason code
(apps/goals/status.py decides, this module only says it), plus what each status means for the
methodology page. Numbers read as a reader would write them: 7000个, 1.2万辆 → 12,000, 5.5%."""

from __future__ import annotations

from datetime import date
from decimal import Decimal
from typing import NamedTuple

from .english import amount_en
from .status import STATUS_LABELS, Comparator, Evaluation, Facts, Kind, Reason, Status
from .units import amount_display, amount_rounded

# What each status means, for the methodology page (方法说明 · how statuses are decided).
STATUS_DEFINITIONS: dict[Status, tuple[str, str]] = {
    Status.NOT_STARTED: (
        "目标期尚未开始，或刚开始、第一次报送数据的时间还没到。",
        "The period has not begun, or has only just begun and the first figure is not due yet.",
    ),
    Status.ON_TRACK: (
        "最新数据达到或超过序时进度；增速、降幅和上限类目标：最新累计数据达到目标（或未超过上限）。",
        "The latest figure is at or ahead of the expected progress to date; for rates, reductions and caps, "
        "the latest cumulative figure meets the target (or stays within the cap).",
    ),
    Status.AT_RISK: (
        "落后于序时进度，但差距在黄灯区间之内；增速等目标：差距在一个容差之内。",
        "Behind the expected progress to date, but within the at-risk band; for rates, within one tolerance "
        "of the target.",
    ),
    Status.OFF_TRACK: (
        "落后于序时进度超过黄灯区间；增速等目标：差距超过一个容差。",
        "Further behind the expected progress to date than the at-risk band; for rates, more than one "
        "tolerance away from the target.",
    ),
    Status.IN_PROGRESS: (
        "有进展数据，但无基期值，无法计算序时进度：不显示序时进度和完成比例，只将最新数据与目标比较，"
        "尚未达到目标；目标期结束后再作判定。",
        "Figures are reported, but with no baseline there is no pace: no expected value and no percentage "
        "are shown, the latest figure is compared with the target, which it has not reached yet, and the "
        "goal is judged at the end of its period.",
    ),
    Status.ACHIEVED: (
        "数据达到目标。期末正式数据为准；依据初步数据判定的会注明“初步数据”。只覆盖部分目标期的数据，"
        "只有在目标已达到且不会再失去时（如累计数已达到目标）才判定为已达成。示例数据从不判定已结束的目标。",
        "A figure reaches the target. The final figure for the period decides; a verdict on provisional "
        "figures says so. A figure for part of the period makes a goal achieved only where the target is "
        "reached for good (a cumulative count that reached it). Sample figures never decide a finished goal.",
    ),
    Status.MISSED: (
        "覆盖整个目标期的期末正式数据未达到目标；等待期过后仍无正式数据的，依据覆盖整个目标期的初步数据判定，"
        "并注明“初步数据”。只覆盖部分目标期的数据从不判定未达成（新增数已超过上限的除外）。",
        "The final figure covering the period falls short of the target; when no final figure has come by "
        "the end of the grace period, a provisional figure covering the period decides, and the verdict "
        "says so. A figure for part of the period never makes a goal missed (except additions already "
        "past their cap).",
    ),
    Status.AWAITING_DATA: (
        "期限已过，期末正式数据尚未发布，仍在通常的等待期内。统计数据晚到不会让目标变红。",
        "The deadline has passed and the final figure is not out yet, within the usual grace period. Late "
        "statistics never turn a goal red.",
    ),
    Status.UNREPORTED: (
        "期限和等待期都已过去，从未公布任何实际数据（示例数据不算）。",
        "The deadline and the grace period have passed and no real figure was ever published (sample figures "
        "do not count).",
    ),
    Status.PERIOD_UNREPORTED: (
        "期限和等待期都已过去，只公布了覆盖部分目标期的数据，没有覆盖整个目标期的期末数据；旁边列出最新的部分期数据及其日期。",
        "The deadline and the grace period have passed and only figures for part of the period were "
        "published, none for the whole period; the latest of them and its date are shown beside the status.",
    ),
    Status.STALE: (
        "目标期内超过报送周期没有新数据。",
        "No new figure within the reporting cadence while the period runs.",
    ),
    Status.DONE: ("节点类目标已经完成。", "A milestone that has been done."),
    Status.DUE: ("节点类目标尚未完成，期限未到。", "A milestone not done yet, before its deadline."),
    Status.OVERDUE: (
        "节点类目标期限已过，仍未完成。",
        "A milestone whose deadline has passed without it being done.",
    ),
}
assert set(STATUS_DEFINITIONS) == set(Status), "every status needs a definition"


# "No baseline, so no pace", said once wherever a level goal has no baseline.
NO_BASELINE_ZH = "无基期值，无法计算序时进度"
NO_BASELINE_EN = "no baseline, so no pace"


class Explanation(NamedTuple):
    zh: str
    en: str


def explain(evaluation: Evaluation) -> Explanation:
    """The evaluation as one sentence in each language, ending with the status in words."""
    facts = evaluation.facts
    zh, en, tail_zh, tail_en = _SENTENCES[evaluation.reason](evaluation, _Say(facts))
    label_zh, label_en = STATUS_LABELS[evaluation.status]
    if evaluation.reason == Reason.PROVISIONAL_RESULT:
        label_zh, label_en = f"{label_zh}（初步数据）", f"{label_en} (on provisional figures)"
    return Explanation(f"{zh}，{label_zh}{tail_zh}", f"{en}: {label_en.lower()}{tail_en}")


class _Say:
    """Amounts, dates and targets of one goal in both languages."""

    def __init__(self, facts: Facts):
        self.facts = facts

    def amount_zh(self, value: Decimal) -> str:
        """A stated figure (or a difference of two) with every digit it was stated with."""
        return amount_display(value) + self.facts.unit

    def amount_en(self, value: Decimal) -> str:
        return _amount_en(value, self.facts.unit)

    def computed_zh(self, value: Decimal) -> str:
        """A number worked out by the rules (序时进度), to the precision every surface shows it
        (units.amount_display): the figures may be whole numbers, the expected value rarely is (9.5个)."""
        return amount_display(value, computed=True) + self.facts.unit

    def computed_en(self, value: Decimal) -> str:
        return _amount_en(amount_rounded(value, computed=True), self.facts.unit)

    def date_zh(self, day: date) -> str:
        if day.year == self.facts.today.year:
            return f"{day.month}月{day.day}日"
        return f"{day.year}年{day.month}月{day.day}日"

    def target(self) -> tuple[str, str]:
        facts = self.facts
        zh, en = self.amount_zh(facts.target), self.amount_en(facts.target)
        if facts.target_max is not None:
            return (
                f"{amount_display(facts.target)}–{self.amount_zh(facts.target_max)}",
                f"{en}–{self.amount_en(facts.target_max)}",
            )
        if facts.comparator == Comparator.ABOUT:
            return f"{zh}左右", f"about {en}"
        if facts.at_most:
            return f"不超过{zh}", f"at most {en}"
        if facts.comparator == Comparator.MORE_THAN:
            return f"超过{zh}", f"more than {en}"
        return zh, en

    def gap(self, difference: Decimal) -> tuple[str, str]:
        """A difference between two figures of this goal, in points when the unit is a percentage."""
        if self.facts.unit in ("%", "‰"):
            zh, en = _points(difference)
            return f"{zh}个百分点", f"{en} points"
        return self.amount_zh(abs(difference)), self.amount_en(abs(difference))


# Each sentence function returns (zh, en, tail_zh, tail_en): the tail follows the status label.
_Sentence = tuple[str, str, str, str]


def _milestone_done(e: Evaluation, say: _Say) -> _Sentence:
    done_on, deadline = e.milestone_done_on, e.facts.deadline
    assert done_on is not None
    late = (done_on - deadline).days
    if late > 0:
        return (
            f"已于{say.date_zh(done_on)}完成，比期限{say.date_zh(deadline)}晚{late}天",
            f"Done on {_date_en(done_on)}, {_days_en(late)} after the deadline of {_date_en(deadline)}",
            "",
            "",
        )
    return (
        f"已于{say.date_zh(done_on)}完成（期限{say.date_zh(deadline)}）",
        f"Done on {_date_en(done_on)} (deadline {_date_en(deadline)})",
        "",
        "",
    )


def _milestone_due(e: Evaluation, say: _Say) -> _Sentence:
    deadline = e.facts.deadline
    left = (deadline - e.facts.today).days
    return (
        f"期限为{say.date_zh(deadline)}，{f'尚余{left}天' if left else '今天到期'}",
        f"Due by {_date_en(deadline)}, {f'{_days_en(left)} left' if left else 'which is today'}",
        "",
        "",
    )


def _milestone_overdue(e: Evaluation, say: _Say) -> _Sentence:
    deadline = e.facts.deadline
    overdue = (e.facts.today - deadline).days
    return (
        f"期限{say.date_zh(deadline)}已过{overdue}天，尚未完成",
        f"The deadline of {_date_en(deadline)} passed {_days_en(overdue)} ago and it is not done",
        "",
        "",
    )


def _before_period(e: Evaluation, say: _Say) -> _Sentence:
    start = e.facts.start
    return f"目标期自{say.date_zh(start)}开始", f"The period starts on {_date_en(start)}", "", ""


def _no_figure_yet(e: Evaluation, say: _Say) -> _Sentence:
    start, deadline = e.facts.start, e.facts.deadline
    return (
        f"目标期{say.date_zh(start)}至{say.date_zh(deadline)}，尚无进展数据",
        f"Runs {_date_en(start)} – {_date_en(deadline)}; no figures reported yet",
        "",
        "",
    )


def _no_figure_overdue(e: Evaluation, say: _Say) -> _Sentence:
    start, cadence = e.facts.start, e.facts.thresholds.stale_after_days
    running = (e.facts.today - start).days
    return (
        f"目标期自{say.date_zh(start)}开始已{running}天，尚无任何数据，超过{cadence}天的报送周期",
        f"No figures reported in the {_days_en(running)} since the period began on {_date_en(start)}, "
        f"longer than the {cadence}-day reporting cadence",
        "",
        "",
    )


def _figure_old(e: Evaluation, say: _Say) -> _Sentence:
    latest, cadence = e.latest, e.facts.thresholds.stale_after_days
    assert latest is not None
    silent = (e.facts.today - latest.as_of).days
    return (
        f"最新数据截至{say.date_zh(latest.as_of)}（{say.amount_zh(latest.value)}），已{silent}天未更新，"
        f"超过{cadence}天的报送周期",
        f"Latest figure {say.amount_en(latest.value)} as of {_date_en(latest.as_of)}; nothing reported for "
        f"{_days_en(silent)}, longer than the {cadence}-day reporting cadence",
        "",
        "",
    )


def _baseline_note(e: Evaluation, say: _Say) -> tuple[str, str]:
    figure = e.baseline_figure
    if figure is None:
        return "", ""
    return (
        f"；基期值取{say.date_zh(figure.as_of)}的数据{say.amount_zh(figure.value)}",
        f"; baseline from the figure for {_date_en(figure.as_of)}, {say.amount_en(figure.value)}",
    )


def _pace_note(e: Evaluation, say: _Say) -> tuple[str, str]:
    if e.forecast_date is not None and e.forecast_date > e.facts.deadline:
        return (
            f"；按近期进度，预计{say.date_zh(e.forecast_date)}完成",
            f"; at this pace, done by {_date_en(e.forecast_date)}",
        )
    if e.stalled:
        return "；近期无进展", "; no progress at the recent pace"
    return "", ""


def _pace(e: Evaluation, say: _Say) -> _Sentence:
    latest, behind, expected = e.latest, e.behind, e.expected_value
    assert latest is not None and behind is not None and expected is not None
    points_zh, points_en = _points(behind)
    if behind < 0:
        gap_zh, gap_en = f"落后{points_zh}个百分点", f"{points_en} points behind"
    elif behind > 0:
        gap_zh, gap_en = f"超前{points_zh}个百分点", f"{points_en} points ahead"
    else:
        gap_zh, gap_en = "与序时进度持平", "on schedule"
    verb = "应完成" if e.facts.kind == Kind.INCREMENT else "应达到"
    note_zh, note_en = _baseline_note(e, say)
    pace_zh, pace_en = _pace_note(e, say)
    return (
        f"按序时进度，截至{say.date_zh(latest.as_of)}{verb}{say.computed_zh(expected)}，"
        f"实际{say.amount_zh(latest.value)}，{gap_zh}",
        f"By {_date_en(latest.as_of)}, {say.computed_en(expected)} of "
        f"{say.amount_en(e.facts.target)} expected; "
        f"{say.amount_en(latest.value)} reported ({gap_en})",
        note_zh + pace_zh,
        note_en + pace_en,
    )


def _no_baseline(e: Evaluation, say: _Say) -> _Sentence:
    latest = e.latest
    assert latest is not None
    target_zh, target_en = say.target()
    pace_zh, pace_en = _pace_note(e, say)
    return (
        f"截至{say.date_zh(latest.as_of)}实际{say.amount_zh(latest.value)}，目标{target_zh}；"
        f"{NO_BASELINE_ZH}，期末再作判定",
        f"{say.amount_en(latest.value)} reported by {_date_en(latest.as_of)} against a target of "
        f"{target_en}; {NO_BASELINE_EN}, so it is judged at the end of the period",
        pace_zh,
        pace_en,
    )


def _rate_lead(e: Evaluation, say: _Say) -> tuple[str, str]:
    latest = e.latest
    assert latest is not None
    as_of_zh, as_of_en = say.date_zh(latest.as_of), _date_en(latest.as_of)
    actual_en = say.amount_en(latest.value)
    verb_zh = {Kind.GROWTH_RATE: "累计增长", Kind.REDUCTION: "累计下降"}.get(e.facts.kind, "为")
    lead_en = {
        Kind.GROWTH_RATE: f"Cumulative growth of {actual_en} to {as_of_en}",
        Kind.REDUCTION: f"Reduction of {actual_en} so far to {as_of_en}",
    }.get(e.facts.kind, f"{actual_en} as of {as_of_en}")
    return f"截至{as_of_zh}{verb_zh}{say.amount_zh(latest.value)}", lead_en


def _against_target(e: Evaluation, say: _Say) -> _Sentence:
    difference = e.difference
    assert difference is not None
    lead_zh, lead_en = _rate_lead(e, say)
    target_zh, target_en = say.target()
    amount_zh, amount_en = say.gap(difference)
    cap = e.facts.at_most and e.facts.comparator != Comparator.ABOUT
    word_zh, word_en = ("上限", "the cap") if cap else ("目标", "target")
    if difference > 0:
        gap_zh, gap_en = f"高于{word_zh}{amount_zh}", f"{amount_en} above {word_en}"
    elif difference < 0:
        gap_zh, gap_en = f"低于{word_zh}{amount_zh}", f"{amount_en} below {word_en}"
    else:
        gap_zh, gap_en = f"与{word_zh}持平", f"exactly at {word_en}"
    return (
        f"{lead_zh}，目标{target_zh}，{gap_zh}",
        f"{lead_en}, against a target of {target_en} ({gap_en})",
        "",
        "",
    )


def _final_figure(e: Evaluation, say: _Say) -> _Sentence:
    latest = e.latest
    assert latest is not None
    achieved = e.status == Status.ACHIEVED
    target_zh, target_en = say.target()
    # A sample figure is never called official or final.
    final_zh, final_en = (
        ("期末示例数据", "Sample end-of-period figure")
        if latest.is_sample
        else ("期末正式数据", "Final figure")
    )
    if e.facts.kind not in (Kind.LEVEL, Kind.INCREMENT):
        lead_zh, lead_en = _rate_lead(e, say)
        return (
            f"{final_zh}：{lead_zh}，目标{target_zh}，{'达到' if achieved else '未达到'}目标",
            f"{final_en}: {lead_en}, against a target of {target_en}",
            "",
            "",
        )
    as_of_zh, as_of_en = say.date_zh(latest.as_of), _date_en(latest.as_of)
    actual_zh, actual_en = say.amount_zh(latest.value), say.amount_en(latest.value)
    if achieved:
        return (
            f"{final_zh}：截至{as_of_zh}实际{actual_zh}，达到目标{target_zh}",
            f"{final_en} to {as_of_en}: {actual_en}, reaching the target of {target_en}",
            "",
            "",
        )
    share_zh = share_en = ""
    if e.progress_percent is not None and e.progress_percent < 0:
        share_zh, share_en = "（低于基期值）", " (below the baseline)"
    elif e.progress_percent is not None:
        points_zh, points_en = _points(e.progress_percent)
        share_zh, share_en = f"（完成{points_zh}%）", f" ({points_en}% of the way)"
    return (
        f"{final_zh}：截至{as_of_zh}实际{actual_zh}，未达到目标{target_zh}{share_zh}",
        f"{final_en} to {as_of_en}: {actual_en}, short of the target of {target_en}{share_en}",
        "",
        "",
    )


def _target_reached(e: Evaluation, say: _Say) -> _Sentence:
    latest = e.latest
    assert latest is not None
    target_zh, target_en = say.target()
    pending = e.provisional and e.facts.period_ended
    return (
        f"截至{say.date_zh(latest.as_of)}实际{say.amount_zh(latest.value)}"
        f"{'（初步数据，待正式数据确认）' if pending else ''}，已达到目标{target_zh}",
        f"{say.amount_en(latest.value)} reported by {_date_en(latest.as_of)}"
        f"{' (provisional, pending the final figure)' if pending else ''}, "
        f"reaching the target of {target_en}",
        "",
        "",
    )


def _latest_phrases(e: Evaluation, say: _Say) -> tuple[str, str]:
    latest = e.latest
    if latest is None:
        return "尚无任何数据", "no figures have been reported"
    mark_zh, mark_en = ("", "") if latest.is_final else ("（初步）", " (provisional)")
    return (
        f"最新数据截至{say.date_zh(latest.as_of)}为{say.amount_zh(latest.value)}{mark_zh}",
        f"the latest is {say.amount_en(latest.value)}{mark_en} as of {_date_en(latest.as_of)}",
    )


def _awaiting_final(e: Evaluation, say: _Say) -> _Sentence:
    deadline, grace_ends = e.facts.deadline, e.facts.grace_ends
    target_zh, target_en = say.target()
    latest_zh, latest_en = _latest_phrases(e, say)
    pace_zh, pace_en = _pace_note(e, say)
    return (
        f"期限{say.date_zh(deadline)}已过，期末正式数据尚未发布；{latest_zh}（目标{target_zh}）",
        f"The deadline of {_date_en(deadline)} has passed and the final figure is not yet published; "
        f"{latest_en} (target {target_en})",
        f"；正式数据预计{say.date_zh(grace_ends)}前发布{pace_zh}",
        f"; final figure expected by {_date_en(grace_ends)}{pace_en}",
    )


def _provisional_result(e: Evaluation, say: _Say) -> _Sentence:
    deadline, grace = e.facts.deadline, e.facts.thresholds.awaiting_data_grace_days
    target_zh, target_en = say.target()
    latest_zh, latest_en = _latest_phrases(e, say)
    reached_zh, reached_en = ("达到", "reaching") if e.status == Status.ACHIEVED else ("未达到", "short of")
    return (
        f"期限{say.date_zh(deadline)}后{grace}天的等待期已过，仍未发布期末正式数据；按现有数据判定：{latest_zh}，"
        f"{reached_zh}目标{target_zh}",
        f"The {grace}-day wait after the deadline of {_date_en(deadline)} is over without a final figure; "
        f"judged on what is known: {latest_en}, {reached_en} the target of {target_en}",
        "",
        "",
    )


def _no_figure_published(e: Evaluation, say: _Say) -> _Sentence:
    deadline, grace = e.facts.deadline, e.facts.thresholds.awaiting_data_grace_days
    late = (e.facts.today - e.facts.grace_ends).days
    target_zh, target_en = say.target()
    samples_zh, samples_en = _samples_note(e)
    return (
        f"期限{say.date_zh(deadline)}已过，超过通常{grace}天的等待期{late}天，仍未公布任何数据（目标{target_zh}）",
        f"The deadline of {_date_en(deadline)} passed and, "
        f"{_days_en(late)} beyond the usual {grace}-day wait, "
        f"no figure has been published (target {target_en})",
        samples_zh,
        samples_en,
    )


def _samples_note(e: Evaluation) -> tuple[str, str]:
    if not e.samples_set_aside:
        return "", ""
    return "；示例数据不用于判定已结束的目标", "; sample figures never decide a finished goal"


def _partial_figures_only(e: Evaluation, say: _Say) -> _Sentence:
    deadline, grace = e.facts.deadline, e.facts.thresholds.awaiting_data_grace_days
    latest = e.latest
    assert latest is not None
    target_zh, target_en = say.target()
    mark_zh, mark_en = ("", "") if latest.is_final else ("（初步）", " (provisional)")
    return (
        f"期限{say.date_zh(deadline)}后{grace}天的等待期已过，仍未公布覆盖整个目标期的数据；"
        f"最新的部分期数据截至{say.date_zh(latest.as_of)}为{say.amount_zh(latest.value)}{mark_zh}（目标{target_zh}），"
        "不据此判定",
        f"The {grace}-day wait after the deadline of {_date_en(deadline)} is over and no figure for the "
        "whole period has been published; the latest figure, for part of it, is "
        f"{say.amount_en(latest.value)}{mark_en} as of {_date_en(latest.as_of)} (target {target_en}), "
        "which does not decide the goal",
        "",
        "",
    )


def _cap_exceeded(e: Evaluation, say: _Say) -> _Sentence:
    latest = e.latest
    assert latest is not None
    target_zh, target_en = say.target()
    return (
        f"截至{say.date_zh(latest.as_of)}已新增{say.amount_zh(latest.value)}，超过上限（目标{target_zh}），"
        "新增数只会增加",
        f"{say.amount_en(latest.value)} added by {_date_en(latest.as_of)}, past the cap "
        f"(target {target_en}); additions can only grow",
        "",
        "",
    )


_SENTENCES = {
    Reason.MILESTONE_DONE: _milestone_done,
    Reason.MILESTONE_DUE: _milestone_due,
    Reason.MILESTONE_OVERDUE: _milestone_overdue,
    Reason.BEFORE_PERIOD: _before_period,
    Reason.NO_FIGURE_YET: _no_figure_yet,
    Reason.NO_FIGURE_OVERDUE: _no_figure_overdue,
    Reason.FIGURE_OLD: _figure_old,
    Reason.PACE: _pace,
    Reason.NO_BASELINE: _no_baseline,
    Reason.AGAINST_TARGET: _against_target,
    Reason.FINAL_FIGURE: _final_figure,
    Reason.TARGET_REACHED: _target_reached,
    Reason.AWAITING_FINAL: _awaiting_final,
    Reason.PROVISIONAL_RESULT: _provisional_result,
    Reason.NO_FIGURE_PUBLISHED: _no_figure_published,
    Reason.PARTIAL_FIGURES_ONLY: _partial_figures_only,
    Reason.CAP_EXCEEDED: _cap_exceeded,
}
assert set(_SENTENCES) == set(Reason), "every reason needs a sentence"


# --- Formatting ---------------------------------------------------------------------------------

_MONTHS_EN = ("Jan", "Feb", "Mar", "Apr", "May", "Jun", "Jul", "Aug", "Sep", "Oct", "Nov", "Dec")


def _date_en(day: date) -> str:
    return f"{day.day} {_MONTHS_EN[day.month - 1]} {day.year}"


def _days_en(days: int) -> str:
    return "1 day" if days == 1 else f"{amount_display(days, grouped=True)} days"


def _amount_en(value: Decimal, unit: str) -> str:
    """A figure in English (english.amount_en: 1.2万辆 -> 12,000 vehicles; 3.5亿元 -> 350 million
    yuan); per mille keeps its sign."""
    if unit == "‰":
        return amount_display(value, grouped=True) + unit
    return amount_en(value, unit)


def _points(difference: Decimal) -> tuple[str, str]:
    """The size of a difference in points, to one decimal; never "0" for a real difference."""
    size = amount_rounded(abs(difference), percent=True)
    if size == 0 and difference != 0:
        return "不足0.1", "less than 0.1"
    text = amount_display(size, percent=True)
    return text, text
