"""Reads Chinese policy text: the quantitative targets it commits to (新建5G基站7000个, 增长5.5%以上) and the
results it reports (完成一般公共预算收入1083亿元, 增长2.1%).

Plain Python with no Django import, so it can be tested and benchmarked alone. The rules are
linguistic (verbs, units, qualifiers, tense markers), never keyed to particular documents. Modules, in
the order a text passes through them: folding, figures, passages (tense), clauses (rejection rules),
fields, sentences, reader.
"""

from .mention import Mention, Rejection, result_to_json, to_json
from .passages import infer_reference_year, infer_reference_year_with_source
from .reader import Reading, extract, read

__all__ = [
    "Mention",
    "Reading",
    "Rejection",
    "extract",
    "infer_reference_year",
    "infer_reference_year_with_source",
    "read",
    "result_to_json",
    "to_json",
]
