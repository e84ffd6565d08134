from decimal import Decimal

import pytest

from apps.ingest import matching


@pytest.mark.parametrize(
    "a, b, same",
    [
        ("新建5G基站", "5G基站", True),
        ("累计建成智慧社区", "打造智慧社区", True),
        ("软件业务收入", "软件营业收入", True),
        ("新建5G基站", "政务服务事项网上可办", False),
        ("新能源汽车产量", "新能源汽车保有量", True),  # told apart by amount and year, not metric
        ("地区生产总值增长", "一般公共预算收入增长", False),
    ],
)
def test_same_metric(a, b, same):
    assert matching.same_metric(a, b) is same


def test_match_key_compares_absolute_amounts():
    assert matching.match_key(value=Decimal("40"), unit="万辆", deadline_year=2024) == matching.match_key(
        value=Decimal("400000"), unit="辆", deadline_year=2024
    )
    assert matching.match_key(value=Decimal("40"), unit="万辆", deadline_year=2024) != matching.match_key(
        value=Decimal("40"), unit="万辆", deadline_year=2025
    )


@pytest.mark.parametrize(
    "kwargs, title",
    [
        (
            {
                "metric": "新建5G基站",
                "value": Decimal("7000"),
                "unit": "个",
                "kind": "increment",
                "comparator": ">=",
            },
            "新建5G基站7000个",
        ),
        (
            {
                "metric": "地区生产总值增长",
                "value": Decimal("5.5"),
                "unit": "%",
                "kind": "growth_rate",
                "comparator": ">=",
            },
            "地区生产总值增长5.5%以上",
        ),
        (
            {
                "metric": "居民消费价格涨幅",
                "value": Decimal("3"),
                "unit": "%",
                "kind": "cap",
                "comparator": "~",
            },
            "居民消费价格涨幅3%左右",
        ),
        (
            {
                "metric": "种业集团",
                "value": Decimal("3"),
                "value_max": Decimal("5"),
                "unit": "家",
                "kind": "increment",
                "comparator": ">=",
            },
            "种业集团3～5家",
        ),
    ],
)
def test_goal_title(kwargs, title):
    assert matching.goal_title(**{"value_max": None, **kwargs}) == title


def test_guess_category():
    assert matching.guess_category(metric="新建5G基站", kind="increment") == "digital"
    assert matching.guess_category(metric="地区生产总值增长", kind="growth_rate") == "headline"
    assert matching.guess_category(metric="某某指标", kind="level") is None
