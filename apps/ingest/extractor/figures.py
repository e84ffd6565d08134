"""Figures: a number (digits, Chinese numerals or an implicit 千/万) followed by a unit, in folded text."""

from __future__ import annotations

import re
from dataclasses import dataclass
from decimal import Decimal, InvalidOperation

BASE_UNITS = sorted(
    """微克/立方米 个百分点 个工作日 平方公里 平方米 立方米 千瓦时 千瓦 千米 公里 公顷
    美元 元/亩 元/平方米 元 亩 吨 斤
    辆 列 个 家 条 项 处 场 所 组 人次 人 户 座 台 套 张 名 件 类 天 小时 分钟 次 部 艘 架 栋 床 公斤 米
    岁 倍 标箱 株 棵 盏 头 只 路 篇 GW MW kW TEU PFlops Pflops PFLOPS EFlops EFLOPS EB PB TB P % ‰""".split(),
    key=len,
    reverse=True,
)
# 3500套(间): a second unit in brackets belongs to the first
UNIT = (
    r"(?P<mag>万亿|亿|万|千|百)?(?P<base>(?:"
    + "|".join(re.escape(u) for u in BASE_UNITS)
    + r")(?:\((?:间|户|个|家|处|座|套)\))?)(?![A-Za-z])"
)
NUMBER = r"(?:\d{1,3}(?:,\d{3})+|\d+)(?:\.\d+)?|\.\d+"
# A range joins two numbers with a dash, a tilde or a word (5%-6%, 5~8条, 3至5个); 一 standing for a dash
# only between a percentage and a number (5%一5.5%), where it cannot be the numeral one.
RANGE_JOINERS = "~-至到"
AFTER_NUMBER = (
    r"(?:(?:万亿|亿|万)?(?P<sep>[~\-至到])(?P<num2>\d+(?:\.\d+)?)(?=[万亿千百]?[^\d])"
    r"|(?P<about>余|多)(?=[^\d]))?"
    r"(?:" + UNIT + r"|(?P<bare>万亿|亿|万)(?=以上|左右|以内|$|[,;:。！？!?、)\n]))"
)
# A figure reads (?<![\d.A-Za-z])(?P<num>NUMBER)AFTER_NUMBER: a number not preceded by a digit, a dot or a
# letter. It is written here starting on the number's first character, then a look-behind over that
# character and the one before it (then NUMBER's alternatives, in order), so that the regex engine skips
# straight to digits and dots instead of trying every position. test_figures.py holds the two equal.
_NUMBER_FIRST = r"[\d.](?<![\d.A-Za-z].)(?:(?<=\.)\d+|(?<=\d)(?:\d{0,2}(?:,\d{3})+|\d*)(?:\.\d+)?)"
DIGIT_FIGURE = re.compile(r"(?P<num>" + _NUMBER_FIRST + ")" + AFTER_NUMBER)
CN_DIGITS = "零一二两三四五六七八九十百千万亿"
_CN_FIGURE = re.compile(r"(?P<cn>[" + CN_DIGITS + r"]+)" + UNIT)
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
_NAMING_UNITS = {"路"}
_WORD_ENDING_IN_UNIT = set("企专国大作学商农东行画艺酒管自全万千居回安成")
_HAN = re.compile(r"[\u4e00-\u9fff]")
_DIGIT_IN_NOUN = re.compile(r"[\d" + CN_DIGITS + "]")

CN_VALUES = {
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
CN_SCALES = {"十": 10, "百": 100, "千": 1000}


def parse_chinese(numeral: str) -> Decimal | None:
    """三十 -> 30, 一百二十 -> 120; None for anything that is not a Chinese numeral or is zero."""
    total, digit = 0, None
    for ch in numeral:
        if ch in CN_VALUES:
            digit = CN_VALUES[ch]
        elif ch in CN_SCALES:
            total += (1 if digit is None else digit) * CN_SCALES[ch]
            digit = None
        else:
            return None
    total += digit or 0
    return Decimal(total) if total else None


@dataclass
class Figure:
    start: int  # folded offsets of the number
    end: int  # end of the unit
    value: Decimal | None
    value_max: Decimal | None
    unit: str
    implicit: bool = False  # 千列, 突破万亿元: no digits written
    chinese: bool = False
    lost: bool = False  # the figure is missing from the source
    about: str = ""  # 70余次, 1000多家: 余 or 多 between the number and its unit


def to_decimal(raw: str) -> Decimal | None:
    try:
        return Decimal(raw.replace(",", ""))
    except InvalidOperation:
        return None


def _digit_figures(folded: str) -> list[Figure]:
    figures = []
    for m in DIGIT_FIGURE.finditer(folded):
        unit = m.group("bare") or (m.group("mag") or "") + m.group("base")
        raw = m.group("num")
        lost = raw.startswith(".")  # "达到.8亿元": the leading digits were lost in the source
        value = None if lost else to_decimal(raw)
        value_max = to_decimal(m.group("num2")) if m.group("num2") else None
        if value_max is not None and value is not None and value_max <= value:
            value_max = None
        figures.append(
            Figure(m.start(), m.end(), value, value_max, unit, lost=lost, about=m.group("about") or "")
        )
    return figures


def _chinese_figures(folded: str) -> list[Figure]:
    figures = []
    for m in _CN_FIGURE.finditer(folded):
        # …or ending a clause after the noun they count (新建学校三十所, 打造产业集群两个, 开行千列以上)
        after_noun = m.start() > 0 and _HAN.match(folded[m.start() - 1])
        counted_noun = (
            after_noun
            and folded[m.start() - 1] not in CN_DIGITS + "第每近约"
            and _CLAUSE_END_AHEAD.match(folded, m.end())
        )
        if not (_CN_VERB.search(folded[max(0, m.start() - 4) : m.start()]) or counted_noun):
            continue
        if m.group("base") in _NAMING_UNITS:
            continue  # 经十路, 三条路: road names and rhetoric, never a count in Chinese numerals
        numeral, mag = m.group("cn"), m.group("mag") or ""
        for scale in ("万亿", "亿", "万"):  # a trailing 万/亿 belongs to the unit as written: 五万辆
            if numeral.endswith(scale) and not mag:
                numeral, mag = numeral[: -len(scale)], scale
                break
        unit = mag + m.group("base")
        value: Decimal | None
        if not numeral:  # 突破万亿元: an implicit one
            value, implicit = Decimal(1), True
        elif numeral in CN_SCALES:  # 千列: an implicit one thousand
            value, implicit = Decimal(CN_SCALES[numeral]), True
        else:
            value, implicit = parse_chinese(numeral), False
        if value is not None:
            figures.append(
                Figure(m.start(), m.end(), value, None, unit, implicit=implicit, chinese=not implicit)
            )
    for m in _CN_PERCENT.finditer(folded):  # 百分之五点五 = 5.5%
        whole = parse_chinese(m.group("cn"))
        if whole is None and m.group("cn") not in ("零",):
            continue
        digits = "".join(str(CN_VALUES[ch]) for ch in (m.group("frac") or ""))
        value = Decimal(f"{whole or 0}.{digits}") if digits else Decimal(whole or 0)
        figures.append(Figure(m.start(), m.end(), value, None, "%", chinese=True))
    return figures


def _lost_figures(folded: str) -> list[Figure]:
    figures = []
    for pattern in (_LOST_FIGURE, _LOST_COUNT):
        for m in pattern.finditer(folded):
            if "noun" in m.groupdict() and (
                _DIGIT_IN_NOUN.search(m.group("noun")) or m.group("noun")[-1] in _WORD_ENDING_IN_UNIT
            ):
                continue
            at = m.start("unit")
            figures.append(Figure(at, m.end(), None, None, m.group("unit"), lost=True))
    return figures


def _joins_range(folded: str, last: Figure, figure: Figure) -> bool:
    """5%-6%, 3万～5万人, 5%一5.5%: two figures of one unit joined by a range mark are one range."""
    if figure.start != last.end + 1 or figure.unit != last.unit or last.value_max is not None:
        return False
    joiner = folded[last.end]
    if joiner not in RANGE_JOINERS and not (joiner == "一" and last.unit == "%"):
        return False
    return figure.value is not None and last.value is not None and figure.value > last.value


def find_figures(folded: str) -> list[Figure]:
    """Every figure in the folded text, in order, overlapping ones dropped and ranges joined."""
    figures = _digit_figures(folded) + _chinese_figures(folded) + _lost_figures(folded)
    figures.sort(key=lambda f: f.start)
    deduped: list[Figure] = []
    for f in figures:
        if deduped and f.start < deduped[-1].end:
            continue
        if deduped and _joins_range(folded, deduped[-1], f):
            deduped[-1].value_max, deduped[-1].end = f.value, f.end
            continue
        deduped.append(f)
    return deduped
