"""Validate a user's file: find what each sheet holds, parse every row, check it,
and collect every problem at once.

The result is a `ValidationReport` with one clean table per kind found. Nothing is
stored here; `monitoring.store` imports a report only when it has no errors.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date
from pathlib import Path

import pandas as pd

from geo.matching import match_province
from geo.units import communes, provinces
from monitoring import portal766
from monitoring.columns import FIELDS, REQUIRED, detect, header_key
from monitoring.model import (
    COMMUNE_STATUS,
    CONDITION_KEYS,
    FILING,
    KEYS,
    KIND_LABELS,
    PROVINCE_STATUS,
    SCORE_KEYS,
    SCORES,
    STATUS_LABELS,
    TASKS,
    normalise_table,
)
from monitoring.parsing import parse_groups, parse_period, parse_score, score_maximum
from monitoring.problems import ERROR, WARNING, Problem, ValidationReport
from monitoring.reading import RawSheet, read_sheets, read_sheets_from_bytes
from monitoring.resolve import Resolved, UnitResolver, looks_like_commune
from monitoring.rules import StatusRules
from monitoring.values import (
    ValueProblem,
    parse_count,
    parse_date,
    parse_number,
    parse_rate,
    parse_status,
    parse_text,
    parse_yes_no,
    rate_scale,
)

TOTAL_ROW_NAMES = frozenset({"tong", "tong cong", "cong", "toan quoc", "ca nuoc", "total", "grand total", "tong so"})
"""Unit names of summary rows that spreadsheets add under the data; they are skipped."""

RATE_TOLERANCE = 0.005
"""How far a written online rate may differ from online / total before it is an error
(half a percentage point, on top of the rounding of the counts)."""

SCORE_TOTAL_TOLERANCE = 0.1
"""How far a written total score may differ from the sum of its six groups."""

MAX_LISTED_UNITS = 10
"""Units named in one warning about units with no data, before "and N more"."""

_FAR_FUTURE = date(9999, 12, 31)


@dataclass
class SheetLayout:
    """Where a sheet's table is: its kind, header row and the field of each column."""

    sheet: RawSheet
    kind: str
    header_index: int
    mapping: dict[int, str]
    constants: dict[str, object] = field(default_factory=dict)
    portal: bool = False

    def header_of(self, key: str) -> str:
        for position, mapped in self.mapping.items():
            if mapped == key:
                return str(self.sheet.rows[self.header_index][position])
        return _field_header(self.kind, key)

    @property
    def fields(self) -> set[str]:
        return set(self.mapping.values()) | set(self.constants)


def _field_header(kind: str, key: str) -> str:
    for item in FIELDS[kind]:
        if item.key == key:
            return item.vi
    return key


def _format_date(value: pd.Timestamp) -> str:
    return value.strftime("%d/%m/%Y")


class _Checker:
    """Validate the sheets of one file into a report."""

    def __init__(self, file_name: str, today: date, rules: StatusRules) -> None:
        self.report = ValidationReport(file_name)
        self.today = today
        self.rules = rules
        self.units = UnitResolver()
        self.records: dict[str, list[dict]] = {}

    # --- problems ------------------------------------------------------------

    def add(self, severity, layout, row, key, value, message_vi, message_en) -> None:
        column = layout.header_of(key) if layout is not None and key else None
        sheet = layout.sheet.name if layout is not None else None
        self.report.problems.append(Problem(severity, sheet, row, column, value, message_vi, message_en))

    def add_value_problem(self, layout, row, key, value, problem: ValueProblem) -> None:
        self.add(ERROR, layout, row, key, value, problem.message("vi"), problem.message("en"))

    # --- sheets ---------------------------------------------------------------

    def layout(self, sheet: RawSheet, sheets: list[RawSheet]) -> SheetLayout | None:
        portal = portal766.layout(sheet, sheets, self.report.file_name)
        if portal is not None:
            return SheetLayout(sheet, SCORES, portal.header_index, portal.mapping, portal.constants, portal=True)
        found = detect(sheet.rows)
        if found is None:
            return None
        kind, header_index, mapping = found
        return SheetLayout(sheet, kind, header_index, mapping)

    def check_sheet(self, layout: SheetLayout) -> None:
        records = self.records.setdefault(layout.kind, [])
        if not self.check_columns(layout):
            return
        scale = self.column_rate_scale(layout)

        for index in range(layout.header_index + 1, len(layout.sheet.rows)):
            raw = self.raw_row(layout, index)
            if raw is None:
                continue
            self.report.rows += 1
            record = self.parse_row(layout, raw, index + 1, scale)
            if record is not None:
                records.append(record)

    def raw_row(self, layout: SheetLayout, index: int) -> dict | None:
        cells = layout.sheet.rows[index]
        raw = {key: cells[position] if position < len(cells) else None for position, key in layout.mapping.items()}
        if all(value is None or str(value).strip() == "" for value in raw.values()):
            return None
        raw.update({key: value for key, value in layout.constants.items() if raw.get(key) in (None, "")})
        return raw

    def check_columns(self, layout: SheetLayout) -> bool:
        missing = [key for key in REQUIRED[layout.kind] if key not in layout.fields]
        missing_any = _missing_alternatives(layout.kind, layout.fields)
        header_row = layout.header_index + 1
        if layout.portal and "period" in missing:
            missing.remove("period")
            self.add(
                ERROR,
                layout,
                header_row,
                None,
                None,
                "Không xác định được kỳ đánh giá của file xuất từ Cổng Dịch vụ công (chỉ số 766). "
                "Hãy đặt tên file có tháng và năm, ví dụ bao_cao_T10_2025.xlsx.",
                "The period of this 766 portal export could not be determined. "
                "Put the month and year in the file name, e.g. bao_cao_T10_2025.xlsx.",
            )
            return False
        for key in missing:
            header = _field_header(layout.kind, key)
            self.add(
                ERROR,
                layout,
                header_row,
                None,
                None,
                f"Thiếu cột bắt buộc “{header}” trong bảng {KIND_LABELS[layout.kind].vi.lower()}. "
                "Hãy thêm cột này, theo đúng tên trong file mẫu.",
                f"Required column “{_english_header(layout.kind, key)}” is missing from the "
                f"{KIND_LABELS[layout.kind].en.lower()} table. Add it, named as in the template.",
            )
        for vi, en in missing_any:
            self.add(ERROR, layout, header_row, None, None, vi, en)
        return not missing and not missing_any

    def column_rate_scale(self, layout: SheetLayout) -> str | None:
        positions = [position for position, key in layout.mapping.items() if key == "rate"]
        if not positions:
            return None
        values = [row[positions[0]] for row in layout.sheet.rows[layout.header_index + 1 :] if len(row) > positions[0]]
        return rate_scale(values)

    # --- rows -----------------------------------------------------------------

    def parse_row(self, layout: SheetLayout, raw: dict, row: int, scale: str | None) -> dict | None:
        if _is_total_row(raw):
            self.add(
                WARNING,
                layout,
                row,
                None,
                None,
                "Dòng tổng cộng được bỏ qua: số liệu tổng hợp được tính từ các dòng đơn vị.",
                "Skipped a total row: totals are computed from the unit rows.",
            )
            return None

        values = self.parse_cells(layout, raw, row, scale)
        unit = {} if layout.kind == TASKS else self.resolve_unit(layout, raw, row)
        if values is None or unit is None:
            return None
        values.update(unit)
        values["_row"] = row
        values["_sheet"] = layout.sheet.name
        return self.check_record(layout, raw, values)

    def parse_cells(self, layout: SheetLayout, raw: dict, row: int, scale: str | None) -> dict | None:
        values: dict[str, object] = {}
        failed = False
        for key, value in raw.items():
            if key in _UNIT_FIELDS:
                continue
            try:
                values[key] = self.parse_cell(layout.kind, key, value, scale)
            except ValueProblem as problem:
                self.add_value_problem(layout, row, key, value, problem)
                failed = True
        missing = [key for key in REQUIRED[layout.kind] if values.get(key) is None and key not in _UNIT_FIELDS]
        for key in missing:
            if not failed or raw.get(key) in (None, ""):
                self.add(
                    ERROR,
                    layout,
                    row,
                    key,
                    None,
                    f"Ô “{layout.header_of(key)}” đang trống. Hãy điền giá trị cho dòng này hoặc xóa dòng.",
                    f"The cell “{layout.header_of(key)}” is empty. Fill it in or delete the row.",
                )
        return None if failed or missing else values

    def parse_cell(self, kind: str, key: str, value: object, scale: str | None) -> object:
        if key in ("report_date", "date", "completed"):
            return parse_date(value, today=self.today)
        if key == "deadline":
            return parse_date(value, today=_FAR_FUTURE)
        if key == "status":
            return parse_status(value)
        if key in CONDITION_KEYS:
            return parse_yes_no(value)
        if key in ("online", "total") and kind == FILING:
            return parse_count(value)
        if key == "rate":
            return parse_rate(value, scale)
        if key == "groups":
            return parse_groups(value)
        if key == "period":
            return parse_period(value)
        if key in SCORE_KEYS or (key == "total" and kind == SCORES):
            return parse_score(value, score_maximum(key))
        return parse_text(value)

    # --- units ----------------------------------------------------------------

    def resolve_unit(self, layout: SheetLayout, raw: dict, row: int) -> dict | None:
        level = self.unit_level(layout.kind, raw)
        province = None
        if any(raw.get(key) not in (None, "") for key in ("province_code", "province_name")) or level == "province":
            province = self.units.province(
                raw.get("province_code"), raw.get("province_name"), "province_code", "province_name"
            )
            if level == "commune" and province.code is None:
                province = self._province_scope(layout, raw, row, province)

        if level == "province":
            if raw.get("unit_code") not in (None, "") or raw.get("unit_name") not in (None, ""):
                province = self.units.province(raw.get("unit_code"), raw.get("unit_name"), "unit_code", "unit_name")
            resolved = province
        else:
            code_key = "commune_code" if raw.get("commune_code") not in (None, "") else "unit_code"
            name_key = "commune_name" if raw.get("commune_name") not in (None, "") else "unit_name"
            resolved = self.units.commune(raw.get(code_key), raw.get(name_key), province, code_key, name_key)

        return self.report_unit(layout, raw, row, resolved, level)

    def _province_scope(self, layout: SheetLayout, raw: dict, row: int, province: Resolved) -> Resolved | None:
        """Scope a commune by a province that did not resolve cleanly.

        A pre-2025 province scopes to the province it merged into; any other problem
        is a warning and the commune is matched nationally.
        """
        for finding in province.findings:
            self.add(WARNING, layout, row, finding.field, finding.value, finding.message_vi, finding.message_en)
        name = parse_text(raw.get("province_name"))
        if name is not None:
            match = match_province(name)
            if match.status == "former":
                return Resolved(match.code)
        return None

    def unit_level(self, kind: str, raw: dict) -> str:
        if kind == PROVINCE_STATUS:
            return "province"
        if kind == COMMUNE_STATUS:
            return "commune"
        if raw.get("commune_code") not in (None, "") or raw.get("commune_name") not in (None, ""):
            return "commune"
        code = str(raw.get("unit_code") or "").strip()
        if code:
            return "province" if len(code.split(".")[0]) <= 2 else "commune"
        name = str(raw.get("unit_name") or "").strip()
        if name:
            return "commune" if looks_like_commune(name) else "province"
        return "province"

    def report_unit(self, layout: SheetLayout, raw: dict, row: int, resolved: Resolved | None, level: str) -> dict | None:
        if resolved is None or (resolved.code is None and not resolved.findings):
            key = "commune_name" if level == "commune" else "province_name"
            self.add(
                ERROR,
                layout,
                row,
                None,
                None,
                "Dòng này không ghi đơn vị. Hãy ghi mã hoặc tên tỉnh, xã.",
                "This row names no unit. Write the code or the name of the province or commune.",
            )
            return None
        for finding in resolved.findings:
            self.add(finding.severity, layout, row, finding.field, finding.value, finding.message_vi, finding.message_en)
        if resolved.code is None:
            return None
        column = {PROVINCE_STATUS: "province_code", COMMUNE_STATUS: "commune_code"}.get(layout.kind, "unit_code")
        return {column: resolved.code}

    # --- row checks -------------------------------------------------------------

    def check_record(self, layout: SheetLayout, raw: dict, values: dict) -> dict | None:
        if layout.kind == FILING:
            return self.check_filing(layout, raw, values)
        if layout.kind == SCORES:
            return self.check_scores(layout, values)
        if layout.kind == COMMUNE_STATUS:
            return self.check_commune(layout, values)
        if layout.kind == TASKS:
            return self.check_task(layout, values)
        return values

    def check_filing(self, layout: SheetLayout, raw: dict, values: dict) -> dict | None:
        row, online, total, rate = values["_row"], values.get("online"), values["total"], values.get("rate")
        if online is None and rate is None:
            self.add(
                ERROR,
                layout,
                row,
                "online",
                None,
                "Thiếu số hồ sơ trực tuyến. Hãy ghi số hồ sơ trực tuyến hoặc tỷ lệ trực tuyến.",
                "The number of online dossiers is missing. Write it, or the online rate.",
            )
            return None
        if online is None:
            values["online"] = online = round(rate * total)
        if online > total:
            self.add(
                ERROR,
                layout,
                row,
                "online",
                raw.get("online"),
                f"Số hồ sơ trực tuyến ({online}) lớn hơn tổng số hồ sơ ({total}). Hãy sửa một trong hai số.",
                f"Online dossiers ({online}) exceed the total ({total}). Correct one of the two numbers.",
            )
            return None
        if rate is not None and raw.get("online") not in (None, "") and total > 0:
            if abs(online / total - rate) > RATE_TOLERANCE + 0.5 / total:
                self.add(
                    ERROR,
                    layout,
                    row,
                    "rate",
                    raw.get("rate"),
                    f"Tỷ lệ {rate:.1%} không khớp với {online}/{total} hồ sơ ({online / total:.1%}). "
                    "Hãy sửa tỷ lệ, hoặc xóa cột tỷ lệ vì tỷ lệ được tính từ số hồ sơ.",
                    f"The rate {rate:.1%} disagrees with {online}/{total} dossiers ({online / total:.1%}). "
                    "Correct it, or drop the rate column: rates are computed from the counts.",
                )
                return None
        return values

    def check_scores(self, layout: SheetLayout, values: dict) -> dict | None:
        groups = [values.get(key) for key in SCORE_KEYS]
        if all(score is not None for score in groups):
            total = sum(groups)
            if abs(total - values["total"]) > SCORE_TOTAL_TOLERANCE:
                self.add(
                    ERROR,
                    layout,
                    values["_row"],
                    "total",
                    values["total"],
                    f"Tổng điểm {values['total']:g} khác tổng sáu nhóm điểm ({total:.2f}). Hãy kiểm tra lại.",
                    f"The total score {values['total']:g} differs from the sum of the six groups ({total:.2f}). Check it.",
                )
                return None
        return values

    def check_commune(self, layout: SheetLayout, values: dict) -> dict | None:
        conditions = {key: values.get(key) for key in CONDITION_KEYS}
        if values.get("status") is None and all(value is None for value in conditions.values()):
            self.add(
                ERROR,
                layout,
                values["_row"],
                "status",
                None,
                "Dòng này không có trạng thái và không có điều kiện nào. Hãy ghi trạng thái hoặc các điều kiện.",
                "This row has neither a status nor any condition. Write the status or the conditions.",
            )
            return None
        if values.get("status") is not None and any(value is not None for value in conditions.values()):
            derived = self.rules.derive(pd.DataFrame([conditions]))[0]
            if pd.notna(derived) and derived != values["status"]:
                given = STATUS_LABELS[values["status"]]
                rule = STATUS_LABELS[derived]
                self.add(
                    WARNING,
                    layout,
                    values["_row"],
                    "status",
                    values["status"],
                    f"Trạng thái ghi là {given['vi']} nhưng theo các điều kiện thì là {rule['vi']}; dùng trạng thái đã ghi.",
                    f"The status written is {given['en']} but the conditions give {rule['en']}; the written status is used.",
                )
        return values

    def check_task(self, layout: SheetLayout, values: dict) -> dict | None:
        completed = values.get("completed")
        if completed is not None and completed < values["deadline"] - pd.Timedelta(days=3650):
            self.add(
                WARNING,
                layout,
                values["_row"],
                "completed",
                completed,
                "Ngày hoàn thành sớm hơn hạn hơn 10 năm. Hãy kiểm tra lại ngày.",
                "The completion date is over 10 years before the deadline. Check the date.",
            )
        return values

    # --- tables -----------------------------------------------------------------

    def finish(self) -> ValidationReport:
        for kind, records in self.records.items():
            self.report.kinds.append(kind)
            if not records:
                continue
            records = self.drop_duplicates(kind, records)
            table = pd.DataFrame(records)
            self.warn_missing_units(kind, table)
            self.report.tables[kind] = normalise_table(kind, table)
        self.report.kinds.sort()
        return self.report

    def drop_duplicates(self, kind: str, records: list[dict]) -> list[dict]:
        seen: dict[tuple, dict] = {}
        kept = []
        for record in records:
            key = tuple(record.get(column) for column in KEYS[kind])
            if key in seen:
                self.add_duplicate(kind, seen[key], record)
                continue
            seen[key] = record
            kept.append(record)
        return kept

    def add_duplicate(self, kind: str, first: dict, second: dict) -> None:
        unit = _unit_label(second)
        when = _key_when(kind, second)
        where_vi = f"dòng {first['_row']}" + (f" (trang {first['_sheet']})" if first["_sheet"] != second["_sheet"] else "")
        where_en = f"row {first['_row']}" + (f" (sheet {first['_sheet']})" if first["_sheet"] != second["_sheet"] else "")
        self.report.problems.append(
            Problem(
                ERROR,
                second["_sheet"],
                second["_row"],
                None,
                unit,
                f"{unit} xuất hiện hai lần{when[0]}: ở {where_vi} và dòng này. Hãy giữ một dòng.",
                f"{unit} appears twice{when[1]}: at {where_en} and on this row. Keep one row.",
            )
        )

    def warn_missing_units(self, kind: str, table: pd.DataFrame) -> None:
        if kind not in (PROVINCE_STATUS, COMMUNE_STATUS):
            return
        code_column = "province_code" if kind == PROVINCE_STATUS else "commune_code"
        official = provinces() if kind == PROVINCE_STATUS else communes()
        for report_date, rows in table.groupby("report_date"):
            missing = official.index.difference(rows[code_column])
            if len(missing):
                self.report.problems.append(_missing_units_warning(kind, official, missing, report_date))


_UNIT_FIELDS = frozenset({"province_code", "province_name", "commune_code", "commune_name", "unit_code", "unit_name"})


def _english_header(kind: str, key: str) -> str:
    for item in FIELDS[kind]:
        if item.key == key:
            return item.en
    return key


def _missing_alternatives(kind: str, fields: set[str]) -> list[tuple[str, str]]:
    """Return messages for each "one of these columns" rule that ``fields`` breaks."""
    problems = []
    unit_fields = {
        PROVINCE_STATUS: ({"province_code", "province_name"}, "Mã tỉnh” hoặc “Tỉnh, thành phố", "Province code” or “Province"),
        COMMUNE_STATUS: ({"commune_code", "commune_name"}, "Mã xã” hoặc “Xã, phường", "Commune code” or “Commune"),
        FILING: (_UNIT_FIELDS, "Mã đơn vị” hoặc “Đơn vị", "Unit code” or “Unit"),
        SCORES: (_UNIT_FIELDS, "Mã đơn vị” hoặc “Đơn vị", "Unit code” or “Unit"),
    }
    if kind in unit_fields and not fields & unit_fields[kind][0]:
        _, vi, en = unit_fields[kind]
        problems.append((f"Thiếu cột đơn vị: cần cột “{vi}”.", f"The unit column is missing: add “{en}”."))
    if kind == COMMUNE_STATUS and not fields & {"status", *CONDITION_KEYS}:
        problems.append(
            (
                "Thiếu cột “Trạng thái” và các cột điều kiện: cần ít nhất một trong số đó.",
                "Both the “Status” column and the condition columns are missing: add at least one of them.",
            )
        )
    if kind == FILING and not fields & {"online", "rate"}:
        problems.append(
            (
                "Thiếu cột “Hồ sơ trực tuyến” (hoặc “Tỷ lệ trực tuyến”).",
                "The “Online dossiers” column (or “Online rate”) is missing.",
            )
        )
    return problems


def _is_total_row(raw: dict) -> bool:
    names = [raw.get(key) for key in ("province_name", "commune_name", "unit_name", "task_id", "title")]
    return any(isinstance(name, str) and header_key(name) in TOTAL_ROW_NAMES for name in names)


def _unit_label(record: dict) -> str:
    for column in ("province_code", "commune_code", "unit_code"):
        code = record.get(column)
        if code:
            table = provinces() if len(code) == 2 else communes()
            return f"{table.at[code, 'name']} (mã {code})"
    return f"Nhiệm vụ {record.get('task_id')}"


def _key_when(kind: str, record: dict) -> tuple[str, str]:
    for column in ("report_date", "date"):
        if column in record:
            text = _format_date(record[column])
            return f" trong ngày {text}", f" for {text}"
    if kind == SCORES:
        return f" trong kỳ {record['period']}", f" for period {record['period']}"
    return "", ""


def _missing_units_warning(kind: str, official: pd.DataFrame, missing: pd.Index, report_date) -> Problem:
    names = ", ".join(official.loc[missing[:MAX_LISTED_UNITS], "name"])
    more = len(missing) - MAX_LISTED_UNITS
    unit_vi, unit_en = ("tỉnh, thành phố", "provinces") if kind == PROVINCE_STATUS else ("xã, phường", "communes")
    count = f"{len(missing):,}".replace(",", ".")
    when = _format_date(pd.Timestamp(report_date))
    return Problem(
        WARNING,
        None,
        None,
        None,
        None,
        f"{count} {unit_vi} không có dữ liệu ngày {when}: {names}" + (f" và {more} đơn vị khác." if more > 0 else "."),
        f"{len(missing):,} {unit_en} have no data for {when}: {names}" + (f" and {more} more." if more > 0 else "."),
    )


def validate_sheets(
    sheets: list[RawSheet], file_name: str, *, today: date | None = None, rules: StatusRules | None = None
) -> ValidationReport:
    """Validate sheets read from one file."""
    checker = _Checker(file_name, today or date.today(), rules or StatusRules.from_settings())
    for sheet in sheets:
        layout = checker.layout(sheet, sheets)
        if layout is None:
            continue
        if layout.portal and layout.constants.get("_skip"):
            portal766.report_skipped(checker.report, layout)
            continue
        checker.check_sheet(layout)

    if not checker.records:
        checker.report.problems.append(_no_table_problem(file_name, sheets))
    elif not any(checker.records.values()) and not checker.report.errors:
        checker.report.problems.append(_no_rows_problem(file_name))
    return checker.finish()


def _no_rows_problem(file_name: str) -> Problem:
    return Problem(
        ERROR,
        None,
        None,
        None,
        None,
        f"“{file_name}” có dòng tiêu đề nhưng không có dòng dữ liệu nào. Hãy điền số liệu dưới dòng tiêu đề.",
        f"“{file_name}” has a header row but no data rows. Fill in the data below the header.",
    )


def _no_table_problem(file_name: str, sheets: list[RawSheet]) -> Problem:
    return Problem(
        ERROR,
        sheets[0].name if len(sheets) == 1 else None,
        None,
        None,
        None,
        f"Không nhận ra bảng dữ liệu nào trong “{file_name}”: không tìm thấy dòng tiêu đề cột quen thuộc. "
        "Hãy dùng file mẫu và giữ nguyên tên các cột.",
        f"No known table found in “{file_name}”: no row looks like a known header. "
        "Use the template and keep its column names.",
    )


def validate_file(
    source: Path | str | bytes,
    file_name: str | None = None,
    *,
    today: date | None = None,
    rules: StatusRules | None = None,
) -> ValidationReport:
    """Read and validate a CSV or Excel file given as a path or as bytes.

    Raises `monitoring.reading.FileReadError` when the file can't be read at all.
    """
    if isinstance(source, bytes):
        name = file_name or "upload"
        sheets = read_sheets_from_bytes(source, name)
    else:
        name = file_name or Path(source).name
        sheets = read_sheets(source, file_name=name)
    return validate_sheets(sheets, name, today=today, rules=rules)
