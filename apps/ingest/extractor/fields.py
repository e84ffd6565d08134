"""Fields of a mention: its deadline, metric (the indicator's name), department, kind and comparator."""

from __future__ import annotations

import calendar
import re
from collections.abc import Mapping, Sequence
from datetime import date
from functools import cache

from .figures import Figure, parse_chinese
from .passages import PERIOD_ENDS, Context, YearMention, clause_start, years_between

# Verbs that give a figure to a target, longest first so 提高到 wins over 提高.
TARGET_VERBS = sorted(
    """达到 突破 超过 增长 增加 增至 增加到 提高 提升 稳定在 保持在 控制在 维持在
    降低 下降 减少 压减 压降 缩短
    新建 建成 建设 新增 累计 实施 打造 培育 引进 新引进 开工 开通 采购 改造 推出 建立 完成 实现 办好 举办 认定
    覆盖 谋划 争取 力争 推进 确保 满足 创建 创成 新认定 新开工 优化 调整 开行 培养 吸引 招引
    签约 投资 计划投资
    扩大 发放 改扩建 更新 组建 设立 培训 惠及 布设 铺设 安装 部署 新开 新设 再有 达 接待 引育 新培育 改建 修建
    新改建 治理 整治 修复 投用 投运 提供 供应 安置 筹集 筹建 救助 帮扶 资助 补贴 减免 集聚 开展 推广 应用 评定
    入选 迈上 跨越 淘汰 关停 退出 化解 节约 回收 处置 竣工 交付 上线 通车 投产 新开工 栽植 造林 种植 整合
    不低于 不少于 不超过 不高于 保持 新辟 降至 降到 植树""".split(),
    key=len,
    reverse=True,
)
TARGET_VERB = re.compile("|".join(TARGET_VERBS))
ENDS_ON_VERB = re.compile("(?:" + "|".join(TARGET_VERBS) + ")$")
ADJACENT_VERB = re.compile(r"(?:达|超|过|逾|为|至|到|近|约)$")
VERB_PREFIX = re.compile(r"^[新再]?(?:" + "|".join(TARGET_VERBS) + r")+")

_CAP_CUES = re.compile(r"控制在|不超过|不高于|(?<!不)低于|(?:降低|下降|减少|压减|压降|缩短|削减|降)(?:到|至)")
_REDUCTION_CUES = re.compile(r"降低|下降|减少|压减|压降|缩短|削减")
_LEVEL_CUES = re.compile(
    r"累计|达到|突破|超过|增加到|增至|提高|提升|稳定在|保持在|维持在|覆盖|建成|总量|规模|占比|比重|率|余额|为|投资$"
)
_INCREMENT_CUES = re.compile(
    r"新建|新增|新引进|引进|实施|开工|开通|采购|改造|推出|建立|办好|举办|认定|谋划|培育|打造|创建|建设|优化|调整|"
    r"发放|组建|设立|培训|改扩建|改建|修建|新辟|铺设|新开|推进|再有|再"
)
_SIZE_CLASS = re.compile(r"规模以上|规上|限额以上|规模化")
_GREATER_CUES = re.compile(r"(?:突破|超过|超|过|逾|(?<!不)高于|大于)$")
_APPROX_CUES = re.compile(r"(?:约|大约|近|接近)$")
_AT_LEAST_CUES = re.compile(r"(?:不低于|不少于)$")
_GROWTH_CUES = re.compile(r"增长|增速|增幅|涨幅|提高(?!到|至)")
_LEVEL_VERBS = re.compile(r"累计|建成")
COMPARATOR_SUFFIX = {
    "以上": ">=",
    "及以上": ">=",
    "以下": "<=",
    "以内": "<=",
    "左右": "~",
    "上下": "~",
    "多": ">",
    "余": ">",
}


def kind_of(governing: str, unit: str, suffix: str = "") -> str:
    """growth_rate | level | increment | cap | reduction, from the verb governing the figure and its unit."""
    governing = _SIZE_CLASS.sub("", governing)  # 新增规模以上工业企业: a class of firms, not a size (规模)
    if _CAP_CUES.search(governing) or suffix in ("以下", "以内"):
        return "cap"
    if _REDUCTION_CUES.search(governing):
        return "reduction"
    if unit == "个百分点":
        return "increment"  # 提高2个百分点: a change of a rate
    if unit == "%" and _GROWTH_CUES.search(governing):
        return "growth_rate"
    if _LEVEL_VERBS.search(governing):
        return "level"
    last_level = max((m.end() for m in _LEVEL_CUES.finditer(governing)), default=-1)
    last_increment = max((m.end() for m in _INCREMENT_CUES.finditer(governing)), default=-1)
    if unit == "%" and last_increment > last_level:
        return "level"
    return "increment" if last_increment > last_level else "level"


def comparator_of(lead: str, suffix: str, kind: str) -> str:
    """>=, >, ~ or <=, from the words just before the figure and the qualifier after it."""
    if kind == "cap" or suffix in ("以下", "以内"):
        return "<="
    if suffix in ("左右", "上下") or _APPROX_CUES.search(lead):
        return "~"
    if suffix in ("以上", "及以上"):
        return ">="
    if _AT_LEAST_CUES.search(lead):
        return ">="
    if suffix in ("多", "余") or _GREATER_CUES.search(lead):
        return ">"
    return ">="


_HORIZON = re.compile(r"(?:今后|未来)(?P<n>[一二三四五六七八九十两]|\d{1,2})年")
_YEAR_WITH_MONTH = re.compile(r"\d{4}年(1[0-2]|[1-9])月")
_PLAN_PERIOD_END = re.compile("(?P<name>" + "|".join(PERIOD_ENDS) + r")”?(?:期间|时期|末)")


_BY_YEAR_END = re.compile("到年")


@cache  # a calendar fact, asked for every figure
def month_end(year: int, month: int = 12) -> date:
    return date(year, month, calendar.monthrange(year, month)[1])


def deadline_of(
    folded: str, sentence_start: int, at: int, ctx: Context, years: Sequence[YearMention] | None = None
) -> date | None:
    """The date a target is due: the last year named before it (`years`, when already found), a plan
    period's end, else the reference year's end."""
    if years is None:
        years = years_between(folded, sentence_start, at)
    segment = folded[sentence_start:at]
    named = [(m.start(), PERIOD_ENDS[m.group("name")]) for m in _PLAN_PERIOD_END.finditer(segment)]
    periods = [(at, end) for at, end in named if ctx.present_year is None or end >= ctx.present_year]
    if ctx.present_year is not None:
        # 今后五年 / 未来三年 (the next N years) count the present year as the first: a 2025 report's 今后五年
        # ends in 2029, a plan speaking from 2026 means 2026-2030 by 未来五年.
        for m in _HORIZON.finditer(segment):
            n = m.group("n")
            years_ahead = int(n) if n.isdigit() else int(parse_chinese(n) or 0)
            if years_ahead:
                periods.append((m.start(), ctx.present_year + years_ahead - 1))
    later = max(
        [y.at - sentence_start for y in years] + [m.start() for m in _BY_YEAR_END.finditer(segment)] + [-1]
    )
    if periods and max(periods)[0] > later:
        return date(max(periods)[1], 12, 31)  # “十五五”期间…: the end of the named plan period
    year, month = None, None
    if years:
        year, month = years[-1].year, years[-1].month
        if month is None:
            mm = _YEAR_WITH_MONTH.match(folded, years[-1].at, at)
            month = int(mm.group(1)) if mm else None
    if year is None:
        year = ctx.reference_year
    if year is None:
        return None
    return month_end(year, month or 12)


METRIC_FILLER_WORDS = (
    r"^[-•·*▪.]+|^(?:并且|并|同时|而且|此外|另外|其中)|(?:到|在|于)?(?<![比较])(?:19|20)\d\d年度?(?:底|末)?(?:前|之前)?|到年(?:底|末)?|(?:\d{1,2}|[一二三四五六七八九十两])年(?:内|来|间)|今年|全年|年内|明年|每年|年度(?!计划)|力争|争取|初步|"
    r"计划(?!投资)|将|还|也|(?<![重主需纲摘])要(?![素求点件])|我们|我[市省区县]|全[市省区县]|本[市省区县]|市政府|^[\u4e00-\u9fff]{2,3}市(?=[\u4e00-\u9fff]{4})|预期(?!寿命)|目标为|目标|"
    r"分别|[“”\"「」《》()（）·]|^(?:以上|左右)|的$|等$|是$|将会|进一步"
)
# Each filler not anchored at the start begins on one of these characters. Tried only there, the forty
# alternatives cost a seventh of their time; a filler added on a new first character must add it here
# (test_fields.py holds METRIC_FILLER to METRIC_FILLER_WORDS).
_FILLER_FIRST = (
    r"\d一二三四五六七八九十两到在于今全年明每力争初计"
    r"将还也要我本市预目分“”\"「」《》()（）·的等是进"
)
METRIC_FILLER = re.compile(r"(?:^|(?=[" + _FILLER_FIRST + r"]))(?:" + METRIC_FILLER_WORDS + ")")
METRIC_TRAILING_VERB_WORDS = (
    r"(?:达到|达|突破|超过|超|过|提高到|提高至|提升到|提升至|稳定在|保持在|控制在|维持在|增加到|增至|减少到|减少至|"
    r"降低到|降低至|下降到|下降至|降至|降到|减至|不低于|不少于|不超过|不高于|保持|迈上|跨上|迈过|为|在|约|近|有|将|累计|覆盖全市|覆盖)+$"
)
# Tried only on the verbs' first characters (a verb added on a new one must add it here; test_fields.py
# holds the two forms equal).
_TRAILING_VERB_FIRST = "达突超过提稳保控维增减降下不迈跨为在约近有将累覆"
METRIC_TRAILING_VERB = re.compile("(?=[" + _TRAILING_VERB_FIRST + "])" + METRIC_TRAILING_VERB_WORDS)
_DIGIT = re.compile(r"\d")
_HAN_DE_HAN = re.compile(r"(?<=[\u4e00-\u9fff])的(?=[\u4e00-\u9fff])")
# The noun a figure counts ends at a clause's punctuation or a line break (a headline's next line is
# no part of it: 今年济南将年度完成投资1600亿元以上 / 鲁网1月19日讯).
NOUN_AFTER = re.compile(r"[^,，;；:：。、\d\n]*")
# A framing phrase before the target itself: 围绕政府工作报告提出的“培育重点数据企业1400家以上”.
FRAMING = re.compile(
    r"^(?:围绕|按照|根据|依据|对照|落实|贯彻)[^,，;；:：。、]{1,20}?(?:提出|要求|部署|确定|明确)的?"
)
# A counted noun right after the figure, as a list of names before it needs (…、金融保险5个数据产业集群).
_LISTED_NOUN = re.compile(r"[\u4e00-\u9fff]{2,10}")
_NOT_A_NOUN = re.compile(
    r"^(?:的|也|是|将|为|并|和|及|与|或|等|以上|左右|以内|目标|任务|水平|大关|台阶|关口)"
)
_NOUN_STOP = re.compile(r"以上|左右|或|和|等")
_NO_NOUN = re.compile(r"^(?:大关|台阶|关口|目标|水平)$")
_QUALIFIER_HEAD = re.compile(r"(?:总投资|投资|规模|面积)?$")


def counts_forward(lead: str) -> bool:
    """Whether the counted noun follows the figure (新建2个节点, 实施…等98个重点项目), not precedes it."""
    core = METRIC_TRAILING_VERB.sub("", METRIC_FILLER.sub("", lead)).strip("、,，和及与")
    qualified = lead.endswith("的") and bool(_DIGIT.search(lead))  # 抓好总投资2.66万亿元的2000个重大项目
    return len(core) <= 3 or lead.endswith("等") or qualified or bool(ENDS_ON_VERB.search(core))


_VERB_AHEAD = "(?=" + "|".join(TARGET_VERBS) + ")"
# Words that open a clause but are no part of the indicator: 对于…, 统筹实施…, 再有10条…, 确保…率达到.
LEADING_FILLER = re.compile(
    r"^(?:对于|对(?![外口])|关于|提出|指出|明确|表示|强调|预计|确保|努力|"
    r"(?:统筹|加快|加速|扎实|全力|大力|积极|着力|持续|深入|全面|重点|高质量|有序|稳步|稳妥|推动|推进|促进|还|并|也|共)"
    + _VERB_AHEAD[:-1]
    + r"|抓好|抓实)|再(?!生|就业|制造|融资|贷款|担保|保险|造))+"
)
# Before a noun that a level verb follows (…覆盖率达到90%), a frame verb is no part of the indicator either.
_FRAME_VERB = re.compile(r"^(?:实现|推动|推进|促进|保持|完成|力争|争取)(?=[\u4e00-\u9fff]{3})")


def metric_of(lead: str, following: str, forward: bool | None = None) -> str:
    """The indicator a figure measures, from the words before it
    (or the noun after it when it counts forward: `counts_forward(lead)`, when the caller knows it)."""
    framed = FRAMING.sub("", lead)
    if forward is None or framed != lead:
        forward = counts_forward(framed)
    lead = framed
    metric = METRIC_FILLER.sub("", lead)
    metric = METRIC_TRAILING_VERB.sub("", metric)
    metric = metric.strip("、,，和及与的")
    metric = LEADING_FILLER.sub("", metric)
    if not forward:
        metric = _FRAME_VERB.sub("", metric)
        if not _DIGIT.search(metric):
            metric = _HAN_DE_HAN.sub("", metric)  # 新能源汽车的保有量
        listed = _LISTED_NOUN.match(following)
        if "、" in metric and listed and not _NOT_A_NOUN.match(listed.group(0)):
            # 打造数据标注、…、金融保险5个数据产业集群: the names listed, then what they are
            metric += listed.group(0)
        return metric[:40]
    noun_match = NOUN_AFTER.match(following)
    noun = noun_match.group(0) if noun_match else ""
    noun = _NOUN_STOP.split(noun)[0].split("的")[-1] if noun else ""
    noun = _NO_NOUN.sub("", noun)  # 突破2万亿元大关: no counted noun
    if lead.endswith("等"):  # 实施太平水库、城市轨道交通等98个重点项目: the count is of the noun after
        verb = TARGET_VERB.search(metric)
        metric = verb.group(0) if verb else ""
    elif lead.endswith("的") and (digit := _DIGIT.search(metric)):
        # 抓好总投资2.66万亿元的2000个重大项目: the qualifier is dropped
        metric = _QUALIFIER_HEAD.sub("", metric[: digit.start()], count=1)
    metric = LEADING_FILLER.sub("", metric + METRIC_FILLER.sub("", noun))
    return metric[:40]


def clause_subject(folded: str, sentence_start: int, start: int) -> str:
    """The subject of the clause before `start`, up to its first verb (确保GDP增速不低于… -> GDP增速)."""
    if start - 1 <= sentence_start:
        return ""
    previous = folded[clause_start(folded, sentence_start, start - 1) : start - 1]
    subject = LEADING_FILLER.sub("", METRIC_FILLER.sub("", previous))
    verb = TARGET_VERB.search(subject)
    subject = subject[: verb.start()] if verb else ""
    return subject if 2 <= len(subject) <= 15 and not _DIGIT.search(subject) else ""


_MAGNITUDE_PREFIX = re.compile(r"^(?:万亿|亿|万|千|百)")


def earlier_noun(folded: str, sentence_start: int, earlier: Sequence[Figure], unit: str) -> str:
    """The noun counted by an earlier figure of the same unit in the sentence (建成5G基站3万个 -> 5G基站)."""
    base = _MAGNITUDE_PREFIX.sub("", unit)
    for f in reversed(earlier):
        if _MAGNITUDE_PREFIX.sub("", f.unit) != base:
            continue
        lead = folded[clause_start(folded, sentence_start, f.start) : f.start]
        verbs = list(TARGET_VERB.finditer(lead))
        noun = METRIC_FILLER.sub("", lead[verbs[-1].end() :] if verbs else "")
        return noun if 1 < len(noun) <= 12 else ""
    return ""


_DEPARTMENT = re.compile(
    r"[\u4e00-\u9fff]{0,4}?[市省区县](?:人民政府|政府|[\u4e00-\u9fff]{1,12}?(?:(?<![格布大全结开终棋定时变饭战政])局|委员会|办公室|管委会))"
)
# What every department's name ends on: without one before the figure, there is no name to look for.
_DEPARTMENT_END = re.compile(r"政府|局|委员会|办公室|管委会")


def department_of(
    folded: str, sentence_start: int, at: int, paragraph_start: int, speakers: Mapping[str, str] | None
) -> str | None:
    """Who commits to the figure: the speaker last named (from the manifest),
    else a department named before it."""
    if speakers:
        best, best_pos = None, -1
        window_start = max(paragraph_start, at - 600)
        for name, department in speakers.items():
            pos = folded.rfind(name, window_start, at)
            if pos > best_pos:
                best, best_pos = department, pos
        after = folded[at : min(len(folded), at + 200)]
        for name, department in speakers.items():
            if re.search("”" + r"[^。“]{0,6}?" + re.escape(name) + r"(?:表示|说|指出|介绍|强调)", after):
                return department  # a quote attributed after it: “…”王明表示
        if best is not None:
            return best
    if _DEPARTMENT_END.search(folded, sentence_start, at) is None:
        return None
    subjects = [m.group(0) for m in _DEPARTMENT.finditer(folded, sentence_start, at)]
    return subjects[-1] if subjects else None
