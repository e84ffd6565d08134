"""Deciding when two target mentions speak of the same goal, and naming a goal from a mention.
Plain Python, no Django: the ingest service uses these on extractor output."""

from __future__ import annotations

import re
from decimal import Decimal

from apps.goals.units import absolute_amount, plain_decimal

# Words that say how a figure is reached, not what is counted: two mentions of one goal often
# differ only in these (累计建成智慧社区 / 打造智慧社区).
FILLER = re.compile(
    r"全年|今年|明年|年度|力争|预计|预期|目标|达到|达|突破|超过|累计|新建|建成|建设|打造|新增|增加|实现|完成|"
    r"提高到|提高至|提高|提升到|提升至|提升|控制在|保持|再有|分别|我们|将|要|和|及|与|的|个|家|条|项"
)
_SPACE = re.compile(r"\s+")


def match_key(*, value: Decimal | None, unit: str, deadline_year: int | None, place: str = "") -> str:
    """The coarse key mentions of one goal share: absolute amount, base unit, deadline year, and the
    place (a slug; "" for the home place, whose keys stay as they were stored). Mentions with the
    same key are told apart by their metric (see same_metric); two places never share a key, so
    their goals are never merged."""
    amount, base = absolute_amount(value, unit)
    amount_text = "?" if amount is None else plain_decimal(amount)
    key = f"{amount_text}|{base}|{deadline_year or '?'}"
    return f"{place}:{key}" if place else key


def metric_core(metric: str) -> str:
    """The counted thing of a metric, without filler verbs and spaces: 累计建成智慧社区 -> 智慧社区."""
    return FILLER.sub("", _SPACE.sub("", metric or ""))


def _bigrams(text: str) -> set[str]:
    return {text[i : i + 2] for i in range(len(text) - 1)} or ({text} if text else set())


def same_metric(a: str, b: str) -> bool:
    """Whether two metrics name the same indicator: one contains the other, or they share enough
    two-character pieces (软件业务收入 / 软件营业收入). 5G基站 and 政务服务事项 share none."""
    a, b = metric_core(a), metric_core(b)
    if not a or not b:
        return a == b
    if a in b or b in a:
        return True
    shared = _bigrams(a) & _bigrams(b)
    return len(shared) >= 2 or (len(shared) == 1 and min(len(a), len(b)) <= 3)


COMPARATOR_SUFFIX = {">=": "", ">": "以上", "~": "左右", "<=": "以内"}


def goal_title(
    *, metric: str, value: Decimal | None, value_max: Decimal | None, unit: str, kind: str, comparator: str
) -> str:
    """A readable Chinese title from a mention: 新建5G基站7000个, 地区生产总值增长5.5%以上."""
    metric = _SPACE.sub("", metric or "")
    if value is None:
        return metric
    amount = plain_decimal(value)
    if value_max is not None:
        amount = f"{amount}～{plain_decimal(value_max)}"
    suffix = COMPARATOR_SUFFIX.get(comparator, "")
    if comparator == ">=" and kind in ("growth_rate", "reduction"):
        suffix = "以上"
    if comparator == "<=" and not metric.endswith("控制在"):
        metric = f"{metric}控制在"
    return f"{metric}{amount}{unit}{suffix}"


# Work areas (the slugs of fixtures/reference.json) guessed from words in a metric, in order of
# precedence. Staff correct the guess in review; a goal with no match stays uncategorised.
CATEGORY_KEYWORDS = (
    (
        "digital",
        (
            "5G",
            "算力",
            "数字",
            "数据",
            "信息",
            "互联网",
            "软件",
            "智慧",
            "千兆",
            "网络",
            "集成电路",
            "标识解析",
        ),
    ),
    (
        "environment",
        (
            "碳",
            "绿色",
            "排放",
            "空气",
            "优良",
            "水质",
            "生态",
            "能耗",
            "节能",
            "环保",
            "PM",
            "污染",
            "可再生能源",
            "清洁能源",
            "造林",
            "绿化",
        ),
    ),
    ("culture", ("文化", "旅游", "文旅", "游客", "演艺", "博物馆", "体育")),
    ("rural", ("农业", "乡村", "粮食", "农村", "耕地", "农田", "蔬菜", "肉蛋奶", "种业", "村庄", "三变")),
    (
        "wellbeing",
        (
            "就业",
            "养老",
            "教育",
            "医疗",
            "住房",
            "托育",
            "学位",
            "社区",
            "居民",
            "可支配收入",
            "幼儿园",
            "中小学",
            "学校",
            "医院",
            "合格率",
            "储备",
            "救助",
        ),
    ),
    (
        "urban",
        (
            "城市",
            "交通",
            "道路",
            "地铁",
            "公交",
            "轨道",
            "绿波",
            "停车",
            "管网",
            "更新",
            "候车亭",
            "站牌",
            "老旧小区",
            "高速公路",
        ),
    ),
    ("regional", ("卫星镇", "次中心", "专业镇", "都市圈", "县域", "起步区", "常住人口", "城镇化")),
    (
        "demand",
        (
            "消费",
            "零售",
            "外贸",
            "进出口",
            "物流",
            "口岸",
            "班列",
            "首店",
            "品牌店",
            "旗舰店",
            "生活圈",
            "展会",
            "海外仓",
            "外资",
            "外向度",
        ),
    ),
    ("reform", ("事项", "政务", "营商", "贷款", "金融", "改革", "小事")),
    ("innovation", ("科技", "创新", "研发", "人才", "高新技术", "专利", "技术中心")),
    (
        "industry",
        ("产业", "工业", "制造", "企业", "营业收入", "产量", "工厂", "园区", "新能源汽车", "集群", "楼宇"),
    ),
    ("projects", ("项目", "投资")),
)
HEADLINE_GROWTH_METRICS = (
    "地区生产总值",
    "一般公共预算收入",
    "规模以上工业增加值",
    "固定资产投资",
    "社会消费品零售总额",
    "居民消费价格",
    "可支配收入",
)


def guess_category(*, metric: str, kind: str) -> str | None:
    """The slug of the work area a metric most likely belongs to, or None."""
    metric = _SPACE.sub("", metric or "")
    if kind in ("growth_rate", "cap") and any(word in metric for word in HEADLINE_GROWTH_METRICS):
        return "headline"
    for slug, words in CATEGORY_KEYWORDS:
        if any(word in metric for word in words):
            return slug
    return None


# What a figure measures, without how it changed or where: 全市地区生产总值增长 -> 地区生产总值.
_CHANGE_WORDS = re.compile(
    r"年均|同比|比上年|分别|增长|增速|增幅|涨幅|下降|降低|减少|提高|提升|上升|首破|突破|迈上|达到|完成|实现|"
    r"全市|全省|全区|全县|我市|本市|城市|济南市?"
)


_SYNONYMS = (("GDP", "地区生产总值"), ("社零", "社会消费品零售总额"), ("规上", "规模以上"))


def indicator_core(metric: str) -> str:
    """The indicator a metric names, without change words, place words or filler:
    全市地区生产总值增长 -> 地区生产总值."""
    core = metric_core(metric)
    for short, full in _SYNONYMS:
        core = core.replace(short, full)
    return _CHANGE_WORDS.sub("", core)


def same_indicator(a: str, b: str) -> bool:
    """Whether a reported figure's metric and a goal's metric name one indicator, strictly: one core
    contains the other, or most of their two-character pieces are shared. 规模以上工业增加值 and
    地区生产总值 are different indicators though both 增长."""
    if ("年均" in a) != ("年均" in b):
        return False  # a yearly average over a plan period is not one year's figure
    a, b = indicator_core(a), indicator_core(b)
    if len(a) < 2 or len(b) < 2:
        return False
    if a in b or b in a:
        return True
    first, second = _bigrams(a), _bigrams(b)
    return len(first & second) / len(first | second) >= 0.6
