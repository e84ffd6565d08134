"""A goal split into parts, as its public page says it: the parts' roll-up (apps.goals.rollup) in the
reader's language, beside the goal's own verdict and never in place of it."""

from __future__ import annotations

from django.utils import formats, translation
from django.utils.html import format_html
from django.utils.safestring import SafeString
from django.utils.translation import gettext as _
from django.utils.translation import ngettext

from apps.goals.rollup import Method, Reason, Rollup, roll_up_goals

from .indicators import amount_display


def goal_rollup(goal) -> Rollup | None:
    """The roll-up of a goal's published parts (goal.public_parts, from selectors.goal_for_page); None
    for a goal not split."""
    parts = getattr(goal, "public_parts", None)
    return roll_up_goals(goal, parts) if parts else None


def _names(keys, parts) -> str:
    by_key = {part.slug: part.part_label for part in parts}
    separator = ", " if (translation.get_language() or "").startswith("en") else "、"
    return separator.join(by_key[key] for key in keys)


def _range(low, high, unit) -> str:
    if high is None or high == low:
        return amount_display(low, unit)
    return f"{amount_display(low, '')}～{amount_display(high, unit)}"


def rollup_lines(rollup: Rollup, parts) -> list[SafeString]:
    """The sentences that sum up the parts: the total against the target, the parts not reported, the
    parts' targets where they do not add up to the goal's; or why the parts are not added up."""
    unit, lines = rollup.unit, []
    if rollup.method == Method.SUM:
        target = _range(rollup.target, rollup.target_max, unit)
        if rollup.total is None:
            lines.append(format_html(_("各部分均未报告数据（目标 {}）"), target))
        else:
            lines.append(
                format_html(
                    _("各部分合计 {total} / 目标 {target}"),
                    total=amount_display(rollup.total, unit),
                    target=target,
                )
            )
    elif rollup.method == Method.REFUSED:
        refused = _names(rollup.refused_parts, parts)
        if rollup.reason == Reason.UNIT_DIFFERS:
            lines.append(format_html(_("不作合计：{} 的单位与本目标不同，不能换算相加"), refused))
        else:
            lines.append(format_html(_("不作合计：{} 的目标类型与本目标不同，不能相加"), refused))
    elif rollup.reason == Reason.MILESTONE:
        lines.append(format_html("{}", _("节点类目标不作合计，各部分并列如下")))
    else:
        lines.append(format_html("{}", _("增速、比率等不能相加：各部分与本目标并列比较，不作合计")))
    if rollup.unreported:
        count = len(rollup.unreported)
        lines.append(
            format_html(
                ngettext("{count} 个部分未报告：{names}", "{count} 个部分未报告：{names}", count),
                count=count,
                names=_names(rollup.unreported, parts),
            )
        )
    if rollup.sample_only:
        lines.append(
            format_html(
                _("{}只有示例数据，不计入合计"),
                _names(rollup.sample_only, parts),
            )
        )
    if rollup.method == Method.SUM and rollup.total is not None and rollup.dates_differ:
        lines.append(
            format_html(
                _("合计的数据截至日期不一：{first} 至 {last}"),
                first=formats.date_format(rollup.first_as_of),
                last=formats.date_format(rollup.last_as_of),
            )
        )
    if rollup.targets_mismatch:
        lines.append(
            format_html(
                _("各部分目标合计 {parts}，与本目标 {target}不一致"),
                parts=_range(rollup.parts_target, rollup.parts_target_max, unit),
                target=_range(rollup.target, rollup.target_max, unit),
            )
        )
    return lines
