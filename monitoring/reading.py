"""Read a user's status file (CSV or Excel .xlsx) into raw sheets of cell values.

Files reach the product in many shapes. CSV comes in UTF-8 with or without a BOM, in
UTF-16 ("Unicode text" from Excel) or in the legacy Windows-1258 code page, separated
by commas, semicolons, tabs or bars. Workbooks have title rows, hidden sheets and
percent-formatted cells, hidden rows and columns, and formulas whose result was never
saved. This module only turns the bytes into rows of cells, and ``monitoring.values``
parses each cell.
"""

from __future__ import annotations

import codecs
import csv
import io
import logging
import posixpath
import re
import unicodedata
import warnings
import zipfile
import zlib
from collections import Counter
from collections.abc import Iterable, Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import IO, TYPE_CHECKING
from xml.etree import ElementTree

import openpyxl
from openpyxl.formula.tokenizer import TokenizerError
from openpyxl.formula.translate import Translator, TranslatorError
from openpyxl.utils.cell import column_index_from_string, coordinate_from_string, get_column_letter
from openpyxl.utils.exceptions import InvalidFileException
from openpyxl.xml.constants import ARC_WORKBOOK, ARC_WORKBOOK_RELS, PKG_REL_NS, REL_NS, SHEET_MAIN_NS

from geo.errors import BilingualError

if TYPE_CHECKING:
    from openpyxl.cell.read_only import ReadOnlyCell
    from openpyxl.worksheet._read_only import ReadOnlyWorksheet

log = logging.getLogger(__name__)

MAX_FILE_BYTES = 20 * 1024 * 1024
"""Maximum file size in bytes. Messages call 1024 × 1024 bytes one MB."""

MAX_ROWS = 500_000
"""Maximum number of rows in one sheet, empty rows in the middle included."""

# NOTE: an estimate, not a measurement. 500,000 rows of about 20 short cells unpack to
# a few hundred MB of sheet XML, so this only stops zip bombs, not real workbooks.
MAX_UNPACKED_BYTES = 1024 * 1024 * 1024
"""Maximum total unpacked size of the members of an .xlsx archive, in bytes."""

CSV_DELIMITERS = ("\t", ";", ",", "|")
"""Separators tried on a CSV file. On a tie the earlier one wins."""

TEXT_SUFFIXES = {".csv", ".tsv", ".txt", ""}
"""File name extensions read as delimited text when the content is not a workbook."""

# Leading bytes of a zip archive (.xlsx, .ods) and of an OLE2 compound file, which is
# the container of old .xls workbooks and of password-protected .xlsx workbooks.
ZIP_MAGIC = b"PK\x03\x04"
EMPTY_ZIP_MAGIC = b"PK\x05\x06"
OLE2_MAGIC = b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1"
ENCRYPTED_PACKAGE = "EncryptedPackage".encode("utf-16-le")

# Sample sizes: characters for detecting the separator and binary content, bytes for
# detecting UTF-16 without a BOM.
SAMPLE_CHARS = 65536
UTF16_SAMPLE_BYTES = 4096

_BLANK = r"[\s\u200b\u200c\u200d\u2060\ufeff\u00ad]+"
_SURROUNDING_BLANKS = re.compile(rf"^{_BLANK}|{_BLANK}$")

# Some programs write this first line so that Excel splits the file on the given separator.
_SEPARATOR_DIRECTIVE = re.compile(r'^\ufeff?"?sep=(.)"?[ \t]*$', re.IGNORECASE)

# Quoted text and backslash-escaped characters in an Excel number format are literal,
# so a "%" inside them does not scale the value.
_LITERAL_IN_FORMAT = re.compile(r'"[^"]*"|\\.')

_FIX_VI = "Hãy mở tệp bằng Excel và lưu lại dưới dạng Excel Workbook (.xlsx) hoặc CSV UTF-8."
_FIX_EN = "Open it in Excel and save it as Excel Workbook (.xlsx) or CSV UTF-8."


class FileReadError(BilingualError):
    """A file that could not be read. Both messages name the file and the fix.

    ``str(error)`` is the English message and ``message("vi")`` the Vietnamese one.
    """


@dataclass(frozen=True)
class Percent:
    """A number from a percent-formatted Excel cell, as the fraction Excel stores.

    A cell shown as 85.5% has ``value`` 0.855.
    """

    value: float


@dataclass(frozen=True)
class Uncalculated:
    """A workbook formula cell whose result was never saved, so it has no value to read.

    Excel saves each formula's last result next to it, but tools that write workbooks
    without calculating them (openpyxl, many report exporters) leave the result out.
    ``formula`` is the formula text without the leading "=". ``str()`` adds the "=".
    """

    formula: str

    def __str__(self) -> str:
        return f"={self.formula}"


@dataclass(frozen=True)
class RawSheet:
    """One sheet of a file as rows of cell values.

    ``rows[i]`` is row i + 1 of the sheet, or record i + 1 of a CSV file, which is line
    i + 1 unless an earlier quoted cell contains a line break. Empty rows in the middle
    are kept as ``[]``, trailing empty cells and trailing empty rows are dropped.
    CSV cells are NFC strings or None. Workbook cells keep their type (int, float, bool,
    datetime, time, NFC str, `Percent`, `Uncalculated` or None). ``encoding`` and
    ``delimiter`` are set for CSV only.

    ``hidden_rows`` are the indices into ``rows`` of the rows hidden in a workbook, and
    ``hidden_columns`` the 0-based positions of its hidden columns. Both only cover the
    rows and cells in ``rows``, and both are empty for CSV.
    """

    name: str
    rows: list[list[object]]
    file_name: str
    hidden: bool = False
    encoding: str | None = None
    delimiter: str | None = None
    hidden_rows: frozenset[int] = frozenset()
    hidden_columns: frozenset[int] = frozenset()


def read_sheets(path: Path | str, *, file_name: str | None = None) -> list[RawSheet]:
    """Read every sheet of a CSV or .xlsx file.

    ``file_name`` is the name shown in messages and used for the extension, for a file
    saved under another name (an upload in a temporary folder). It defaults to the
    name in ``path``.

    Raises
    ------
    FileReadError
        If the file is missing, too large, empty, corrupt, password-protected, in an
        unsupported format, or has a sheet with more than `MAX_ROWS` rows.
    """
    path = Path(path)
    name = file_name or path.name

    try:
        size = path.stat().st_size
        _check_size(size, name)
        data = path.read_bytes()
    except (FileNotFoundError, NotADirectoryError):
        raise FileReadError(
            f'Không tìm thấy tệp "{path}". Hãy kiểm tra lại đường dẫn.',
            f'File not found: "{path}". Check the path.',
        ) from None
    except (IsADirectoryError, PermissionError) as error:
        raise FileReadError(
            f'Không mở được tệp "{path}" ({error.strerror}). Hãy kiểm tra đường dẫn và quyền đọc tệp.',
            f'Could not open "{path}" ({error.strerror}). Check the path and the read permission.',
        ) from None

    return read_sheets_from_bytes(data, name)


def read_sheets_from_bytes(data: bytes, file_name: str) -> list[RawSheet]:
    """Read every sheet of a CSV or .xlsx file given as bytes, such as a Streamlit upload.

    The format is detected from the content first: a zip archive with an Excel
    workbook inside is read as .xlsx whatever its extension. Other content is read as
    delimited text when the extension is .csv, .tsv, .txt or missing.

    Raises
    ------
    FileReadError
        As `read_sheets`.
    """
    _check_size(len(data), file_name)
    file_format = _detect_format(data, file_name)

    if file_format == "xlsx":
        sheets = _read_xlsx(data, file_name)
    else:
        sheets = [_read_csv(data, file_name)]

    if not any(sheet.rows for sheet in sheets):
        raise _empty_file_error(file_name)
    return sheets


def _check_size(size: int, file_name: str) -> None:
    if size <= MAX_FILE_BYTES:
        return

    size_mb = size / (1024 * 1024)
    limit_mb = MAX_FILE_BYTES / (1024 * 1024)
    raise FileReadError(
        f'Tệp "{file_name}" có dung lượng {_vi_number(size_mb)} MB, vượt giới hạn '
        f"{_vi_number(limit_mb)} MB. Hãy chia dữ liệu thành nhiều tệp nhỏ hơn, "
        f"hoặc xóa các trang tính và định dạng không cần thiết rồi lưu lại.",
        f'"{file_name}" is {size_mb:.1f} MB, over the limit of {limit_mb:g} MB. Split the '
        f"data into smaller files, or delete unneeded sheets and formatting and save again.",
    )


def _vi_number(number: float) -> str:
    """Format a number the Vietnamese way: "." between thousands, "," before decimals."""
    text = f"{number:,.1f}" if number % 1 else f"{number:,.0f}"
    return text.replace(",", " ").replace(".", ",").replace(" ", ".")


# --- Format detection -------------------------------------------------------------


def _detect_format(data: bytes, file_name: str) -> str:
    """Return "xlsx" or "csv", or raise FileReadError for anything else."""
    if not data.strip():
        raise _empty_file_error(file_name)

    if data.startswith((ZIP_MAGIC, EMPTY_ZIP_MAGIC)):
        return _zip_format(data, file_name)
    if data.startswith(OLE2_MAGIC):
        raise _ole2_error(data, file_name)

    suffix = Path(file_name).suffix.lower()
    if suffix in (".xlsx", ".xlsm"):
        # A CSV saved under an .xlsx name is read as the text it is; anything else is
        # a damaged workbook.
        if b"\x00" in data[:4096] and not data.startswith((codecs.BOM_UTF16_LE, codecs.BOM_UTF16_BE)):
            raise _corrupt_workbook_error(file_name, "not a zip archive")
        return "csv"
    if suffix not in TEXT_SUFFIXES:
        raise _unsupported_error(file_name, suffix or "?")
    return "csv"


def _zip_format(data: bytes, file_name: str) -> str:
    try:
        with zipfile.ZipFile(io.BytesIO(data)) as archive:
            names = set(archive.namelist())
            mimetype = archive.read("mimetype")[:100] if "mimetype" in names else b""
            unpacked = sum(member.file_size for member in archive.infolist())
    except (zipfile.BadZipFile, zlib.error, EOFError, ValueError) as error:
        raise _corrupt_workbook_error(file_name, str(error)) from None

    if b"opendocument.spreadsheet" in mimetype:
        raise _unsupported_error(file_name, "OpenDocument .ods")
    if "xl/workbook.bin" in names:
        raise _unsupported_error(file_name, "Excel Binary .xlsb")
    if not any(name.startswith("xl/") for name in names):
        raise _unsupported_error(file_name, "zip")

    if unpacked > MAX_UNPACKED_BYTES:
        raise FileReadError(
            f'Tệp "{file_name}" khi giải nén lớn hơn {MAX_UNPACKED_BYTES // 1024 ** 2} MB. '
            f"Hãy chia dữ liệu thành nhiều tệp nhỏ hơn.",
            f'"{file_name}" unpacks to more than {MAX_UNPACKED_BYTES // 1024 ** 2} MB. '
            f"Split the data into smaller files.",
        )
    return "xlsx"


def _ole2_error(data: bytes, file_name: str) -> FileReadError:
    if ENCRYPTED_PACKAGE in data:
        return FileReadError(
            f'Tệp "{file_name}" được đặt mật khẩu nên không đọc được. Hãy mở tệp bằng Excel, '
            f"gỡ mật khẩu (Tệp > Thông tin > Bảo vệ Sổ làm việc > Mã hóa bằng Mật khẩu, "
            f"xóa mật khẩu), lưu lại rồi tải lên lại.",
            f'"{file_name}" is password-protected and cannot be read. Open it in Excel, remove '
            f"the password (File > Info > Protect Workbook > Encrypt with Password, clear it), "
            f"save it and upload it again.",
        )
    return _unsupported_error(file_name, "Excel 97-2003 .xls")


def _empty_file_error(file_name: str) -> FileReadError:
    return FileReadError(
        f'Tệp "{file_name}" trống. Hãy kiểm tra lại rồi tải lên tệp có dữ liệu.',
        f'"{file_name}" is empty. Check it and upload a file that contains data.',
    )


def _unsupported_error(file_name: str, file_format: str) -> FileReadError:
    return FileReadError(
        f'Không hỗ trợ định dạng của tệp "{file_name}" ({file_format}). {_FIX_VI}',
        f'The format of "{file_name}" ({file_format}) is not supported. {_FIX_EN}',
    )


def _corrupt_workbook_error(file_name: str, detail: str) -> FileReadError:
    return FileReadError(
        f'Tệp "{file_name}" bị hỏng hoặc không phải tệp Excel .xlsx hợp lệ ({detail}). '
        f"Hãy mở lại tệp bằng Excel, lưu lại dưới dạng .xlsx rồi tải lên lại.",
        f'"{file_name}" is corrupt or not a valid Excel .xlsx file ({detail}). '
        f"Open it in Excel, save it as .xlsx again and upload it again.",
    )


def _row_limit_error(sheet_name: str, file_name: str) -> FileReadError:
    return FileReadError(
        f'Trang tính "{sheet_name}" của tệp "{file_name}" có hơn {_vi_number(MAX_ROWS)} dòng, '
        f"vượt giới hạn. Hãy chia dữ liệu thành nhiều tệp, hoặc xóa các dòng thừa ở cuối trang tính.",
        f'Sheet "{sheet_name}" of "{file_name}" has more than {MAX_ROWS:,} rows, over the limit. '
        f"Split the data into several files, or delete the extra rows at the end of the sheet.",
    )


# --- Shared row handling ----------------------------------------------------------


def _clean_text(text: str) -> str | None:
    """Return NFC text without surrounding blanks, or None when nothing is left."""
    text = _SURROUNDING_BLANKS.sub("", unicodedata.normalize("NFC", text))
    return text or None


def _collect_rows(rows: Iterable[list[object]], sheet_name: str, file_name: str) -> list[list[object]]:
    """Trim each row's trailing empty cells, keep empty rows in the middle and drop them at the end.

    Empty rows are counted against `MAX_ROWS` only when a non-empty row follows them,
    so a sheet formatted down to Excel's last row is still read.
    """
    collected: list[list[object]] = []
    pending_empty = 0

    for row in rows:
        while row and row[-1] is None:
            row.pop()
        if not row:
            pending_empty += 1
            continue

        if len(collected) + pending_empty >= MAX_ROWS:
            raise _row_limit_error(sheet_name, file_name)
        collected.extend([] for _ in range(pending_empty))
        pending_empty = 0
        collected.append(row)

    return collected


# --- CSV ----------------------------------------------------------------------------


def _read_csv(data: bytes, file_name: str) -> RawSheet:
    text, encoding = _decode(data, file_name)

    lines = text.split("\n", 1)
    directive = _SEPARATOR_DIRECTIVE.match(lines[0].rstrip("\r"))
    if directive:
        delimiter = directive.group(1)
        # The directive line becomes an empty row, so row numbers still match the lines.
        text = "\n" + (lines[1] if len(lines) > 1 else "")
    else:
        delimiter = _detect_delimiter(text)
    log.debug("Reading %s as CSV, encoding %s, delimiter %r", file_name, encoding, delimiter)

    reader = csv.reader(io.StringIO(text, newline=""), delimiter=delimiter, skipinitialspace=True)
    try:
        rows = _collect_rows(([_clean_text(cell) for cell in record] for record in reader), file_name, file_name)
    except csv.Error as error:
        raise FileReadError(
            f'Không đọc được tệp CSV "{file_name}" ở dòng {reader.line_num} ({error}). '
            f"Hãy kiểm tra dấu ngoặc kép ở dòng đó, hoặc lưu lại tệp bằng Excel.",
            f'Could not read CSV file "{file_name}" at line {reader.line_num} ({error}). '
            f"Check the quotation marks on that line, or save the file again from Excel.",
        ) from None

    return RawSheet(file_name, rows, file_name, encoding=encoding, delimiter=delimiter)


def _decode(data: bytes, file_name: str) -> tuple[str, str]:
    """Decode CSV bytes to NFC text and return it with the Python name of the encoding."""
    if data.startswith(b"\xef\xbb\xbf"):
        encoding, body = "utf-8", data[3:]
    elif data.startswith((b"\xff\xfe", b"\xfe\xff")):
        encoding = "utf-16-le" if data.startswith(b"\xff\xfe") else "utf-16-be"
        body = data[2:]
    else:
        encoding, body = _utf16_without_bom(data) or "utf-8", data

    # Control bytes are the same characters in UTF-8 and Windows-1258, so the raw bytes
    # can be checked before either is tried.
    if encoding == "utf-8" and _looks_binary(body[:SAMPLE_CHARS]):
        raise _not_text_error(file_name)

    try:
        text = body.decode(encoding)
    except UnicodeDecodeError:
        if encoding != "utf-8":
            raise _not_text_error(file_name) from None
        text, encoding = _decode_legacy(body, file_name), "cp1258"

    if encoding.startswith("utf-16") and _looks_binary(text[:SAMPLE_CHARS]):
        raise _not_text_error(file_name)
    return unicodedata.normalize("NFC", text), encoding


def _utf16_without_bom(data: bytes) -> str | None:
    """Return "utf-16-le" or "utf-16-be" when NUL bytes show UTF-16 text, else None.

    ASCII characters in UTF-16 have a NUL high byte, so one of the two byte positions
    is mostly NUL and the other almost never.
    """
    sample = data[:UTF16_SAMPLE_BYTES]
    pairs = len(sample) // 2
    if pairs == 0:
        return None

    even_nuls = sample[0 : 2 * pairs : 2].count(0) / pairs
    odd_nuls = sample[1 : 2 * pairs : 2].count(0) / pairs
    if odd_nuls > 0.3 and even_nuls < 0.05:
        return "utf-16-le"
    if even_nuls > 0.3 and odd_nuls < 0.05:
        return "utf-16-be"
    return None


def _decode_legacy(body: bytes, file_name: str) -> str:
    # Windows-1258 writes most tone marks as combining characters after the vowel.
    # _decode applies NFC, which composes them into the usual precomposed letters.
    # NOTE: text in the older TCVN3 (ABC) or VNI font encodings also decodes here
    # without error, but comes out garbled.
    try:
        return body.decode("cp1258")
    except UnicodeDecodeError:
        raise FileReadError(
            f'Không nhận ra bảng mã của tệp "{file_name}". Hãy mở tệp bằng Excel và lưu lại '
            f'dưới dạng "CSV UTF-8 (Comma delimited)" hoặc Excel Workbook (.xlsx).',
            f'Could not detect the text encoding of "{file_name}". Open it in Excel and save it '
            f'as "CSV UTF-8 (Comma delimited)" or Excel Workbook (.xlsx).',
        ) from None


def _looks_binary(sample: str | bytes) -> bool:
    """Tell whether a sample has a NUL or more than 1% other control characters."""
    codes = sample if isinstance(sample, bytes) else [ord(char) for char in sample]
    controls = sum(1 for code in codes if code < 32 and code not in (9, 10, 13))
    return 0 in codes or controls > len(codes) / 100


def _not_text_error(file_name: str) -> FileReadError:
    return FileReadError(
        f'Tệp "{file_name}" không phải tệp CSV dạng văn bản, cũng không phải tệp Excel .xlsx. {_FIX_VI}',
        f'"{file_name}" is neither a CSV text file nor an Excel .xlsx file. {_FIX_EN}',
    )


def _detect_delimiter(text: str) -> str:
    """Pick the separator that splits the most sampled records into the same number of cells.

    Each candidate splits the sample with the csv module, so quoted cells count as one
    cell. Ties on the record count go to the wider split, then to the earlier candidate
    in `CSV_DELIMITERS`. This keeps ";" for Excel's Vietnamese CSV, whose decimal commas
    ("85,5") would otherwise look like a second separator.
    """
    sample = text[:SAMPLE_CHARS]
    if len(text) > SAMPLE_CHARS and "\n" in sample:
        sample = sample[: sample.rindex("\n")]

    scores = {delimiter: _delimiter_score(sample, delimiter) for delimiter in CSV_DELIMITERS}
    best = max(CSV_DELIMITERS, key=lambda delimiter: scores[delimiter])
    return best if scores[best] > (0, 0) else ","


def _delimiter_score(sample: str, delimiter: str) -> tuple[int, int]:
    """Return how many records share the most common cell count, and that count.

    A candidate that never splits a record scores (0, 0).
    """
    reader = csv.reader(io.StringIO(sample, newline=""), delimiter=delimiter, skipinitialspace=True)
    try:
        # A blank line is an empty record. A line of separators alone still counts.
        widths = Counter(len(record) for record in reader if record)
    except csv.Error:
        return (0, 0)

    splits = {width: count for width, count in widths.items() if width > 1}
    if not splits:
        return (0, 0)
    width = max(splits, key=lambda key: (splits[key], key))
    return (splits[width], width)


# --- Excel .xlsx ----------------------------------------------------------------------


def _read_xlsx(data: bytes, file_name: str) -> list[RawSheet]:
    try:
        with warnings.catch_warnings():
            # openpyxl warns about extensions it drops (data validation, conditional
            # formatting), which do not change cell values.
            warnings.filterwarnings("ignore", category=UserWarning, module="openpyxl")
            workbook = openpyxl.load_workbook(io.BytesIO(data), read_only=True, data_only=True)
            try:
                with zipfile.ZipFile(io.BytesIO(data)) as archive:
                    sheets = _read_worksheets(workbook, archive, file_name)
            finally:
                workbook.close()
    except (InvalidFileException, zipfile.BadZipFile, zlib.error, EOFError, KeyError, ValueError,
            TypeError, OSError, SyntaxError) as error:
        # SyntaxError covers the XML parse errors of ElementTree.
        raise _corrupt_workbook_error(file_name, f"{type(error).__name__}: {error}") from None

    return sheets


def _read_worksheets(workbook: openpyxl.Workbook, archive: zipfile.ZipFile, file_name: str) -> list[RawSheet]:
    """Read each worksheet's cells with openpyxl and its XML details with `_scan_worksheet`."""
    paths = _worksheet_paths(archive)
    sheets = []

    for sheet in workbook.worksheets:
        path = paths.get(sheet.title)
        if path is None:
            # NOTE: a workbook part stored elsewhere than xl/workbook.xml, or a sheet name
            # that openpyxl changed, ends up here without hidden rows, hidden columns or
            # `Uncalculated` markers.
            log.warning("Worksheet XML of sheet %r of %s not found, reading its cells only", sheet.title, file_name)
            scan = _WorksheetScan()
        else:
            scan = _scan_worksheet_member(archive, path)
        sheets.append(_read_worksheet(sheet, scan, file_name))

    return sheets


def _read_worksheet(sheet: ReadOnlyWorksheet, scan: _WorksheetScan, file_name: str) -> RawSheet:
    # The stored dimension of a sheet is sometimes wrong, and read-only mode would then
    # cut off the cells beyond it.
    sheet.reset_dimensions()
    name = _clean_text(sheet.title) or sheet.title

    rows = _collect_rows(_worksheet_rows(sheet, scan.uncalculated), name, file_name)
    hidden = sheet.sheet_state in ("hidden", "veryHidden")
    width = max((len(row) for row in rows), default=0)

    return RawSheet(
        name,
        rows,
        file_name,
        hidden=hidden,
        hidden_rows=frozenset(index for index in scan.hidden_rows if index < len(rows)),
        hidden_columns=scan.hidden_columns(width),
    )


def _worksheet_rows(
    sheet: ReadOnlyWorksheet, uncalculated: dict[int, dict[int, Uncalculated]]
) -> Iterator[list[object]]:
    """Yield each row's cell values, with `Uncalculated` markers in place of their None."""
    # openpyxl yields an empty row for each row number missing from the XML, starting
    # at row 1, so the position in this loop is the row number minus 1.
    for index, row in enumerate(sheet.iter_rows()):
        cells = [_cell_value(cell) for cell in row]

        markers = uncalculated.get(index)
        if markers:
            _place_markers(cells, markers)
        yield cells


def _place_markers(cells: list[object], markers: dict[int, Uncalculated]) -> None:
    for column, marker in markers.items():
        if column >= len(cells):
            cells.extend([None] * (column + 1 - len(cells)))
        if cells[column] is None:
            cells[column] = marker


def _cell_value(cell: ReadOnlyCell) -> object:
    value = cell.value
    if isinstance(value, str):
        return _clean_text(value)

    number_format = getattr(cell, "number_format", None)
    is_number = isinstance(value, (int, float)) and not isinstance(value, bool)
    if is_number and number_format and _is_percent_format(number_format):
        return Percent(float(value))
    return value


def _is_percent_format(number_format: str) -> bool:
    """Tell whether an Excel number format multiplies the value by 100 to show it."""
    return "%" in _LITERAL_IN_FORMAT.sub("", number_format)


# --- Worksheet XML: hidden rows and columns, uncalculated formulas ---------------------

_SHEET_TAG = f"{{{SHEET_MAIN_NS}}}sheet"
_ROW_TAG = f"{{{SHEET_MAIN_NS}}}row"
_COLUMN_TAG = f"{{{SHEET_MAIN_NS}}}col"
_FORMULA_TAG = f"{{{SHEET_MAIN_NS}}}f"
_VALUE_TAG = f"{{{SHEET_MAIN_NS}}}v"
_RELATIONSHIP_TAG = f"{{{PKG_REL_NS}}}Relationship"
_RELATIONSHIP_ID = f"{{{REL_NS}}}id"

# The XML Schema spellings of true, which the hidden attributes use.
_XML_TRUE = ("1", "true")

# Worksheet XML without any of these byte strings has no hidden rows or columns and no
# formula element, whatever namespace prefix it uses ("<f>", "<x:f>"). They may also
# occur elsewhere, which only costs a needless parse.
_SCAN_TRIGGERS = (b"hidden", b"<f", b":f")
_SCAN_CHUNK_BYTES = 1024 * 1024


@dataclass
class _WorksheetScan:
    """Details of one worksheet's XML that openpyxl's read-only mode does not return.

    Row and column indices are 0-based, so row number 5 of the sheet is index 4.
    """

    hidden_rows: set[int] = field(default_factory=set)
    hidden_column_ranges: list[tuple[int, int]] = field(default_factory=list)
    uncalculated: dict[int, dict[int, Uncalculated]] = field(default_factory=dict)

    # Shared formulas by their "si" index: the formula text and the cell it is written in.
    shared_formulas: dict[str, tuple[str, str]] = field(default_factory=dict)

    def hidden_columns(self, width: int) -> frozenset[int]:
        """Return the hidden column positions below ``width``.

        Hiding every unused column to the right gives a range up to column 16,384,
        which this keeps to the cells that exist.
        """
        positions: set[int] = set()
        for first, last in self.hidden_column_ranges:
            positions.update(range(max(first, 1) - 1, min(last, width)))
        return frozenset(positions)


def _worksheet_paths(archive: zipfile.ZipFile) -> dict[str, str]:
    """Map each sheet name in xl/workbook.xml to the archive path of its worksheet XML.

    Returns an empty dict when the archive has no xl/workbook.xml or its relationships.
    """
    names = set(archive.namelist())
    if ARC_WORKBOOK not in names or ARC_WORKBOOK_RELS not in names:
        return {}

    relationships = ElementTree.fromstring(archive.read(ARC_WORKBOOK_RELS))
    targets = {
        relationship.get("Id"): _archive_path(relationship.get("Target", ""))
        for relationship in relationships.iter(_RELATIONSHIP_TAG)
    }

    workbook = ElementTree.fromstring(archive.read(ARC_WORKBOOK))
    paths = {}
    for sheet in workbook.iter(_SHEET_TAG):
        target = targets.get(sheet.get(_RELATIONSHIP_ID))
        if target in names:
            paths[sheet.get("name")] = target
    return paths


def _archive_path(target: str) -> str:
    """Turn a relationship target of xl/workbook.xml into a path inside the archive.

    A target starting with "/" is relative to the archive root, any other to xl/.
    """
    if target.startswith("/"):
        return target.lstrip("/")
    return posixpath.normpath(posixpath.join(posixpath.dirname(ARC_WORKBOOK), target))


def _scan_worksheet_member(archive: zipfile.ZipFile, path: str) -> _WorksheetScan:
    """Scan a worksheet's XML in the archive, skipping the parse when nothing can be found.

    Searching the bytes for `_SCAN_TRIGGERS` is more than ten times faster than parsing them.
    """
    with archive.open(path) as source:
        if not _contains_scan_trigger(source):
            return _WorksheetScan()

    with archive.open(path) as source:
        return _scan_worksheet(source)


def _contains_scan_trigger(source: IO[bytes]) -> bool:
    # Each chunk is searched together with the end of the previous one, so a trigger
    # split between two chunks is still found.
    overlap = max(len(trigger) for trigger in _SCAN_TRIGGERS) - 1
    tail = b""

    while chunk := source.read(_SCAN_CHUNK_BYTES):
        data = tail + chunk
        if any(trigger in data for trigger in _SCAN_TRIGGERS):
            return True
        tail = data[-overlap:]
    return False


def _scan_worksheet(source: IO[bytes]) -> _WorksheetScan:
    """Collect hidden rows, hidden columns and formulas without a saved result.

    The XML is streamed and each row is cleared once read, so memory stays small on
    large sheets. ElementTree does not load external entities.
    """
    scan = _WorksheetScan()
    row_number = 0
    row_has_formula = False

    for _event, element in ElementTree.iterparse(source):
        tag = element.tag
        if tag == _FORMULA_TAG:
            row_has_formula = True
        elif tag == _ROW_TAG:
            row_number = _row_number(element, row_number)
            _scan_row(scan, element, row_number, row_has_formula)
            row_has_formula = False
            element.clear()
        elif tag == _COLUMN_TAG and element.get("hidden") in _XML_TRUE:
            scan.hidden_column_ranges.append((int(element.get("min")), int(element.get("max"))))

    return scan


def _row_number(row: ElementTree.Element, previous: int) -> int:
    """Return the 1-based number of a row element. A row without "r" follows the previous one."""
    number = row.get("r")
    return int(number) if number else previous + 1


def _scan_row(scan: _WorksheetScan, row: ElementTree.Element, row_number: int, has_formula: bool) -> None:
    # Rows from MAX_ROWS on never reach RawSheet.rows, because _collect_rows raises first.
    if row.get("hidden") in _XML_TRUE and row_number <= MAX_ROWS:
        scan.hidden_rows.add(row_number - 1)

    if has_formula:
        _scan_formulas(scan, row, row_number)


def _scan_formulas(scan: _WorksheetScan, row: ElementTree.Element, row_number: int) -> None:
    """Record the shared formulas of a row and its formula cells without a saved result.

    NOTE: an array formula without a saved result is only found in its first cell,
    because the other cells of its range contain no formula element.
    """
    # A cell without "r" follows the previous cell, so its column is counted from the
    # last cell that has one. References are only parsed for the few cells that need
    # a position, which keeps rows of calculated formulas fast.
    last_reference = None
    offset = 0

    for cell in row:
        reference = cell.get("r")
        if reference:
            last_reference, offset = reference, 0
        else:
            offset += 1

        formula = cell.find(_FORMULA_TAG)
        if formula is None:
            continue

        is_shared_master = formula.get("t") == "shared" and bool(formula.text)
        is_uncalculated = not _has_saved_result(cell)
        if not (is_shared_master or is_uncalculated):
            continue

        column = _column_number(last_reference, offset)
        coordinate = f"{get_column_letter(column)}{row_number}"
        if is_shared_master:
            scan.shared_formulas[formula.get("si", "")] = (formula.text, coordinate)
        if is_uncalculated:
            marker = Uncalculated(_formula_text(scan, formula, coordinate))
            scan.uncalculated.setdefault(row_number - 1, {})[column - 1] = marker


def _has_saved_result(cell: ElementTree.Element) -> bool:
    """Tell whether a formula cell has the result of its last calculation.

    Excel saves the result in a "v" element, empty only for a formula that returns
    empty text (type "str"). openpyxl writes an empty "v" for any formula it saves.
    """
    value = cell.find(_VALUE_TAG)
    if value is None:
        return False
    return bool(value.text) or cell.get("t") == "str"


def _column_number(last_reference: str | None, offset: int) -> int:
    """Return the 1-based column of a cell ``offset`` cells after the cell ``last_reference``."""
    if last_reference is None:
        return offset
    return column_index_from_string(coordinate_from_string(last_reference)[0]) + offset


def _formula_text(scan: _WorksheetScan, formula: ElementTree.Element, coordinate: str) -> str:
    """Return a cell's formula text, moving a shared formula to the cell.

    Only the first cell of a shared formula contains its text. The other cells
    contain its "si" index, and their formula is that text moved to their position,
    as when Excel fills a formula down. Returns "" when the first cell is missing.
    """
    text = formula.text or ""
    if text or formula.get("t") != "shared":
        return text

    shared = scan.shared_formulas.get(formula.get("si", ""))
    if shared is None:
        return ""

    shared_text, origin = shared
    try:
        return Translator(f"={shared_text}", origin).translate_formula(coordinate).removeprefix("=")
    except (TokenizerError, TranslatorError):
        return shared_text
