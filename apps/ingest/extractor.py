"""Finds the quantitative targets a Chinese policy text commits to (新建5G基站7000个, 增长5.5%以上).

Plain Python with no Django import, so it can be tested and benchmarked alone. The rules are
linguistic (verbs, units, qualifiers, tense markers), never keyed to particular documents.
"""

from __future__ import annotations

import calendar
import re
from dataclasses import dataclass, replace
from datetime import date
from decimal import Decimal, InvalidOperation

__all__ = ["Mention", "extract", "infer_reference_year", "to_json"]


@dataclass(frozen=True)
class Mention:
    start: int  # offsets into the text passed in: quote == text[start:end]
    end: int
    quote: str
    metric: str
    value: Decimal | None
    value_max: Decimal | None
    unit: str
    kind: str  # growth_rate | level | increment | cap | reduction | milestone
    comparator: str  # ">=", ">", "~", "<="
    deadline: date | None
    department: str | None
    confidence: float
    incomplete: bool
    headline: bool = False  # found in a standalone headline (打造400个智慧社区), which repeats the body


# ---------------------------------------------------------------------------------------------
# Normalisation: whitespace removed, full-width folded to half-width, offsets kept.

_FULL_WIDTH = {chr(c): chr(c - 0xFEE0) for c in range(0xFF01, 0xFF5F)}
_FULL_WIDTH.update({"\u3000": " ", "～": "~", "—": "-", "–": "-", "－": "-", "〇": "零"})
_FOLD = str.maketrans(_FULL_WIDTH)
_CN_YEAR = re.compile(r"[一二三四五六七八九〇零○]{4}(?=年)")
_CN_YEAR_DIGITS = str.maketrans("〇零○一二三四五六七八九", "000123456789")


def _fold_chars(text: str) -> str:
    """Full-width folded to half-width and years in Chinese numerals (二〇三〇年) to digits, length kept."""
    return _CN_YEAR.sub(lambda m: m.group(0).translate(_CN_YEAR_DIGITS), text).translate(_FOLD)


_SENTENCE_END = "。！？!?"
_CLAUSE_END = ",，;；:：" + _SENTENCE_END
_PUNCTUATION = set(_CLAUSE_END + "、")
_BREAK = "\n"  # inserted between paragraphs in the folded text


@dataclass
class _Folded:
    text: str  # whitespace-free, half-width, paragraphs separated by _BREAK
    offsets: list[int]  # folded index -> original index (len(text) + 1 entries)
    headings: list[tuple[int, int]]  # folded spans of headline blocks


_BLOCK_SPLIT = re.compile(r"\n[ \t\u3000\r]*\n\s*")
_UNIT_START = re.compile(
    r"[万亿千百%个家条项处场所辆列组人亩吨斤元米户天台套座名件类P公平立微岁倍标株盏头张]"
)


# The ordinal that numbers a section heading (一、 （二） 3.) is no punctuation of the heading itself.
_HEADING_ORDINAL = re.compile(
    r"^(?:[一二三四五六七八九十]+、|[(（][一二三四五六七八九十\d]+[)）]|\d+[、.．](?!\d))"
)


def _is_unpunctuated(block: str) -> bool:
    folded = _HEADING_ORDINAL.sub("", block).translate(_FOLD)
    return not any(ch in _PUNCTUATION for ch in folded) and not _HALF_WIDTH_STOP.search(folded)


def _has_figure(block: str) -> bool:
    return bool(_DIGIT_FIGURE.search(block.translate(_FOLD)))


_RUN_OR_NEWLINE = re.compile(r"[^\s]+|\n")
_HALF_WIDTH_STOP = re.compile(
    r"(?<=[^\dA-Za-z.])\.(?!\d)|(?<=\d)\.(?![\dA-Za-z])|(?<=[\u4e00-\u9fff])\.(?=(?:19|20)\d\d年)"
)
_INDENTED_LINE = re.compile(r"[ \t\u3000]+\S")


def _ends_on_figure(block: str) -> bool:
    folded = block.translate(_FOLD)
    return any(m.end() == len(folded) for m in _DIGIT_FIGURE.finditer(folded, max(0, len(folded) - 20)))


# A numbered section heading on a line of its own (一、2024年工作回顾 / （二）扩大有效投资), after a line
# that ended a sentence: a block of its own even without blank lines around it.
_NUMBERED_HEADING_LINE = re.compile(
    r"(?m)^[ \t\u3000]*(?:[一二三四五六七八九十]+、|[(（][一二三四五六七八九十]+[)）])[^\n,，。;；:：!！?？]{1,30}[ \t\u3000\r]*$"
)


def _split_numbered_headings(text: str, start: int, end: int) -> list[tuple[int, int]]:
    pieces, pos = [], start
    for m in _NUMBERED_HEADING_LINE.finditer(text, start, end):
        before = text[start : m.start()].rstrip()
        if before and before[-1] not in _SENTENCE_END + ":：”」）)":
            continue  # inside a sentence broken by the layout
        if m.start() > pos:
            pieces.append((pos, m.start()))
        pieces.append((m.start(), m.end()))
        pos = m.end()
    pieces.append((pos, end))
    return [(s, e) for s, e in pieces if e > s]


def _fold(text: str) -> _Folded:
    """Fold the text, deciding which line breaks are paragraph breaks and which blocks are headlines."""
    blocks = []  # (start, end) of blank-line separated blocks in the original
    pos = 0
    for m in _BLOCK_SPLIT.finditer(text):
        blocks.append((pos, m.start()))
        pos = m.end()
    blocks.append((pos, len(text)))
    blocks = [
        piece
        for s, e in blocks
        for piece in _split_numbered_headings(text, s, e)
        if text[piece[0] : piece[1]].strip()
    ]

    def stripped(i):
        return re.sub(r"\s+", "", text[blocks[i][0] : blocks[i][1]])

    def short_bare(i):  # a short block with no punctuation: a headline or a list item
        return 0 <= i < len(blocks) and len(stripped(i)) <= 40 and _is_unpunctuated(stripped(i))

    def indented(i):
        s, _ = blocks[i]
        line_start = text.rfind("\n", 0, s) + 1
        return bool(re.match(r"[ \t\u3000]+", text[line_start : s + 1])) or s > line_start

    kinds = []  # per block: "heading", "item" or "body"
    for i in range(len(blocks)):
        if not short_bare(i):
            kinds.append("body")
            continue
        figure_neighbour = any(short_bare(j) and _has_figure(stripped(j)) for j in (i - 1, i + 1))
        if _has_figure(stripped(i)) and figure_neighbour:
            kinds.append("item")  # a run of figure lines: an infographic or a list, not a headline
            continue
        previous = stripped(i - 1) if i > 0 else ""
        # the tail of a sentence broken by the layout, unless that sentence ended on a figure (list lines
        # in summaries carry no full stop: "财政民生支出1093.6亿元，占比达到80.1%")
        continuation = (
            previous
            and previous[-1]
            not in _SENTENCE_END + "”」:：.）)】》』"  # a half-width full stop, a closed bracket too
            and not _is_unpunctuated(previous)
            and not _ends_on_figure(previous)
        )
        kinds.append("body" if indented(i) or continuation else "heading")

    out: list[str] = []  # folded pieces
    offsets: list[int] = []
    headings: list[tuple[int, int]] = []
    last = ""  # the last folded character written

    def emit_break(at):
        nonlocal last
        if out and last != _BREAK:
            out.append(_BREAK)
            offsets.append(at)
            last = _BREAK

    for i, (s, e) in enumerate(blocks):
        if i > 0:
            prev_text = stripped(i - 1)
            joined = (
                kinds[i] == kinds[i - 1] == "body" and prev_text[-1] not in _SENTENCE_END and not indented(i)
            ) or (re.search(r"[\d.万亿千]$", prev_text) and _UNIT_START.match(stripped(i)))
            if not joined:
                emit_break(s)
        start_folded = len(offsets)
        for m in _RUN_OR_NEWLINE.finditer(text, s, e):
            if m.group(0) == "\n":
                # a new indented line inside a block starts a paragraph (newspaper layout)
                if last in _SENTENCE_END or _INDENTED_LINE.match(text, m.end()):
                    emit_break(m.start())
                continue
            run = _fold_chars(m.group(0))
            out.append(run)
            offsets.extend(range(m.start(), m.end()))
            last = run[-1]
        if kinds[i] == "heading":
            headings.append((start_folded, len(offsets)))
        if kinds[i] != "body":
            emit_break(e)
    offsets.append(len(text))
    folded = _HALF_WIDTH_STOP.sub("。", "".join(out))  # a half-width full stop, not a decimal point
    return _Folded(folded, offsets, headings)


# ---------------------------------------------------------------------------------------------
# Figures: a number (digits, Chinese numerals or an implicit 千/万) followed by a unit.

_BASE_UNITS = sorted(
    """微克/立方米 个百分点 个工作日 平方公里 平方米 立方米 千瓦时 千瓦 千米 公里 公顷 美元 元/亩 元/平方米 元 亩 吨 斤
    辆 列 个 家 条 项 处 场 所 组 人次 人 户 座 台 套 张 名 件 类 天 小时 分钟 次 部 艘 架 栋 床 公斤 米
    岁 倍 标箱 株 棵 盏 头 只 GW MW kW TEU P %""".split(),
    key=len,
    reverse=True,
)
_UNIT = (
    r"(?P<mag>万亿|亿|万|千|百)?(?P<base>" + "|".join(re.escape(u) for u in _BASE_UNITS) + r")(?![A-Za-z])"
)
_NUMBER = r"(?:\d{1,3}(?:,\d{3})+|\d+)(?:\.\d+)?|\.\d+"
_DIGIT_FIGURE = re.compile(
    r"(?<![\d.A-Za-z])(?P<num>"
    + _NUMBER
    + r")(?:(?:万亿|亿|万)?(?P<sep>[~\-至到])(?P<num2>\d+(?:\.\d+)?)(?=[万亿千百]?[^\d]))?"
    r"(?:" + _UNIT + r"|(?P<bare>万亿|亿|万)(?=以上|左右|以内|$|[,;:。！？!?、)\n]))"
)
_CN_DIGITS = "零一二两三四五六七八九十百千万亿"
_CN_FIGURE = re.compile(r"(?P<cn>[" + _CN_DIGITS + r"]+)" + _UNIT)
# Chinese numerals are mostly rhetoric (三个方面, 两大产业); only count them straight after a verb of amount,
# or where they end a clause after the noun they count (新建学校三十所).
_CLAUSE_END_AHEAD = re.compile(r"(?:以上|左右)?(?:[,;。!?、\n]|$)")
_CN_PERCENT = re.compile(r"百分之(?P<cn>[零一二两三四五六七八九十]+)(?:点(?P<frac>[零一二三四五六七八九]+))?")
_CN_VERB = re.compile(
    r"(?:突破|超过|达到|稳定在|保持在|控制在|增加到|增至|提高到|提升到|新增|新建|建成|逾|迈上|跨上|迈过|跨越|引进|培育)$"
)
_LOST_FIGURE = re.compile(
    r"(?:达到|达|突破|超过|增加到|提高到|提高至|提升到|提升至|为)(?P<unit>个|家|亿元|万元|%)(?=[,;:。、])"
)
_LOST_COUNT = re.compile(
    r"(?:新建|建设|建成|培育|打造|新增|引进)(?P<noun>[\u4e00-\u9fff]{2,10}?)(?P<unit>家|座)(?=[,;:。、])"
)
_WORD_ENDING_IN_UNIT = set("企专国大作学商农东行画艺酒管自全万千居回安成")

_CN_VALUES = {
    "零": 0,
    "一": 1,
    "二": 2,
    "两": 2,
    "三": 3,
    "四": 4,
    "五": 5,
    "六": 6,
    "七": 7,
    "八": 8,
    "九": 9,
}
_CN_SCALES = {"十": 10, "百": 100, "千": 1000}


def _parse_chinese(numeral: str) -> Decimal | None:
    total, digit = 0, None
    for ch in numeral:
        if ch in _CN_VALUES:
            digit = _CN_VALUES[ch]
        elif ch in _CN_SCALES:
            total += (1 if digit is None else digit) * _CN_SCALES[ch]
            digit = None
        else:
            return None
    total += digit or 0
    return Decimal(total) if total else None


@dataclass
class _Figure:
    start: int  # folded offsets of the number
    end: int  # end of the unit
    value: Decimal | None
    value_max: Decimal | None
    unit: str
    implicit: bool = False  # 千列, 突破万亿元: no digits written
    chinese: bool = False
    lost: bool = False  # the figure is missing from the source


def _decimal(raw: str) -> Decimal | None:
    try:
        return Decimal(raw.replace(",", ""))
    except InvalidOperation:
        return None


def _find_figures(folded: str) -> list[_Figure]:
    figures = []
    for m in _DIGIT_FIGURE.finditer(folded):
        unit = m.group("bare") or (m.group("mag") or "") + m.group("base")
        raw = m.group("num")
        lost = raw.startswith(".")  # "达到.8亿元": the leading digits were lost in the source
        value = None if lost else _decimal(raw)
        value_max = _decimal(m.group("num2")) if m.group("num2") else None
        if value_max is not None and value is not None and value_max <= value:
            value_max = None
        figures.append(_Figure(m.start(), m.end(), value, value_max, unit, lost=lost))
    for m in _CN_FIGURE.finditer(folded):
        # …or ending a clause after the noun they count (新建学校三十所, 打造产业集群两个, 开行千列以上)
        after_noun = m.start() > 0 and re.match(r"[\u4e00-\u9fff]", folded[m.start() - 1])
        counted_noun = (
            after_noun
            and folded[m.start() - 1] not in _CN_DIGITS + "第每近约"
            and _CLAUSE_END_AHEAD.match(folded, m.end())
        )
        if not (_CN_VERB.search(folded[max(0, m.start() - 4) : m.start()]) or counted_noun):
            continue
        numeral, mag = m.group("cn"), m.group("mag") or ""
        for scale in ("万亿", "亿", "万"):  # a trailing 万/亿 belongs to the unit as written: 五万辆
            if numeral.endswith(scale) and not mag:
                numeral, mag = numeral[: -len(scale)], scale
                break
        unit = mag + m.group("base")
        if not numeral:  # 突破万亿元: an implicit one
            value, implicit = Decimal(1), True
        elif numeral in _CN_SCALES:  # 千列: an implicit one thousand
            value, implicit = Decimal(_CN_SCALES[numeral]), True
        else:
            value, implicit = _parse_chinese(numeral), False
        if value is not None:
            figures.append(
                _Figure(m.start(), m.end(), value, None, unit, implicit=implicit, chinese=not implicit)
            )
    for m in _CN_PERCENT.finditer(folded):  # 百分之五点五 = 5.5%
        whole = _parse_chinese(m.group("cn"))
        if whole is None and m.group("cn") not in ("零",):
            continue
        digits = "".join(str(_CN_VALUES[ch]) for ch in (m.group("frac") or ""))
        value = Decimal(f"{whole or 0}.{digits}") if digits else Decimal(whole or 0)
        figures.append(_Figure(m.start(), m.end(), value, None, "%", chinese=True))
    for pattern in (_LOST_FIGURE, _LOST_COUNT):
        for m in pattern.finditer(folded):
            if "noun" in m.groupdict() and (
                re.search(r"[\d" + _CN_DIGITS + "]", m.group("noun"))
                or m.group("noun")[-1] in _WORD_ENDING_IN_UNIT
            ):
                continue
            at = m.start("unit")
            figures.append(_Figure(at, m.end(), None, None, m.group("unit"), lost=True))
    figures.sort(key=lambda f: f.start)
    deduped: list[_Figure] = []
    for f in figures:
        if deduped and f.start < deduped[-1].end:
            continue
        last = deduped[-1] if deduped else None
        if (
            last is not None
            and f.start == last.end + 1
            and folded[last.end] in "~-至到"
            and f.unit == last.unit
            and last.value_max is None
            and f.value is not None
            and last.value is not None
            and f.value > last.value
        ):
            last.value_max, last.end = f.value, f.end  # 5%-6%, 3万～5万人: one range
            continue
        deduped.append(f)
    return deduped


# ---------------------------------------------------------------------------------------------
# Context: sentence, clause, tense and the verb that governs a figure.

_SUFFIX = re.compile(r"(?:及以上|以上|以下|以内|左右|上下|多|余)")
_AT_LEAST_CUES = re.compile(r"(?:不低于|不少于)$")
_COMPARATOR_SUFFIX = {
    "以上": ">=",
    "及以上": ">=",
    "以下": "<=",
    "以内": "<=",
    "左右": "~",
    "上下": "~",
    "多": ">",
    "余": ">",
}

_THRESHOLD_OF = re.compile(r"(?:以上|以下)的")
_ATTENDANCE = re.compile(r"(?:应出席|应到|实到|出席|列席|到会|参会|与会)[^,，;；。]{0,8}$")
_COMPARED_DELTA = re.compile(r"比(?:上年|去年|上一年|前一年|(?:19|20)\d\d年)(?:同期)?(?:多|少)$")

# Verbs that give a figure to a target, longest first so 提高到 wins over 提高.
_TARGET_VERBS = sorted(
    """达到 突破 超过 增长 增加 增至 增加到 提高 提升 稳定在 保持在 控制在 维持在 降低 下降 减少 压减 压降 缩短
    新建 建成 建设 新增 累计 实施 打造 培育 引进 新引进 开工 开通 采购 改造 推出 建立 完成 实现 办好 举办 认定
    覆盖 谋划 争取 力争 推进 确保 满足 创建 创成 新认定 新开工 优化 调整 开行 培养 吸引 招引 签约 投资 计划投资
    扩大 发放 改扩建 更新 组建 设立 培训 惠及 布设 铺设 安装 部署 新开 新设 再有 达 接待 引育 新培育 改建 修建
    新改建 治理 整治 修复 投用 投运 提供 供应 安置 筹集 筹建 救助 帮扶 资助 补贴 减免 集聚 开展 推广 应用 评定
    入选 迈上 跨越 淘汰 关停 退出 化解 节约 回收 处置 竣工 交付 上线 通车 投产 新开工 栽植 造林 种植 整合
    不低于 不少于 不超过 不高于 保持 新辟 降至 降到 植树""".split(),
    key=len,
    reverse=True,
)
_TARGET_VERB = re.compile("|".join(_TARGET_VERBS))
_ENDS_ON_VERB = re.compile("(?:" + "|".join(_TARGET_VERBS) + ")$")
_ADJACENT_VERB = re.compile(r"(?:达|超|过|逾|为|至|到|近|约)$")

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

# Tense markers, scanned left to right through a sentence up to the figure.
_PERIOD_ENDS = {
    "十一五": 2010,
    "十二五": 2015,
    "十三五": 2020,
    "十四五": 2025,
    "十五五": 2030,
    "十六五": 2035,
    "第十四个五年": 2025,  # 第十四个五年规划: the 14th five-year plan's full name
    "第十五个五年": 2030,
}
_YEAR = re.compile(r"(?<![\d])(?P<year>(?:19|20)\d\d)年(?!代)(?:(?P<month>1[0-2]|[1-9])月)?")
_PAST_MARKERS = re.compile(
    r"(?<![比较同与])(?:去年|上年|前年)|过去|截至|截止|以来|年来|已经|已|曾|刚刚|"
    r"(?<![为除])(?:[\u4e00-\u9fff])了(?![解如结])"
)
# Past only where nothing before them in the sentence points forward: 力争同比增长5%.
_WEAK_PAST_MARKERS = re.compile(
    r"同比|上半年|前三季度|一季度|前\d+个?月|\d+-\d+月|全年实现|初步核算|初步统计"
)
_PRESENT_MARKERS = re.compile(r"目前|现在|当前|现有|已有")
# 全年实现地区生产总值1.2万亿元 is how a year's result is reported; 力争全年实现… stays a target.
_WEAK_FUTURE_MARKERS = re.compile(r"全年(?!实现)|年度|目标|预期")
_ESTIMATE_MARKERS = re.compile(r"预计|估计|预估|有望")
_FUTURE_MARKERS = re.compile(r"今年|明年|将|力争|争取|计划|确保|下一步|未来|拟|到年|今后|新的一年|每年")
_PAST_PERIOD_OPENER = re.compile(
    r"^(?:[^,，。]{0,8}?(?:显示|介绍|表示|指出|获悉|了解到|透露)[,，:：])?"  # 报告显示，去年…: a reporting lead
    r"[“\"「(（]*(?:去年|上年|过去|近年来|近几年|截至|截止|回顾|今年以来|[一二三四五六七八九十几\d]+年来|这[一二三四五几]年)"
)

_ORGANISING_NOUNS = re.compile(
    r"^(?:个|项|大|类)?(?:方面|领域|重点工作|工作|任务|攻坚任务|举措|措施|环节|部分|维度|主要指标|指标|主要目标|目标|"
    r"要求|原则|理念|板块|阶段|步骤|问题|字)"
)
_PROJECT_NOUN = re.compile(r"项目")
_ENUMERATION = re.compile(r"、|以及|和|及|与|或")
_LEFTOVER = re.compile(r"(?:以上|左右|以下|以内|、|以及|和|及|与|或)*")
_PORTFOLIO_SUM = re.compile(r"总投资[^,;。\d]{0,4}[\d.]+[万亿]*元(?!以上|以下|及以上)")
_NAME_HEADS = re.compile(
    r"^(?:工程|行动|计划|战略|体系|格局|模式|目标|工作|机制|政策|品牌|示范|平台|战役|攻坚)"
)
_DEPARTMENT = re.compile(
    r"[\u4e00-\u9fff]{0,4}?[市省区县](?:人民政府|政府|[\u4e00-\u9fff]{1,12}?(?:(?<![格布大全结开终棋定时变饭战政])局|委员会|办公室|管委会))"
)


# A year stated as a deadline (到2025年, 力争至2026年, 2024年底前, 2023—2025年) is a target's horizon, never
# a finished period, whatever year the document speaks from. 截至/截止 (as of) are the opposite.
_DEADLINE_BEFORE = re.compile(r"(?:(?<![截止])(?:到|至)|[\d年]-)$")
_DEADLINE_AFTER = re.compile(r"(?:(?:1[0-2]|[1-9])月)?年?(?:底|末)?(?:前|之前|以前)")
_YEAR_END_AFTER = re.compile(r"(?:(?:1[0-2]|[1-9])月)?年?(?:底|末)")


def _years_before(folded: str, start: int, end: int) -> list[tuple[int, int, int | None, str]]:
    """(position, year, month, mark) of each year named between start and end, skipping baselines (比2020年).

    mark is "deadline" for a year stated as a deadline, "year_end" for a bare year end (2024年底), else "".
    """
    found = []
    for m in _YEAR.finditer(folded, start, end):
        before = folded[max(start, m.start() - 2) : m.start()]
        if re.search(r"(?:比|较|与|同|相比|对比|于)$", before):
            continue
        month = int(m.group("month")) if m.group("month") else None
        mark = ""
        if _DEADLINE_BEFORE.search(before) or _DEADLINE_AFTER.match(folded, m.end()):
            mark = "deadline"
        elif _YEAR_END_AFTER.match(folded, m.end()) and not re.search(
            r"截[至止]", folded[max(0, m.start() - 3) : m.start()]
        ):
            mark = "year_end"
        found.append((m.start(), int(m.group("year")), month, mark))
    return found


@dataclass
class _Context:
    present_year: int | None  # the year the document speaks from: what counts as past
    reference_year: int | None  # what 今年 means, or the plan's horizon
    # False when the present year was only guessed from the years the text names
    present_explicit: bool = True

    def is_past(self, year: int, mark: str) -> bool:
        """Whether a named year is a finished period rather than a target's horizon."""
        if self.present_year is None or mark == "deadline":
            return False
        if mark == "year_end" and not self.present_explicit:
            return False  # 2024年底…2025年底 in an undated text: deadlines, not results
        return year < self.present_year


_REACHED = re.compile(r"达到|已|完成|实现|突破|超过")


def _reached_by(tail: str, year: int, ctx: _Context) -> bool:
    """到2023年底，全市5G基站达到3万个 in a 2024 report: a year end already passed, stated as reached.

    A deadline before the present year with a verb of amount (新建公共充电桩3000个) stays a target: a plan
    keeps its interim years. Only a dated document (reference year or dated title) has a present to pass.
    """
    if not ctx.present_explicit or ctx.present_year is None or year >= ctx.present_year:
        return False
    # 到2024年 alone is a plan's horizon; 到2023年底 reached is a result
    year_end = re.match(r"\d{4}年(?:(?:1[0-2]|[1-9])月)?(?:底|末)", tail)
    return bool(year_end and _REACHED.search(tail)) and not _FUTURE_MARKERS.search(tail)


def _tense(folded: str, sentence_start: int, at: int, ctx: _Context, paragraph_past: bool) -> str:
    """The tense a figure is stated in: future (a target), past, present or estimate."""
    state = "past" if paragraph_past else "neutral"
    events = []
    segment = folded[sentence_start:at]
    for m in _PAST_MARKERS.finditer(segment):
        events.append((m.start(), "past"))
    for m in _PRESENT_MARKERS.finditer(segment):
        events.append((m.start(), "present"))
    for m in _ESTIMATE_MARKERS.finditer(segment):
        events.append((m.start(), "estimate"))
    for m in _FUTURE_MARKERS.finditer(segment):
        events.append((m.start(), "future" if m.group(0) != "将" else "future_verb"))
    for m in _WEAK_PAST_MARKERS.finditer(segment):
        # 今年1-10月, 今年上半年: a finished part of this year, not this year's target
        this_year_part = segment[max(0, m.start() - 2) : m.start()] in ("今年", "本年")
        events.append((m.start(), "past" if this_year_part else "weak_past"))
    for m in _WEAK_FUTURE_MARKERS.finditer(segment):
        events.append((m.start(), "weak_future"))
    for pos, year, _, mark in _years_before(folded, sentence_start, at):
        if ctx.present_year is not None or mark == "deadline":
            past = ctx.is_past(year, mark) or (mark == "deadline" and _reached_by(folded[pos:at], year, ctx))
            events.append((pos - sentence_start, "past" if past else "future"))
    for name, end_year in _PERIOD_ENDS.items():
        for m in re.finditer(name, segment):
            if ctx.present_year is not None:
                events.append((m.start(), "past" if end_year < ctx.present_year else "future"))
    estimate_at, weak = -1, False
    for pos, event in sorted(events):
        if event == "estimate":
            # 全年有望达到…: a forecast, whatever 全年 suggested; …，预计新增投资120亿元: a clause that opens on
            # 预计 is a forecast, whatever an earlier clause planned.
            opens_clause = pos == 0 or segment[pos - 1] in ",;:"
            if state != "future" or weak or opens_clause:
                state, estimate_at = "estimate", pos
        elif event.startswith("future") and state == "estimate":
            # 预计到2025年，…将达到: a forecast, however far ahead it looks, until a new clause sets a target
            if event == "future" and re.search(r"[,;:]", segment[estimate_at:pos]):
                state = "future"
        elif event.startswith("weak_"):
            if state == "neutral":
                state, weak = event[len("weak_") :], True
        else:
            state, weak = ("future" if event == "future_verb" else event), False
    if state == "neutral" and ctx.present_year is not None:
        # "…规模突破6000亿元……2023年，全市数字经济建设取得突破性进展。": a finished year named later in the
        # same sentence, with nothing in it pointing forward, makes the whole sentence a past result.
        sentence_end = at
        while sentence_end < len(folded) and folded[sentence_end] not in _SENTENCE_END + _BREAK:
            sentence_end += 1
        later_years = [y for _, y, _, mark in _years_before(folded, at, sentence_end) if ctx.is_past(y, mark)]
        if (
            later_years
            and max(later_years) < ctx.present_year
            and not _FUTURE_MARKERS.search(folded[sentence_start:sentence_end])
        ):
            state = "past"
    return state


def _opens_past_period(sentence: str, ctx: _Context) -> bool:
    """A sentence that opens on a finished period (2023年，… / “十三五”时期… / 去年…) sets the paragraph in the past."""
    if _PAST_PERIOD_OPENER.match(sentence):
        return True
    head = sentence.lstrip('“"「(（')
    m = re.match(r"(?:[^,。]{0,6},|在)?((?:19|20)\d\d)年(?!度)", head)
    if m and ctx.is_past(int(m.group(1)), "deadline" if _DEADLINE_AFTER.match(head, m.end(1) + 1) else ""):
        return bool(
            re.match(r"[^,;。]{0,30}?(?:年,|年[^,;。]{0,12}?(?:是|取得|完成|实现|持续|达到|以来))", head)
        )
    for name, end_year in _PERIOD_ENDS.items():
        if ctx.present_year is not None and end_year < ctx.present_year:
            if re.match(r"[^,。]{0,6}?" + name + r"”?(?:时期|期间|以来)", head):
                return True
    return False


_CHANGE_ON_LAST_YEAR = re.compile(
    r"(?:比上年|比去年|较上年|较去年|比上年末)(?:同期)?(?:增长|下降|增加|减少|提高|降低|回落)"
)


def _states_results(folded: str, start: int, end: int, figures: list, ctx: _Context) -> bool:
    """A statistical result: an amount then its change on last year (实现地区生产总值9876.5亿元，比上年增长6.2%).

    A target states a change alone (地区生产总值比上年增长6%左右) or points forward (今年, 力争, 到2027年).
    """
    change = _CHANGE_ON_LAST_YEAR.search(folded, start, end)
    if change is None:
        return False
    amount_before = any(
        f.end <= change.start() and f.unit not in ("%", "个百分点") and not _SUFFIX.match(folded, f.end)
        for f in figures
    )
    if not amount_before or _FUTURE_MARKERS.search(folded, start, end):
        return False
    return not any(not ctx.is_past(year, mark) for _, year, _, mark in _years_before(folded, start, end))


def _spans(text: str, ends: str) -> list[tuple[int, int]]:
    """Consecutive spans of `text`, each ending just after one of the characters in `ends`."""
    spans, start = [], 0
    for m in re.finditer("[" + re.escape(ends) + "]", text):
        spans.append((start, m.end()))
        start = m.end()
    if start < len(text):
        spans.append((start, len(text)))
    return spans


def _clause_start(folded: str, sentence_start: int, at: int) -> int:
    i = at
    while i > sentence_start:
        ch = folded[i - 1]
        if ch in _CLAUSE_END or ch == _BREAK:
            # a comma between digits is a thousands separator, not a clause break
            if ch == "," and i - 2 >= 0 and folded[i - 2].isdigit() and folded[i : i + 1].isdigit():
                i -= 1
                continue
            break
        i -= 1
    return i


def _clause_end(folded: str, at: int, sentence_end: int) -> int:
    i = at
    while i < sentence_end and folded[i] not in _CLAUSE_END and folded[i] != _BREAK:
        i += 1
    return i


def _inside_name(folded: str, start: int, clause_start: int) -> bool:
    """A figure inside a quoted or titled name (“千个项目、千亿规模”工程, 《…》) is part of a name."""
    opening = folded.rfind("《", clause_start, start)
    if opening >= 0 and folded.find("》", opening, start) < 0:
        return True
    left = folded.rfind("“", max(0, start - 14), start)
    if left < 0 or folded.find("”", left, start) >= 0:
        return False
    right = folded.find("”", start)
    if right < 0 or right - left > 16 or any(ch in _SENTENCE_END for ch in folded[left:right]):
        return False
    return bool(_NAME_HEADS.match(folded[right + 1 : right + 4]))


# ---------------------------------------------------------------------------------------------
# The public API.


def infer_reference_year(text: str, title: str = "") -> int | None:
    """What 今年 means or the plan's horizon: a 2024 两会 report -> 2024; （2023—2025年） -> 2025; 十四五 -> 2025."""
    for source in (title, text[:2000]):
        folded = _fold_chars(re.sub(r"\s+", "", source))
        m = re.search(r"((?:19|20)\d\d)年?[-~至到]((?:19|20)\d\d)年", folded)
        if m:
            return int(m.group(2))
        periods = [
            end
            for name, end in _PERIOD_ENDS.items()
            if re.search(name + r"”?(?:发展)?规划|" + name + r"”?时期", folded)
        ]
        if periods:
            return max(periods)  # a 十四五 plan looks back on 十三五: its horizon is the later one
        years = [int(y) for y in re.findall(r"((?:19|20)\d\d)(?=[\u4e00-\u9fff])", folded)]
        if source is title and years:
            return max(years)
    m = re.search(
        r"((?:19|20)\d\d)年(?:政府工作报告|国民经济和社会发展计划|工作安排|主要预期目标|主要目标|目标任务|重点工作)",
        _fold_chars(text),
    )
    if m:
        return int(m.group(1))
    # Otherwise the year the text names most often (a report on 2024 names 2024 throughout).
    counts: dict[int, int] = {}
    for m in _YEAR.finditer(_fold_chars(re.sub(r"\s+", "", text))):
        counts[int(m.group("year"))] = counts.get(int(m.group("year")), 0) + 1
    if counts:
        return max(counts, key=lambda year: (counts[year], year))
    return None


def _present_year(text: str, title: str, reference_year: int | None) -> int | None:
    """The year the document speaks from: a plan's first year (2023—2025 -> 2023; 十四五 -> 2021), else the reference year."""
    # The text is searched only for its own heading: a 2025 work report mentions the “十四五”规划 it closes.
    for source in (title, text[:300]):
        folded = _fold_chars(re.sub(r"\s+", "", source))
        m = re.search(r"((?:19|20)\d\d)年?[-~至到]((?:19|20)\d\d)年", folded)
        if m and (reference_year is None or int(m.group(2)) == reference_year):
            return int(m.group(1))
        for name, end_year in _PERIOD_ENDS.items():
            if name in folded and (reference_year is None or end_year == reference_year):
                if re.search(name + r"”?(?:发展)?规划|" + name + r"”?时期", folded):
                    return end_year - 4
        if source is title and re.search(r"(?:19|20)\d\d", folded):
            break  # a title dated to one year (2025年政府工作报告) speaks from it
    return reference_year


_HORIZON = re.compile(r"(?:今后|未来)(?P<n>[一二三四五六七八九十两]|\d{1,2})年")


def _deadline(folded: str, sentence_start: int, at: int, ctx: _Context) -> date | None:
    years = [(pos, y, mo) for pos, y, mo, _ in _years_before(folded, sentence_start, at)]
    segment = folded[sentence_start:at]
    periods = [
        (m.start(), end)
        for name, end in _PERIOD_ENDS.items()
        if ctx.present_year is None or end >= ctx.present_year
        for m in re.finditer(name + r"”?(?:期间|时期|末)", segment)
    ]
    if ctx.present_year is not None:
        # 今后五年 / 未来三年 (the next N years) count the present year as the first: a 2025 report's 今后五年
        # ends in 2029, a plan speaking from 2026 means 2026-2030 by 未来五年.
        for m in _HORIZON.finditer(segment):
            years_ahead = (
                int(m.group("n")) if m.group("n").isdigit() else int(_parse_chinese(m.group("n")) or 0)
            )
            if years_ahead:
                periods.append((m.start(), ctx.present_year + years_ahead - 1))
    later = max(
        [pos - sentence_start for pos, _, _ in years]
        + [m.start() for m in re.finditer("到年", segment)]
        + [-1]
    )
    if periods and max(periods)[0] > later:
        return date(max(periods)[1], 12, 31)  # “十五五”期间…: the end of the named plan period
    year, month = None, None
    if years:
        _, year, month = years[-1]
        tail = folded[years[-1][0] : at]
        if month is None:
            mm = re.match(r"\d{4}年(1[0-2]|[1-9])月", tail)
            month = int(mm.group(1)) if mm else None
    if year is None:
        year = ctx.reference_year
    if year is None:
        return None
    if month is None:
        return date(year, 12, 31)
    return date(year, month, calendar.monthrange(year, month)[1])


_METRIC_FILLER = re.compile(
    r"^(?:并且|并|同时|而且|此外|另外|其中)|(?:到|在|于)?(?<![比较])(?:19|20)\d\d年度?(?:底|末)?(?:前|之前)?|到年(?:底|末)?|(?:\d{1,2}|[一二三四五六七八九十两])年(?:内|来|间)|今年|全年|年内|明年|每年|年度(?!计划)|力争|争取|初步|"
    r"计划(?!投资)|将|还|也|要|我们|我[市省区县]|全[市省区县]|本[市省区县]|市政府|^[\u4e00-\u9fff]{2,3}市(?=[\u4e00-\u9fff]{4})|预期(?!寿命)|目标为|目标|"
    r"分别|[“”\"「」《》()（）·]|^(?:以上|左右)|的$|等$|是$|将会|进一步"
)
_METRIC_TRAILING_VERB = re.compile(
    r"(?:达到|达|突破|超过|超|过|提高到|提高至|提升到|提升至|稳定在|保持在|控制在|维持在|增加到|增至|减少到|减少至|"
    r"降低到|降低至|下降到|下降至|降至|降到|减至|不低于|不少于|不超过|不高于|保持|迈上|跨上|迈过|为|在|约|近|有|将|累计|覆盖全市|覆盖)+$"
)


def _counts_forward(lead: str) -> bool:
    """Whether the counted noun follows the figure (新建2个节点, 实施…等98个重点项目), not precedes it."""
    core = _METRIC_TRAILING_VERB.sub("", _METRIC_FILLER.sub("", lead)).strip("、,，和及与")
    qualified = lead.endswith("的") and bool(re.search(r"\d", lead))  # 抓好总投资2.66万亿元的2000个重大项目
    return len(core) <= 3 or lead.endswith("等") or qualified or bool(_ENDS_ON_VERB.search(core))


_VERB_AHEAD = "(?=" + "|".join(_TARGET_VERBS) + ")"
# Words that open a clause but are no part of the indicator: 对于…, 统筹实施…, 再有10条…, 确保…率达到.
_LEADING_FILLER = re.compile(
    r"^(?:对于|对(?![外口])|关于|提出|指出|明确|表示|强调|预计|确保|努力|"
    r"(?:统筹|加快|加速|扎实|全力|大力|积极|着力|持续|深入|全面|重点|高质量|有序|稳步|稳妥|推动|推进|促进|还|并|也|共)"
    + _VERB_AHEAD[:-1]
    + r"|抓好|抓实)|再(?!生|就业|制造|融资|贷款|担保|保险|造))+"
)
# Before a noun that a level verb follows (…覆盖率达到90%), a frame verb is no part of the indicator either.
_FRAME_VERB = re.compile(r"^(?:实现|推动|推进|促进|保持|完成|力争|争取)(?=[\u4e00-\u9fff]{3})")


def _metric(lead: str, following: str) -> str:
    metric = _METRIC_FILLER.sub("", lead)
    metric = _METRIC_TRAILING_VERB.sub("", metric)
    metric = metric.strip("、,，和及与的")
    metric = _LEADING_FILLER.sub("", metric)
    if not _counts_forward(lead):
        metric = _FRAME_VERB.sub("", metric)
        if not re.search(r"\d", metric):
            metric = re.sub(r"(?<=[\u4e00-\u9fff])的(?=[\u4e00-\u9fff])", "", metric)  # 新能源汽车的保有量
    else:
        noun = re.match(r"[^,，;；:：。、\d]*", following).group(0)
        noun = re.split(r"以上|左右|或|和|等", noun)[0].split("的")[-1] if noun else ""
        noun = re.sub(r"^(?:大关|台阶|关口|目标|水平)$", "", noun)  # 突破2万亿元大关: no counted noun
        if lead.endswith("等"):  # 实施太平水库、城市轨道交通等98个重点项目: the count is of the noun after
            verb = _TARGET_VERB.search(metric)
            metric = verb.group(0) if verb else ""
        elif lead.endswith("的") and (digit := re.search(r"\d", metric)):
            # 抓好总投资2.66万亿元的2000个重大项目: the qualifier is dropped
            metric = re.sub(r"(?:总投资|投资|规模|面积)?$", "", metric[: digit.start()])
        metric = _LEADING_FILLER.sub("", metric + _METRIC_FILLER.sub("", noun))
    return metric[:40]


def _department(folded: str, sentence_start: int, at: int, paragraph_start: int, speakers) -> str | None:
    if speakers:
        best, best_pos = None, -1
        window_start = max(paragraph_start, at - 600)
        for name, department in speakers.items():
            pos = folded.rfind(name, window_start, at)
            if pos > best_pos:
                best, best_pos = department, pos
        sentence_end = min(len(folded), at + 200)
        after = folded[at:sentence_end]
        for name, department in speakers.items():
            if re.search("”" + r"[^。“]{0,6}?" + re.escape(name) + r"(?:表示|说|指出|介绍|强调)", after):
                return department  # a quote attributed after it: “…”王明表示
        if best is not None:
            return best
    subjects = [m.group(0) for m in _DEPARTMENT.finditer(folded, sentence_start, at)]
    return subjects[-1] if subjects else None


_RESULTS_ONLY = re.compile(r"统计公报|统计年鉴")
_RESULTS_ONLY_FIGURES = 15
_FORWARD_CUE = re.compile(
    _FUTURE_MARKERS.pattern + r"|目标|预期|任务|规划|[到至](?:19|20)\d\d年|年底前|十[四五六]五"
)


def extract(
    text: str,
    *,
    reference_year: int | None = None,
    title: str = "",
    speakers: dict[str, str] | None = None,
    include_incomplete: bool = False,
    include_milestones: bool = False,
    include_headlines: bool = False,
) -> list[Mention]:
    """Every quantitative target stated in `text`, in order of position.

    Figures missing from the source (建设绿色工厂家) are reported with value None and incomplete=True only
    when include_incomplete is set; dated qualitative milestones only when include_milestones is set.
    Standalone headlines (打造400个智慧社区) repeat the body, so their figures are skipped unless
    include_headlines is set; they then come with headline=True, to be attached as extra citations.
    """
    if _RESULTS_ONLY.search(title) or _RESULTS_ONLY.search(text.lstrip()[:80].split("\n", 1)[0]):
        return []  # a statistical bulletin (统计公报) reports a finished year: every figure is a result
    # Given a reference year or a dated title, a year before it is past; guessed from the text, a
    # bare year end (2024年底) may be one of several deadlines.
    present_explicit = reference_year is not None or bool(re.search(r"(?:19|20)\d\d", title.translate(_FOLD)))
    if reference_year is None:
        reference_year = infer_reference_year(text, title)
    ctx = _Context(_present_year(text, title, reference_year), reference_year, present_explicit)
    folded = _fold(text)
    ft = folded.text
    figures = _find_figures(ft)
    if len(figures) >= _RESULTS_ONLY_FIGURES and not _FORWARD_CUE.search(ft):
        return []  # many figures and not one word looking ahead: a bulletin's body, quoted without its title
    mentions: list[Mention] = []

    paragraphs = _spans(ft, _BREAK)
    heading_at = {}
    heading_spans = set(folded.headings)
    for s, e in folded.headings:
        heading_at[s] = e
    past_section = False
    fig_index = 0
    for p_start, p_end in paragraphs:
        paragraph = ft[p_start:p_end].rstrip(_BREAK)
        if (p_start, p_start + len(paragraph)) in heading_spans or heading_at.get(p_start) == p_start + len(
            paragraph
        ):
            # A headline: it summarises the body, so its figures are taken from the body. It also
            # opens a section: "2023年经济社会发展情况" is a past section, "主要预期目标" is not.
            section_years = [int(y) for y in re.findall(r"((?:19|20)\d\d)年", paragraph)]
            if section_years and ctx.present_year is not None:
                past_section = max(section_years) < ctx.present_year and not re.search(
                    r"目标|计划|任务", paragraph
                )
            elif re.search(r"回顾|成就|成绩", paragraph):
                past_section = True
            elif not re.search(r"\d", paragraph):
                past_section = False
            in_headline = []
            while fig_index < len(figures) and figures[fig_index].start < p_end:
                in_headline.append(figures[fig_index])
                fig_index += 1
            if include_headlines and in_headline and not past_section:
                for s_rel, e_rel in _spans(paragraph, _SENTENCE_END):
                    s_start, s_end = p_start + s_rel, p_start + e_rel
                    in_sentence = [f for f in in_headline if s_start <= f.start < s_end]
                    found = _judge_sentence(
                        ft, folded, s_start, s_end, p_start, in_sentence, ctx, False, speakers
                    )
                    mentions.extend(_headline_mention(text, m) for m in found)
            continue
        paragraph_past = False
        for s_rel, e_rel in _spans(paragraph, _SENTENCE_END):
            s_start, s_end = p_start + s_rel, p_start + e_rel
            sentence = ft[s_start:s_end]
            if _opens_past_period(sentence, ctx):
                paragraph_past = True
            elif paragraph_past and _FUTURE_MARKERS.search(sentence):
                paragraph_past = False
            in_sentence = []
            while fig_index < len(figures) and figures[fig_index].start < s_end:
                if figures[fig_index].start >= s_start:
                    in_sentence.append(figures[fig_index])
                fig_index += 1
            if past_section or _states_results(ft, s_start, s_end, in_sentence, ctx):
                continue
            mentions.extend(
                _judge_sentence(
                    ft, folded, s_start, s_end, p_start, in_sentence, ctx, paragraph_past, speakers
                )
            )
            if include_milestones and not in_sentence:
                mentions.extend(_milestones(ft, folded, s_start, s_end, p_start, ctx, speakers))
    if not include_incomplete:
        mentions = [m for m in mentions if not m.incomplete or m.kind == "milestone"]
    return [replace(m, quote=text[m.start : m.end]) for m in _name_headlines(mentions)]


_BARE_METRIC = re.compile(r"(?:年均|同比)?(?:增长|增速|下降|降低|提高|提升|新增|新建|突破|达到)?")


def _name_headlines(mentions: list[Mention]) -> list[Mention]:
    """A headline with no subject (力争突破3000家, 增长6%左右) takes its metric from the body that repeats it."""
    body = [m for m in mentions if not m.headline]
    named = []
    for m in mentions:
        if m.headline and _BARE_METRIC.fullmatch(m.metric):
            source = next((b for b in body if (b.value, b.unit) == (m.value, m.unit) and b.metric), None)
            if source is not None:
                m = replace(m, metric=source.metric)
        named.append(m)
    return named


_HEADLINE_PHRASE_GAP = re.compile(r"(?<=[\u4e00-\u9fff”」)])[ \t\u3000]+(?=[\u4e00-\u9fff“「(])")


def _headline_mention(text: str, mention: Mention) -> Mention:
    """A headline's mention, cut at the space that separates its phrases (打造400个智慧社区 引进更多便民服务设备)."""
    quote = text[mention.start : mention.end]
    figure = re.search(r"\d", quote)
    gap = _HEADLINE_PHRASE_GAP.search(quote, figure.end() if figure else 0)
    if gap is None:
        return replace(mention, headline=True)
    dropped = re.sub(r"\s+", "", quote[gap.end() :]).translate(_FOLD)
    metric = mention.metric
    if dropped and metric.endswith(dropped):
        metric = metric[: -len(dropped)]
    return replace(mention, end=mention.start + gap.start(), metric=metric, headline=True)


def _judge_sentence(
    ft, folded, s_start, s_end, p_start, figures, ctx, paragraph_past, speakers
) -> list[Mention]:
    out = []
    sentence = ft[s_start:s_end]
    # A sum of total investment (总投资820亿元的45个项目, not the threshold 总投资5亿元以上的项目) or a breakdown
    # following (其中续建…) marks a plan's project portfolio.
    # 其中 breaks down a portfolio only where sums or project stages are named (其中续建项目37个，总投资…);
    # 实施亿元以上项目200个，其中新开工项目80个 states two targets.
    next_sentence = ft[s_end : _clause_end(ft, s_end, len(ft)) + 40] if ft.startswith("其中", s_end) else ""
    broken_down = ("其中" in sentence or next_sentence) and re.search(
        r"总投资|续建", sentence + next_sentence
    )
    portfolio_sum = _PORTFOLIO_SUM.search(sentence)
    # 统筹抓好总投资2.66万亿元的2000个重大项目 with no breakdown: the count of projects is the target
    qualifying_sum = portfolio_sum and re.match(r"的", sentence[portfolio_sum.end() :])
    portfolio = broken_down or (portfolio_sum and not qualifying_sum)
    qualifier_start = None  # where a qualifier of the next figure began: its quote starts there
    items = []  # per mention: (clause start, quote end, an enumerated item without a verb of its own, 分别 — respectively)
    for i, fig in enumerate(figures):
        c_start = _clause_start(ft, s_start, fig.start)
        c_end = _clause_end(ft, fig.end, s_end)
        before = ft[c_start : fig.start]
        suffix_m = _SUFFIX.match(ft, fig.end)
        suffix = suffix_m.group(0) if suffix_m else ""
        after_pos = fig.end + len(suffix)
        after = ft[after_pos:c_end]
        previous = figures[i - 1] if i > 0 and figures[i - 1].end > c_start else None
        following = figures[i + 1] if i + 1 < len(figures) and figures[i + 1].start < c_end else None
        chain_start, qualifier_start = (qualifier_start if previous is not None else None), None

        if ft[fig.start - 1 : fig.start] == "第" or _inside_name(ft, fig.start, c_start):
            continue  # an ordinal or part of a name
        if re.search(r"(?<!稳定|保持|控制|维持)(?<!稳|定)在$", before):
            continue  # inside a place or scope phrase: 力争在1-2个产业领域
        if _ORGANISING_NOUNS.match(after):
            continue  # counts the text's own parts: 五项重点工作, 23项主要指标
        # A figure qualifying a noun that is counted by a later figure: 总投资2.66万亿元的2000个项目,
        # 亿元以上项目300个, 营业收入达到100亿元以上的企业数量增加到15家.
        if following is not None:
            between = ft[after_pos : following.start]
            enumerated = re.search(r"[、和及与或]|以及", between)
            if between and not enumerated and ("的" in between or suffix in ("以上", "及以上", "以下")):
                qualifier_start = (
                    chain_start if chain_start is not None else (previous.end if previous else c_start)
                )
                continue
        if (
            re.match(r"的", after)
            and suffix in ("以上", "及以上", "以下")
            or _THRESHOLD_OF.match(ft, fig.end)
        ):
            if not _ADJACENT_VERB.search(before) and not re.search(r"(?:达到|提高到|覆盖)$", before):
                continue  # a threshold describing a class: 小于30万千瓦的机组, 8米以下的车型
        if re.search(r"(?:小于|大于|低于|高于|不足)$", before) and after.startswith("的"):
            continue
        if portfolio and (
            _PROJECT_NOUN.search(before[-12:] + after[:12]) or _PORTFOLIO_SUM.search(ft, c_start, c_end)
        ):
            continue  # a plan's project portfolio (总投资…的N个项目，其中续建…), not a target
        if re.search(r"总投资额?(?:为|达|约|近|高达|超过|超)?$", before):
            continue  # the size of a project (计划总投资50亿元的科技园), not a target
        if fig.unit == "%" and re.search(r"(?:目标|任务|计划)(?:任务)?的$", before):
            continue  # progress against a plan (完成全年目标任务的120%), not a target

        # The verb that governs this figure: in its own stretch of the clause, else (for enumerations
        # and qualified nouns) in the clause before its first figure.
        lead_start = previous.end if previous is not None else c_start
        lead = ft[lead_start : fig.start]
        # In an enumeration only the part after the last 、/和 is this item's own: 新建2个节点、2家园区
        own_start = lead_start
        if previous is not None:
            own_start += max((m.end() for m in _ENUMERATION.finditer(lead)), default=0)
        own_lead = ft[own_start : fig.start]
        governing = own_lead
        if previous is not None and not _TARGET_VERB.search(own_lead):
            first = previous
            for f in figures[:i]:
                if f.end > c_start:
                    first = f
                    break
            governing = _METRIC_TRAILING_VERB.sub("", ft[c_start : first.start]) + own_lead
        state_verb = re.search(r"(?:占|共有|拥有|现有|已有)[^达提超突增降控稳保]*$", governing)
        if state_verb and not re.search(
            r"(?:达到|提高|提升|超过|突破|增加|降低|控制|稳定|保持)", state_verb.group(0)
        ):
            continue  # a present share: 约占工业比重的90%以上

        if _ATTENDANCE.search(governing) and not _TARGET_VERB.search(own_lead):
            continue  # a head count at a meeting: 应出席代表574人，实到526人
        if _COMPARED_DELTA.search(own_lead):
            continue  # how a target compares with last year (比上年多3000套), not a target of its own
        tense = _tense(ft, s_start, fig.start, ctx, paragraph_past)
        if tense in ("past", "present", "estimate"):
            continue
        has_verb = bool(_TARGET_VERB.search(governing)) or bool(_ADJACENT_VERB.search(own_lead))
        part_of_previous = bool(out) and ft.startswith("其中", c_start)
        if part_of_previous:
            has_verb = True  # a part of the target just stated: 进出口总额达到8000亿元，其中出口5000亿元
        if not (has_verb or suffix in _COMPARATOR_SUFFIX or tense == "future"):
            continue  # nothing makes this figure a target: 历下区等4个区成为…

        mentions_kind = out[-1].kind if part_of_previous else _kind(governing, fig.unit, suffix)
        comparator = _comparator(governing, own_lead, suffix, mentions_kind)
        if fig.lost and suffix in ("多", "余"):
            continue
        quote_start = chain_start if chain_start is not None else own_start
        quote_start += len(_LEFTOVER.match(ft, quote_start, fig.start).group(0))
        quote_end = after_pos
        noun = re.match(r"[^,，;；:：。、\d" + _BREAK + r"]*", after).group(0)
        if _counts_forward(ft[quote_start : fig.start]) and noun:
            quote_end = after_pos + len(re.split(r"(?<=.)(?=[,，。；;])", noun)[0])
        if following is not None:
            quote_end = min(quote_end, following.start)
        metric_lead = ft[quote_start : fig.start]
        if not metric_lead and not noun:
            metric_lead = governing
        metric = _metric(metric_lead, ft[after_pos:c_end])
        if _TARGET_VERB.fullmatch(metric):  # 已建成5G基站3万个，今年将新建5000个: the noun carries over
            metric += _earlier_noun(ft, s_start, figures[:i], fig.unit)
        change_only = re.fullmatch(r"(?:年均|同比|分别)?(?:增长|增速|下降|降低|提高|提升)", metric)
        if (not metric or change_only) and out:
            # "软件业务收入年均增长12%，力争达到1500亿元", "…5000亿元，增长6%": the subject carries over
            metric = _CHANGE_TAIL.sub("", out[-1].metric) + metric
        elif not metric:  # "确保GDP增速不低于全省平均水平，力争达到6.5%": the subject of the clause before
            metric = _clause_subject(ft, s_start, c_start)
        if part_of_previous and not _TARGET_VERB.search(metric):  # 新增市场主体…，其中企业3万户 -> 新增企业
            verb = _VERB_PREFIX.match(out[-1].metric)
            metric = (verb.group(0) if verb else "") + metric
        if mentions_kind == "level" and fig.unit == "%" and re.search(r"增速|增幅|增长$", metric):
            mentions_kind = "growth_rate"  # GDP增速…力争达到6.5%
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
        enumerated = (
            bool(items)
            and items[-1][0] == c_start
            and bool(_ENUMERATION.search(ft, items[-1][1], quote_start))
        )
        verbless = enumerated and not _TARGET_VERB.search(ft, quote_start, fig.start)
        items.append((c_start, quote_end, verbless, "分别" in governing))
        out.append(
            Mention(
                start=start,
                end=end,
                quote="",  # filled below from the original text
                metric=metric,
                value=fig.value,
                value_max=fig.value_max,
                unit=fig.unit,
                kind=mentions_kind,
                comparator=comparator,
                deadline=_deadline(ft, s_start, fig.start, ctx),
                department=_department(ft, s_start, fig.start, p_start, speakers),
                confidence=round(max(0.05, min(confidence, 1.0)), 2),
                incomplete=incomplete,
            )
        )
    return _share_metrics(out, items)


# Enumerations sharing one verb. "软件、电子信息制造业营业收入分别达到5700亿元和1700亿元" names two indicators
# with one head noun (营业收入); "城乡居民…分别增长" abbreviates two (城镇居民…, 农村居民…).
_SPLIT_COMPOUNDS = {"城乡": ("城镇", "农村"), "进出口": ("进口", "出口"), "中小学": ("中学", "小学")}
_INDICATOR_HEAD = re.compile(
    r"(?:人均可支配收入|人均[\u4e00-\u9fff]{0,4}收入|主营业务收入|营业收入|业务收入|收入|增加值|产值|产量|销量|销售额|"
    r"总额|总量|规模|投资|保有量|数量|比重|占比|[率额量值数])"
)
_ENDS_ON_HEAD = re.compile(_INDICATOR_HEAD.pattern + "$")
_CHANGE_TAIL = re.compile(r"(?:年均|分别)?(?:增长|增速|增幅|下降|降低|提高|提升|减少)$")
_ITEM_SEPARATOR = re.compile(r"、|以及|和|与|及")
_VERB_PREFIX = re.compile(r"^[新再]?(?:" + "|".join(_TARGET_VERBS) + r")+")


def _distribute(metric: str, count: int) -> list[str] | None:
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
    named = [part if _ENDS_ON_HEAD.search(part) else part + head for part in parts[:-1]]
    return [part + tail_text for part in [*named, last]]


def _share_metrics(mentions: list[Mention], items: list[tuple[int, int, bool, bool]]) -> list[Mention]:
    """Give the items of an enumeration their own metric: the shared subject distributed, the shared verb repeated."""
    out = list(mentions)
    i = 0
    while i < len(out):
        clause, _, _, respectively = items[i]
        j = i + 1
        while j < len(out) and items[j][0] == clause:
            j += 1
        if respectively:
            run = [k for k in range(i, j) if out[k].metric == out[i].metric]
            metrics = _distribute(out[i].metric, len(run)) if len(run) > 1 else None
            for k, metric in zip(run, metrics or [], strict=False):
                out[k] = replace(out[k], metric=metric)
        else:
            verb = _VERB_PREFIX.match(out[i].metric)
            for k in range(i + 1, j):
                if verb and items[k][2] and out[k].metric and not out[k].metric.startswith(verb.group(0)):
                    out[k] = replace(out[k], metric=(verb.group(0) + out[k].metric)[:40])
        i = j
    return out


def _clause_subject(folded: str, sentence_start: int, clause_start: int) -> str:
    """The subject of the clause before clause_start, up to its first verb (确保GDP增速不低于… -> GDP增速)."""
    if clause_start - 1 <= sentence_start:
        return ""
    previous = folded[_clause_start(folded, sentence_start, clause_start - 1) : clause_start - 1]
    subject = _LEADING_FILLER.sub("", _METRIC_FILLER.sub("", previous))
    verb = _TARGET_VERB.search(subject)
    subject = subject[: verb.start()] if verb else ""
    return subject if 2 <= len(subject) <= 15 and not re.search(r"\d", subject) else ""


def _earlier_noun(folded: str, sentence_start: int, earlier: list, unit: str) -> str:
    """The noun counted by an earlier figure of the same unit in the sentence (建成5G基站3万个 -> 5G基站)."""
    base = re.sub(r"^(?:万亿|亿|万|千|百)", "", unit)
    for f in reversed(earlier):
        if re.sub(r"^(?:万亿|亿|万|千|百)", "", f.unit) != base:
            continue
        lead = folded[_clause_start(folded, sentence_start, f.start) : f.start]
        verbs = list(_TARGET_VERB.finditer(lead))
        noun = _METRIC_FILLER.sub("", lead[verbs[-1].end() :] if verbs else "")
        return noun if 1 < len(noun) <= 12 else ""
    return ""


def _kind(governing: str, unit: str, suffix: str = "") -> str:
    governing = _SIZE_CLASS.sub("", governing)  # 新增规模以上工业企业: a class of firms, not a size (规模)
    if _CAP_CUES.search(governing) or suffix in ("以下", "以内"):
        return "cap"
    if _REDUCTION_CUES.search(governing):
        return "reduction"
    if unit == "个百分点":
        return "increment"  # 提高2个百分点: a change of a rate
    if unit == "%" and re.search(r"增长|增速|增幅|涨幅|提高(?!到|至)", governing):
        return "growth_rate"
    if re.search(r"累计|建成", governing):
        return "level"
    last_level = max((m.end() for m in _LEVEL_CUES.finditer(governing)), default=-1)
    last_increment = max((m.end() for m in _INCREMENT_CUES.finditer(governing)), default=-1)
    if unit == "%" and last_increment > last_level:
        return "level"
    return "increment" if last_increment > last_level else "level"


def _comparator(governing: str, lead: str, suffix: str, kind: str) -> str:
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


_MILESTONE = re.compile(
    r"(?:到|在|于)?(?P<year>(?:19|20)\d\d)年(?:(?P<month>1[0-2]|[1-9])月)?(?:年?底|末)?(?:前|之前)?"
    r"(?P<what>(?:制定|出台|印发|建成|完成|形成|实现|启动|编制|发布)[^,，;；。]{2,30})"
)


def _milestones(ft, folded, s_start, s_end, p_start, ctx, speakers) -> list[Mention]:
    out = []
    if ctx.present_year is None:
        return out
    for m in _MILESTONE.finditer(ft, s_start, s_end):
        year = int(m.group("year"))
        if year < ctx.present_year or _tense(ft, s_start, m.start(), ctx, False) in (
            "past",
            "present",
            "estimate",
        ):
            continue
        month = int(m.group("month")) if m.group("month") else 12
        out.append(
            Mention(
                start=folded.offsets[m.start()],
                end=folded.offsets[m.end() - 1] + 1,
                quote="",
                metric=m.group("what"),
                value=None,
                value_max=None,
                unit="",
                kind="milestone",
                comparator=">=",
                deadline=date(year, month, calendar.monthrange(year, month)[1]),
                department=_department(ft, s_start, m.start(), p_start, speakers),
                confidence=0.6,
                incomplete=False,
            )
        )
    return out


def _number(value: Decimal | None):
    if value is None:
        return None
    return int(value) if value == value.to_integral_value() else float(value)


def to_json(mention: Mention, document: str) -> dict:
    """The mention as a JSON-ready object (numbers as JSON numbers, dates as YYYY-MM-DD)."""
    return {
        "document": document,
        "start": mention.start,
        "end": mention.end,
        "quote": mention.quote,
        "metric": mention.metric,
        "value": _number(mention.value),
        "value_max": _number(mention.value_max),
        "unit": mention.unit,
        "kind": mention.kind,
        "comparator": mention.comparator,
        "deadline": mention.deadline.isoformat() if mention.deadline else None,
        "department": mention.department,
        "confidence": mention.confidence,
        "incomplete": mention.incomplete,
    }
