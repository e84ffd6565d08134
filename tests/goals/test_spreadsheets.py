"""One rule for text in every spreadsheet the site writes: nothing a program would evaluate."""

import io

import pytest
from openpyxl import Workbook, load_workbook

from apps.goals.spreadsheets import spreadsheet_text, xlsx_cell

FORMULAS = ['=HYPERLINK("http://evil.example","x")', "+1+1", "-2+3", "@SUM(A1)", "\t=1", "\r=1"]


@pytest.mark.parametrize("value", FORMULAS)
def test_csv_text_that_looks_like_a_formula_gets_an_apostrophe(value):
    assert spreadsheet_text(value) == "'" + value


@pytest.mark.parametrize("value", ["新建5G基站", "5.5%", "https://example.com/=x"])
def test_other_csv_text_is_kept(value):
    assert spreadsheet_text(value) == value


@pytest.mark.parametrize("write_only", [False, True], ids=["workbook", "write-only"])
def test_xlsx_text_is_a_string_cell_in_either_kind_of_workbook(write_only):
    book = Workbook(write_only=write_only)
    sheet = book.create_sheet("s") if write_only else book.active
    texts = FORMULAS[:-1]  # XML reads a stored return as a newline
    sheet.append([xlsx_cell(sheet, value) for value in [*texts, 7]])
    out = io.BytesIO()
    book.save(out)
    [row] = load_workbook(io.BytesIO(out.getvalue()))["s" if write_only else book.active.title].iter_rows()
    assert [(cell.value, cell.data_type) for cell in row[:-1]] == [(value, "s") for value in texts]
    assert (row[-1].value, row[-1].data_type) == (7, "n")
