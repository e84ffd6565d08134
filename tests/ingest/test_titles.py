"""Every goal the seed documents give is titled by a clean clause of its source sentence: nothing
garbled, no framing phrase, no counted noun dropped, its target stated; and its quote shows what is
counted, not the figure alone."""

import difflib
import re
from pathlib import Path

import pytest
from django.conf import settings
from django.core.management import call_command

from apps.goals.models import Goal
from apps.goals.units import plain_decimal

SEEDS = sorted(str(p) for p in (Path(settings.BASE_DIR) / "fixtures" / "documents").glob("*.txt"))
CJK = re.compile(r"[\u4e00-\u9fff]")
FRAMING = re.compile(r"^(?:围绕|按照|根据|依据|对照|落实|贯彻).{0,20}?(?:提出|要求|部署|确定)")
# A single character a title may leave out of the middle of its source: 的 (新能源汽车的保有量) and
# adverbs (将, 还, 也, 并). Anything else left out of a word garbles it (数据要素× -> 数据素×).
DROPPABLE = set("的将还也并")
NOUN_AFTER = re.compile(r"[\u4e00-\u9fff]{2,10}")
NOT_A_NOUN = re.compile(r"^(?:的|也|是|将|为|并|和|及|与|或|等|以上|左右|以内|目标|任务|水平)")
SENTENCE_END = re.compile(r"[。；;！？!?\n]")


def sentence_before(text: str, end: int) -> str:
    starts = [m.end() for m in SENTENCE_END.finditer(text, 0, end - 1)]
    return text[starts[-1] if starts else 0 : end]


def dropped_inside_words(head: str, source: str) -> list[str]:
    """Characters of `source` a title `head` leaves out from between two characters it keeps."""
    matcher = difflib.SequenceMatcher(None, source, head, autojunk=False)
    dropped = []
    for tag, i1, i2, j1, _ in matcher.get_opcodes():
        if tag == "delete" and i2 - i1 == 1 and 0 < j1 < len(head):
            if CJK.match(source[i1]) and CJK.match(head[j1 - 1]) and CJK.match(head[j1]):
                if source[i1] not in DROPPABLE:
                    dropped.append(source[max(i1 - 2, 0) : i2 + 2])
    return dropped


@pytest.fixture
def seeded(db):
    call_command("loaddata", "fixtures/reference.json", verbosity=0)
    call_command("ingest_documents", *SEEDS, "--publish", verbosity=0)
    return list(
        Goal.objects.exclude(review_state=Goal.ReviewState.REJECTED)
        .filter(target_value__isnull=False)
        .prefetch_related("citations__document")
    )


def defects(goal) -> list[str]:
    found = []
    citation = min(goal.citations.all(), key=lambda c: c.pk)  # the mention the goal was made from
    text = citation.document.text
    amount = plain_decimal(goal.target_value)
    if amount not in goal.title:
        found.append(f"does not state its target {amount}")
    head = goal.title.split(amount)[0]
    if FRAMING.match(goal.title):
        found.append("starts with a framing phrase")
    source = re.sub(r"[\s“”\"]", "", sentence_before(text, citation.end))
    if garbled := dropped_inside_words(head, source):
        found.append(f"leaves characters out of words: {garbled}")
    noun = NOUN_AFTER.match(text, citation.end)
    if noun and not NOT_A_NOUN.match(noun.group(0)) and noun.group(0) not in goal.title:
        found.append(f"drops the noun counted: {noun.group(0)}")
    for quote in {c.quote for c in goal.citations.all()}:
        if not CJK.search(re.sub(r"\d+(?:\.\d+)?\s*\S", "", quote, count=1)):
            found.append(f"quote {quote!r} is the figure alone")
    return found


def test_every_seeded_goal_title_is_a_clean_clause_of_its_source(seeded):
    assert len(seeded) > 100
    problems = {goal.title: found for goal in seeded if (found := defects(goal))}
    assert problems == {}


@pytest.mark.parametrize(
    "head, source, dropped",
    [
        ("数据素×典型应用场景", "分别打造人工智能+、数据要素×典型应用场景20个、100个", ["数据要素×"]),
        ("新能源汽车保有量", "新能源汽车的保有量将达到15万辆以上", []),
        ("能耗强度比2020年降低", "全市的能耗强度将比2020年降低14%以上", []),
    ],
)
def test_a_character_left_out_of_a_word_is_found(head, source, dropped):
    assert dropped_inside_words(head, source) == dropped
