"""Writes <name>.json labels from quotes (offsets found in the text). Run once when a sample is written."""

import json
import sys
from pathlib import Path

HERE = Path(__file__).parent
T, R, N = True, False, None
# (quote, is_target, value, value_max, unit, kind, comparator, year, baseline (value, year) or None)
LABELS = {
    "city_report_2026": [
        ("地区生产总值迈上4800亿元", R, 4800, None, "亿元", "level", "~", 2025),
        ("增长5.6%", R, 5.6, None, "%", "growth_rate", "~", 2025),
        ("一般公共预算收入412.7亿元", R, 412.7, None, "亿元", "level", "~", 2025),
        ("增长3.9%", R, 3.9, None, "%", "growth_rate", "~", 2025),
        ("城乡居民人均可支配收入分别达到5.82万元", R, 5.82, None, "万元", "level", "~", 2025),
        ("2.64万元", R, 2.64, None, "万元", "level", "~", 2025),
        ("分别增长4.6%", R, 4.6, None, "%", "growth_rate", "~", 2025),
        ("6.1%", R, 6.1, None, "%", "growth_rate", "~", 2025),
        ("新开工亿元以上项目318个", R, 318, None, "个", "increment", "~", 2025),
        ("完成投资1260亿元", R, 1260, None, "亿元", "level", "~", 2025),
        ("新增境内外上市公司7家", R, 7, None, "家", "increment", "~", 2025),
        ("新增专精特新中小企业156家", R, 156, None, "家", "increment", "~", 2025),
        ("新能源汽车保有量达到36.5万辆", R, 36.5, None, "万辆", "level", "~", 2025),
        ("新增光伏装机42.3万千瓦", R, 42.3, None, "万千瓦", "increment", "~", 2025),
        ("城镇新增就业8.9万人", R, 8.9, None, "万人", "increment", "~", 2025),
        ("地区生产总值增长5%一5.5%", T, 5, 5.5, "%", "growth_rate", ">=", 2026),
        ("一般公共预算收入增长3%左右", T, 3, None, "%", "growth_rate", "~", 2026),
        ("城乡居民收入分别增长5%左右", T, 5, None, "%", "growth_rate", "~", 2026),
        ("和6%左右", T, 6, None, "%", "growth_rate", "~", 2026),
        ("城镇新增就业8万人以上", T, 8, None, "万人", "increment", ">=", 2026),
        ("城镇调查失业率控制在5.5%以内", T, 5.5, None, "%", "cap", "<=", 2026),
        ("居民消费价格涨幅2%左右", T, 2, None, "%", "cap", "~", 2026),
        ("新开工亿元以上项目300个以上", T, 300, None, "个", "increment", ">=", 2026),
        ("计划完成投资1300亿元", T, 1300, None, "亿元", "level", ">=", 2026),
        ("新增国际航线3~5条", T, 3, 5, "条", "increment", ">=", 2026),
        ("新建5G基站4000个", T, 4000, None, "个", "increment", ">=", 2026),
        ("新增上市公司5家以上", T, 5, None, "家", "increment", ">=", 2026),
    ],
    "five_year_indicators_2030": [
        ("比重从2025年的9.1%", R, 9.1, None, "%", "level", "~", 2025),
        ("提高到13%左右", T, 13, None, "%", "level", "~", 2030),
        ("千兆宽带用户数从2025年的620万户", R, 620, None, "万户", "level", "~", 2025),
        ("增加到1000万户", T, 1000, None, "万户", "level", ">=", 2030),
        ("每万人拥有5G基站数从2025年的26个", R, 26, None, "个", "level", "~", 2025),
        ("提高到40个", T, 40, None, "个", "level", ">=", 2030),
        ("规模以上工业企业数字化转型比例达到85%以上", T, 85, None, "%", "level", ">=", 2030),
        ("建设省级以上数字化转型促进中心50个", T, 50, None, "个", "increment", ">=", 2030),
        ("数据交易额累计突破200亿元", T, 200, None, "亿元", "level", ">", 2030),
        ("全省建成5G基站18.2万个", R, 18.2, None, "万个", "level", "~", 2025),
        ("数字经济规模年均增长11.4%", R, 11.4, None, "%", "growth_rate", "~", 2025),
        ("软件业务收入达到2860亿元", R, 2860, None, "亿元", "level", "~", 2025),
    ],
    "quarterly_release_2025": [
        ("全市地区生产总值2876.4亿元", R, 2876.4, None, "亿元", "level", "~", 2025),
        ("同比增长5.2%", R, 5.2, None, "%", "growth_rate", "~", 2025),
        ("第一产业增加值98.6亿元", R, 98.6, None, "亿元", "level", "~", 2025),
        ("增长3.4%", R, 3.4, None, "%", "growth_rate", "~", 2025),
        ("第二产业增加值1102.3亿元", R, 1102.3, None, "亿元", "level", "~", 2025),
        ("增长6.1%", R, 6.1, None, "%", "growth_rate", "~", 2025),
        ("第三产业增加值1675.5亿元", R, 1675.5, None, "亿元", "level", "~", 2025),
        ("增长4.7%", R, 4.7, None, "%", "growth_rate", "~", 2025),
        ("规模以上工业增加值同比增长6.8%", R, 6.8, None, "%", "growth_rate", "~", 2025),
        ("社会消费品零售总额1210.9亿元", R, 1210.9, None, "亿元", "level", "~", 2025),
        ("增长4.3%", R, 4.3, None, "%", "growth_rate", "~", 2025),
        ("固定资产投资增长3.1%", R, 3.1, None, "%", "growth_rate", "~", 2025),
        ("工业投资增长12.6%", R, 12.6, None, "%", "growth_rate", "~", 2025),
        ("存款余额8934.2亿元", R, 8934.2, None, "亿元", "level", "~", 2025),
        ("比年初增加612.5亿元", N, 612.5, None, "亿元", "increment", "~", 2025),
    ],
    "district_plan_2026": [
        ("开工改造老旧小区42个", T, 42, None, "个", "increment", ">=", 2026),
        ("涉及居民1.3万户", N, 1.3, None, "万户", "level", ">=", 2026),
        ("年底前完工30个", T, 30, None, "个", "increment", ">=", 2026),
        ("新建改建口袋公园15处", T, 15, None, "处", "increment", ">=", 2026),
        ("新增绿道12公里", T, 12, None, "公里", "increment", ">=", 2026),
        ("新增公共停车泊位3000个以上", T, 3000, None, "个", "increment", ">=", 2026),
        ("立体停车泊位不少于800个", T, 800, None, "个", "level", ">=", 2026),
        ("改造老旧小区38个", R, 38, None, "个", "increment", "~", 2025),
        ("新增公共停车泊位2650个", R, 2650, None, "个", "increment", "~", 2025),
    ],
}

for name, rows in LABELS.items():
    text = (HERE / f"{name}.txt").read_text(encoding="utf-8")
    out, pos = [], 0
    for quote, is_target, value, value_max, unit, kind, comparator, year in rows:
        start = text.find(quote, pos if is_target is not None else 0)
        if start < 0:
            start = text.find(quote)
        if start < 0:
            sys.exit(f"{name}: {quote!r} not in text")
        pos = start + len(quote)
        out.append(
            dict(
                quote=quote,
                start=start,
                end=start + len(quote),
                is_target=is_target,
                value=value,
                value_max=value_max,
                unit=unit,
                kind=kind,
                comparator=comparator,
                deadline_year=year,
            )
        )
    (HERE / f"{name}.json").write_text(json.dumps(out, ensure_ascii=False, indent=1) + "\n", encoding="utf-8")
