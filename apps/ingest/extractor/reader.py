"""The reader: one pass over a document that yields its targets, its results
and the figures it turned down."""

from __future__ import annotations

import re
from collections.abc import Iterator, Mapping
from dataclasses import dataclass, field, replace

from .figures import find_figures
from .folding import BREAK, FOLD, SENTENCE_END, fold, squeeze
from .frames import (
    BULLETIN_FRAME,
    DOCUMENT,
    OPEN,
    REVIEWED_DOCUMENT,
    YEAR,
    Frame,
    heading_frame,
    looks_ahead,
    reviews_only,
)
from .mention import Mention, Rejection
from .passages import (
    BULLETIN,
    FUTURE_MARKERS,
    Context,
    infer_reference_year_with_source,
    months_covered,
    opens_past_period,
    present_year,
    spans,
    states_results,
    years_between,
)
from .sentences import Sentence, judge, milestones

_RESULTS_ONLY_FIGURES = 15
_FORWARD_CUE = re.compile(
    FUTURE_MARKERS.pattern + r"|目标|预期|任务|规划|[到至](?:19|20)\d\d年|年底前|十[四五六]五"
)
_DIGIT = re.compile(r"\d")
_DATED_TITLE = re.compile(r"(?:19|20)\d\d")
_PAST_OPENING_YEAR = re.compile(r"^[“\"「(（]*(?:[^,。]{0,6},|在)?((?:19|20)\d\d)年")
_CONTINUES = re.compile(r"[一二三四五六七八九十]是|其[次二三四]|此外|另外|同时")
_LAST_YEAR = re.compile(r"^[^,。]{0,12}?(?:去年|上年)")


@dataclass
class Reading:
    targets: list[Mention] = field(default_factory=list)
    results: list[Mention] = field(default_factory=list)
    rejections: list[Rejection] = field(default_factory=list)
    reference_year: int | None = None
    year_source: str = "unknown"


def _first_line(text: str) -> str:
    return text.lstrip()[:80].split("\n", 1)[0]


def read(
    text: str,
    *,
    reference_year: int | None = None,
    year_source: str = "given",
    title: str = "",
    speakers: Mapping[str, str] | None = None,
    include_incomplete: bool = False,
    include_milestones: bool = False,
    include_headlines: bool = False,
    explain: bool = False,
) -> Reading:
    """Every quantitative target and result stated in `text`, in order of position.

    Figures missing from the source (建设绿色工厂家) are reported with value None and incomplete=True only
    when include_incomplete is set; dated qualitative milestones only when include_milestones is set.
    Standalone headlines (打造400个智慧社区) repeat the body, so their figures are skipped unless
    include_headlines is set; they then come with headline=True, to be attached as extra citations.
    With explain, the figures turned down come with the rule that turned them down.
    """
    # Given a reference year or a dated title, a year before it is past; guessed from the text, a
    # bare year end (2024年底) may be one of several deadlines.
    present_explicit = reference_year is not None or bool(_DATED_TITLE.search(title.translate(FOLD)))
    if reference_year is None:
        reference_year, year_source = infer_reference_year_with_source(text, title)
    # A plan speaks from its first year (2023—2025 -> 2023); a year inferred from anything but a plan
    # period (a session, a dateline, 2026年是…开局之年) is the year the document speaks from.
    inferred_other = year_source not in ("given", "option", "manifest") and not year_source.endswith(
        "plan period"
    )
    speaks_from = reference_year if inferred_other else present_year(text, title, reference_year)
    ctx = Context(speaks_from, reference_year, present_explicit, year_source)
    reading = Reading(reference_year=reference_year, year_source=year_source)
    folded = fold(text)
    ft = folded.text
    figures = find_figures(ft)
    # A statistical bulletin (统计公报) reports a finished year: every figure is a result. So does a text with
    # many figures and not one word looking ahead: a bulletin's body, quoted without its title.
    bulletin = bool(BULLETIN.search(title) or BULLETIN.search(_first_line(text))) or (
        len(figures) >= _RESULTS_ONLY_FIGURES and not _FORWARD_CUE.search(ft)
    )
    heading_spans = set(folded.headings)
    heading_at = dict(folded.headings)
    paragraphs = spans(ft, BREAK)
    if bulletin:
        frame = replace(BULLETIN_FRAME, year=reference_year)
    elif reviews_only(_sentence_openings(ft, ctx), ft, FUTURE_MARKERS, ctx):
        frame = REVIEWED_DOCUMENT
    else:
        frame = DOCUMENT
    past_section = frame.reviewed
    section_year: int | None = reference_year if bulletin else None
    # A release on the year's first months (2025年前三季度经济运行情况) reports on those months throughout.
    document_months = months_covered(squeeze(title)) or months_covered(squeeze(_first_line(text)))
    paragraph_months: int | None = None
    fig_index = 0
    paragraph_past, paragraph_year = False, None
    for p_start, p_end in paragraphs:
        paragraph = ft[p_start:p_end].rstrip(BREAK)
        p_stop = p_start + len(paragraph)
        if (p_start, p_stop) in heading_spans or heading_at.get(p_start) == p_stop:
            # A headline: it summarises the body, so its figures are taken from the body. It also
            # opens a section: "2023年经济社会发展情况" is a past section, "主要预期目标" is not.
            # A bulletin stays a bulletin whatever its headings say.
            if not bulletin and frame is not REVIEWED_DOCUMENT:
                frame = heading_frame(paragraph, ctx, frame)
                past_section, section_year = frame.reviewed, frame.year
            in_headline = []
            while fig_index < len(figures) and figures[fig_index].start < p_end:
                in_headline.append(figures[fig_index])
                fig_index += 1
            if include_headlines and in_headline and not past_section:
                for s_rel, e_rel in spans(paragraph, SENTENCE_END):
                    s_start, s_end = p_start + s_rel, p_start + e_rel
                    in_sentence = [f for f in in_headline if s_start <= f.start < s_end]
                    found = judge(Sentence(folded, s_start, s_end, p_start, in_sentence), ctx, speakers)
                    reading.targets.extend(_headline_mention(text, m) for m in found.targets)
            continue
        if frame.reviewed and not bulletin and looks_ahead(paragraph, ctx):
            frame = Frame(YEAR, "paragraph: opens on the year ahead")
            past_section, section_year = False, None
        # 二是…, 此外…: a paragraph that continues an enumeration continues its passage's tense
        continues = _CONTINUES.match(paragraph) is not None and not FUTURE_MARKERS.search(paragraph[:30])
        if not (continues and paragraph_past):
            paragraph_past, paragraph_year = False, None
        paragraph_months = None
        has_figures = fig_index < len(figures) and figures[fig_index].start < p_stop
        if not (has_figures or include_milestones or _continued(ft, p_end)):
            continue  # nothing to read, and no enumeration carries its tense on
        for s_rel, e_rel in spans(paragraph, SENTENCE_END):
            s_start, s_end = p_start + s_rel, p_start + e_rel
            sentence = ft[s_start:s_end]
            if opens_past_period(sentence, ctx):
                paragraph_past = True
                paragraph_year = _opening_year(sentence, ctx)
            opening_months = months_covered(sentence[:8])
            if opening_months is not None:
                paragraph_months = opening_months  # 前三季度，全市…: the paragraph reports on those months
            elif paragraph_past and FUTURE_MARKERS.search(sentence):
                paragraph_past = False
            in_sentence = []
            while fig_index < len(figures) and figures[fig_index].start < s_end:
                if figures[fig_index].start >= s_start:
                    in_sentence.append(figures[fig_index])
                fig_index += 1
            if not in_sentence and not include_milestones:
                continue
            statistical = not past_section and states_results(ft, s_start, s_end, in_sentence, ctx)
            results_passage = past_section or statistical
            if statistical:
                sentence_frame = "sentence: an amount, then its change on last year"
            elif paragraph_past and not past_section:
                sentence_frame = "paragraph: opens on a finished period"
            else:
                sentence_frame = frame.rule
            found = judge(
                Sentence(
                    folded,
                    s_start,
                    s_end,
                    p_start,
                    in_sentence,
                    paragraph_past=paragraph_past,
                    results_passage=results_passage,
                    passage_year=section_year if past_section else paragraph_year,
                    passage_months=paragraph_months or document_months,
                    frame_rule=sentence_frame,
                    frame_kind=frame.kind if sentence_frame == frame.rule else OPEN,
                ),
                ctx,
                speakers,
                explain,
            )
            reading.targets.extend(found.targets)
            reading.results.extend(found.results)
            reading.rejections.extend(found.rejections)
            if include_milestones and not in_sentence and not results_passage:
                reading.targets.extend(
                    milestones(Sentence(folded, s_start, s_end, p_start, in_sentence), ctx, speakers)
                )
    if not include_incomplete:
        reading.targets = [m for m in reading.targets if not m.incomplete or m.kind == "milestone"]
        reading.results = [m for m in reading.results if not m.incomplete]
    # Quotes are cut where mentions are made; a span widened afterwards (an enumeration's items quoting
    # the whole statement) is cut again.
    reading.targets = [_requoted(text, m) for m in _name_headlines(reading.targets)]
    reading.results = [_requoted(text, m) for m in reading.results]
    return reading


def _sentence_openings(folded: str, ctx: Context) -> Iterator[bool]:
    """Whether each sentence opens on a finished period, its sentences found only when first asked."""
    for s, e in spans(folded, SENTENCE_END + BREAK):
        yield opens_past_period(folded[s:e], ctx)


def _requoted(text: str, m: Mention) -> Mention:
    quote = text[m.start : m.end]
    return m if quote == m.quote else replace(m, quote=quote)


def _continued(folded: str, paragraph_end: int) -> bool:
    """Whether the next paragraph continues an enumeration (二是…), carrying this one's tense on."""
    return _CONTINUES.match(folded, paragraph_end) is not None


def _opening_year(sentence: str, ctx: Context) -> int | None:
    """The year a past passage opens on: 2023年，… -> 2023; 去年… -> the year before the reference year."""
    m = _PAST_OPENING_YEAR.match(sentence)
    if m:
        return int(m.group(1))
    if _LAST_YEAR.match(sentence) and ctx.reference_year is not None:
        return ctx.reference_year - 1
    years = [y.year for y in years_between(sentence, 0, min(len(sentence), 20))]
    return years[0] if years else None


def extract(
    text: str,
    *,
    reference_year: int | None = None,
    title: str = "",
    speakers: Mapping[str, str] | None = None,
    include_incomplete: bool = False,
    include_milestones: bool = False,
    include_headlines: bool = False,
) -> list[Mention]:
    """Every quantitative target stated in `text`, in order of position (see `read`)."""
    return read(
        text,
        reference_year=reference_year,
        title=title,
        speakers=speakers,
        include_incomplete=include_incomplete,
        include_milestones=include_milestones,
        include_headlines=include_headlines,
    ).targets


_BARE_METRIC = re.compile(r"(?:年均|同比)?(?:增长|增速|下降|降低|提高|提升|新增|新建|突破|达到)?")


def _name_headlines(mentions: list[Mention]) -> list[Mention]:
    """A headline with no subject (力争突破3000家, 增长6%左右) takes its metric
    from the body that repeats it."""
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
_WHITESPACE = re.compile(r"\s+")


def _headline_mention(text: str, mention: Mention) -> Mention:
    """A headline's mention, cut at the space that separates its phrases
    (打造400个智慧社区 引进更多便民服务设备)."""
    quote = text[mention.start : mention.end]
    figure = _DIGIT.search(quote)
    gap = _HEADLINE_PHRASE_GAP.search(quote, figure.end() if figure else 0)
    if gap is None:
        return replace(mention, headline=True)
    dropped = _WHITESPACE.sub("", quote[gap.end() :]).translate(FOLD)
    metric = mention.metric
    if dropped and metric.endswith(dropped):
        metric = metric[: -len(dropped)]
    end = mention.start + gap.start()
    return replace(mention, end=end, quote=text[mention.start : end], metric=metric, headline=True)
