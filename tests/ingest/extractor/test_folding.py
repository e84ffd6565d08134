"""Folding: whitespace and full-width forms folded away with offsets kept, headlines told from body text."""

import pytest

from apps.ingest.extractor.folding import fold, fold_chars


@pytest.mark.parametrize(
    ("raw", "folded"),
    [
        ("５．５％", "5.5%"),
        ("二〇三〇年", "2030年"),
        ("３万～５万人", "3万~5万人"),
    ],
)
def test_fold_chars_keeps_length(raw, folded):
    assert fold_chars(raw) == folded
    assert len(fold_chars(raw)) == len(raw)


def test_offsets_point_back_into_the_original():
    text = "全市将加快充电设施建设，今年新建公共充电\n\n桩 3000 个。"
    folded = fold(text)
    assert folded.text == "全市将加快充电设施建设,今年新建公共充电桩3000个。"
    at = folded.text.index("3000")
    assert text[folded.offsets[at] : folded.offsets[at + 4 - 1] + 1] == "3000"


def test_a_short_unpunctuated_block_is_a_headline_and_a_run_of_figure_lines_is_not():
    headline = fold("打造400个智慧社区\n\n全市将打造400个智慧社区。")
    assert len(headline.headings) == 1
    items = fold("新建基站1000个\n\n新增企业30家\n\n新开航线5条")
    assert items.headings == []


def test_a_half_width_full_stop_ends_a_sentence_but_a_decimal_point_does_not():
    assert fold("增长5.5%.今年").text == "增长5.5%。今年"
