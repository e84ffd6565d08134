"""Folding: whitespace and full-width forms folded away with offsets kept, headlines told from body text."""

import random
import re
from pathlib import Path

import pytest

from apps.ingest.extractor.folding import BREAK, FOLD, HALF_WIDTH_STOP, fold, fold_chars, translate

DOCUMENTS = Path(__file__).resolve().parents[3] / "fixtures" / "documents"


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


READABLE_HALF_WIDTH_STOP = re.compile(
    r"(?<=[^\dA-Za-z.])\.(?!\d)|(?<=\d)\.(?![\dA-Za-z])|(?<=[\u4e00-\u9fff])\.(?=(?:19|20)\d\d年)"
)


def _random_texts(pieces, count, length):
    rng = random.Random(24)
    return ["".join(rng.choice(pieces) for _ in range(rng.randrange(1, length))) for _ in range(count)]


def test_the_full_stop_pattern_written_for_speed_finds_what_its_readable_form_finds():
    texts = _random_texts(["5", ".", "a", "年", "20", "19", "25", "%", " ", "\n", "。", "〇"], 20000, 12)
    for text in texts:
        assert [m.span() for m in HALF_WIDTH_STOP.finditer(text)] == [
            m.span() for m in READABLE_HALF_WIDTH_STOP.finditer(text)
        ], text


def test_translate_folds_as_str_translate_does():
    foldable = [chr(c) for c in range(0xFF01, 0xFF5F)] + ["\u3000", "～", "—", "〇", "億", "萬"]
    plain = ["增长", "5", "%", "。", "\n", "a"]
    # short and long texts, with few or many distinct characters that fold
    texts = _random_texts(plain + foldable[:3], 300, 3000) + _random_texts(plain + foldable, 300, 3000)
    for text in texts:
        assert translate(text) == text.translate(FOLD)


def test_every_folded_character_points_back_to_the_character_it_was_folded_from():
    for path in sorted(DOCUMENTS.glob("*.txt")):
        text = path.read_text(encoding="utf-8")
        folded, characters = fold(text), fold_chars(text)
        offsets = list(folded.offsets)
        assert len(offsets) == len(folded.text) + 1 and offsets[-1] == len(text)
        assert offsets == sorted(offsets)  # in order (a paragraph break shares its place with a character)
        for at, char in enumerate(folded.text):
            if char != BREAK:
                assert characters[offsets[at]] == char or (char, characters[offsets[at]]) == ("。", ".")
