"""Validate a user's file: find what each sheet holds, parse every row, check it,
and collect every problem at once.

The result is a `ValidationReport` with one clean table per kind found. Nothing is
stored here; `monitoring.store` imports a report only when it has no errors.
"""

from __future__ import annotations

from datetime import date, datetime, timedelta, timezone
from pathlib import Path

import pandas as pd

from geo.matching import match_province
from geo.units import communes, provinces
from monitoring import portal766
from monitoring.columns import REQUIRED
from monitoring.file_problems import (
    hidden_sheet_problem,
    key_when,
    missing_units_warning,
    no_rows_problem,
    no_table_problem,
    skipped_sheet_problem,
    unit_label,
)
from monitoring.formatting import number, percent
from monitoring.model import (
    COMMUNE_STATUS,
    CONDITION_KEYS,
    FILING,
    KEYS,
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
from monitoring.resolve import Resolved, UnitResolver, name_level
from monitoring.rules import StatusRules
from monitoring.sheets import (
    UNIT_FIELDS,
    SheetLayout,
    find_layout,
    hidden_columns_message,
    is_column_number_row,
    is_footer_row,
    is_guide_sheet,
    is_section_row,
    is_total_row,
    missing_columns,
    missing_conditions_message,
    unread_columns_message,
)
from monitoring.values import (
    ValueProblem,
    is_excel_error,
    parse_count,
    parse_date,
    parse_number,
    parse_rate,
    parse_status,
    parse_text,
    parse_yes_no,
    rate_scale,
)

RATE_TOLERANCE = 0.005
"""How far a written online rate may differ from online / total before it is an error
(half a percentage point, on top of the rounding of the counts)."""

SCORE_TOTAL_TOLERANCE = 0.1
"""How far a written total score may differ from the sum of its six groups."""

_FAR_FUTURE = date(9999, 12, 31)

MAX_LISTED_ROWS = 20
"""Row numbers listed in one warning about skipped hidden rows, before "and N more"."""

VIETNAM_TIME = timezone(timedelta(hours=7), "ICT")
"""Vietnam's time zone, UTC+7 all year (no daylight saving time)."""


def vietnam_today() -> date:
    """Return today's date in Vietnam, which a server on UTC reaches 7 hours late."""
    return datetime.now(VIETNAM_TIME).date()


class _Checker:
    """Validate the sheets of one file into a report."""

    def __init__(self, file_name: str, today: date, rules: StatusRules) -> None:
        self.report = ValidationReport(file_name)
        self.today = today
        self.rules = rules
        self.units = UnitResolver()
        self.records: dict[str, list[dict]] = {}
        self._parsed: dict[tuple, tuple[bool, object]] = {}

    # --- problems ------------------------------------------------------------

    def add(self, severity, layout, row, key, value, message_vi, message_en) -> None:
        column = layout.header_of(key) if layout is not None and key else None
        sheet = layout.sheet.name if layout is not None else None
        self.report.add(Problem(severity, sheet, row, column, value, message_vi, message_en))

    def add_value_problem(self, layout, row, key, value, problem: ValueProblem) -> None:
        self.add(ERROR, layout, row, key, value, problem.message("vi"), problem.message("en"))

    # --- sheets ---------------------------------------------------------------

    def check_sheet(self, layout: SheetLayout) -> None:
        records = self.records.setdefault(layout.kind, [])
        if not self.check_columns(layout):
            return
        self.warn_about_columns(layout)
        scale = layout.rate_scale = self.column_rate_scale(layout)

        hidden_rows = []
        for index in range(layout.header_index + 1, len(layout.sheet.rows)):
            cells = layout.sheet.rows[index]
            if index in layout.sheet.hidden_rows:
                hidden_rows.append(index + 1)
                continue
            if is_footer_row(cells, layout.mapping):
                self.warn_footer(layout, index + 1)
                break
            if index == layout.header_index + 1 and is_column_number_row(cells):
                continue
            raw = self.raw_row(layout, cells)
            if raw is None:
                continue
            self.report.rows += 1
            if is_total_row(cells):
                self.warn_total_row(layout, index + 1)
                continue
            if is_section_row(cells, layout):
                self.warn_section_row(layout, index + 1, cells)
                continue
            record = self.parse_row(layout, raw, index + 1, scale)
            if record is not None:
                records.append(record)
        self.warn_hidden_rows(layout, hidden_rows)

    def raw_row(self, layout: SheetLayout, cells: list[object]) -> dict | None:
        raw = {key: cells[position] if position < len(cells) else None for position, key in layout.mapping.items()}
        if all(value is None or str(value).strip() == "" for value in raw.values()):
            return None
        raw.update({key: value for key, value in layout.constants.items() if raw.get(key) in (None, "")})
        return raw

    def warn_about_columns(self, layout: SheetLayout) -> None:
        messages = (hidden_columns_message(layout), unread_columns_message(layout), missing_conditions_message(layout))
        for message in messages:
            if message is not None:
                self.add(WARNING, layout, layout.header_row, None, None, *message)

    def warn_rate_error(self, layout: SheetLayout, row: int, value: object) -> None:
        self.add(
            WARNING,
            layout,
            row,
            "rate",
            value,
            f"Ô tỷ lệ chứa lỗi công thức Excel {value} nên được bỏ qua; tỷ lệ được tính từ số hồ sơ.",
            f"The rate cell holds the Excel error {value}, so it is ignored; the rate is computed from the counts.",
        )

    def warn_hidden_rows(self, layout: SheetLayout, rows: list[int]) -> None:
        """Name the hidden rows of a sheet that were skipped, up to `MAX_LISTED_ROWS`."""
        if not rows:
            return
        listed = ", ".join(str(row) for row in rows[:MAX_LISTED_ROWS])
        more_vi = f" và {number(len(rows) - MAX_LISTED_ROWS)} dòng khác" if len(rows) > MAX_LISTED_ROWS else ""
        more_en = f" and {number(len(rows) - MAX_LISTED_ROWS, 'en')} more" if len(rows) > MAX_LISTED_ROWS else ""
        self.add(
            WARNING,
            layout,
            None,
            None,
            None,
            f"Bỏ qua {number(len(rows))} dòng ẩn (dòng {listed}{more_vi}). Nếu cần nhập các dòng này, hãy bỏ ẩn dòng.",
            f"Skipped {number(len(rows), 'en')} hidden rows (rows {listed}{more_en}). Unhide them to import them.",
        )

    def warn_footer(self, layout: SheetLayout, row: int) -> None:
        self.add(
            WARNING,
            layout,
            row,
            None,
            None,
            f"Dừng đọc ở dòng {row}: từ dòng này là phần ký tên cuối bảng.",
            f"Stopped reading at row {row}: the signature block under the table starts there.",
        )

    def warn_section_row(self, layout: SheetLayout, row: int, cells: list[object]) -> None:
        label = " ".join(str(cell).strip() for cell in cells if cell is not None and str(cell).strip())
        self.add(
            WARNING,
            layout,
            row,
            None,
            label,
            f"Bỏ qua dòng tiêu đề nhóm “{label}”: dòng này không có số liệu.",
            f"Skipped the group heading “{label}”: the row holds no data.",
        )

    def warn_total_row(self, layout: SheetLayout, row: int) -> None:
        self.add(
            WARNING,
            layout,
            row,
            None,
            None,
            "Dòng tổng cộng được bỏ qua: số liệu tổng hợp được tính từ các dòng đơn vị.",
            "Skipped a total row: totals are computed from the unit rows.",
        )

    def check_columns(self, layout: SheetLayout) -> bool:
        problems = missing_columns(layout)
        if layout.portal:
            problems += portal766.period_problems(layout.constants, self.report.file_name)
        for message_vi, message_en in problems:
            self.add(ERROR, layout, layout.header_row, None, None, message_vi, message_en)
        return not problems

    def column_rate_scale(self, layout: SheetLayout) -> str | None:
        positions = [position for position, key in layout.mapping.items() if key == "rate"]
        if not positions:
            return None
        values = [row[positions[0]] for row in layout.sheet.rows[layout.header_index + 1 :] if len(row) > positions[0]]
        return rate_scale(values)

    # --- rows -----------------------------------------------------------------

    def parse_row(self, layout: SheetLayout, raw: dict, row: int, scale: str | None) -> dict | None:
        """Parse and check one row. A row with errors whose key could still be read is
        returned marked ``_invalid``, so a second row with its key is reported too."""
        values, failed = self.parse_cells(layout, raw, row, scale)
        unit = {} if layout.kind == TASKS else self.resolve_unit(layout, raw, row)
        if unit is None:
            return None
        values.update(unit)
        values["_row"] = row
        values["_sheet"] = layout.sheet.name
        keyed = all(values.get(column) is not None for column in KEYS[layout.kind])
        checked = None if failed else self.check_record(layout, raw, values)
        if checked is None:
            return {**values, "_invalid": True} if keyed else None
        return checked

    def parse_cells(self, layout: SheetLayout, raw: dict, row: int, scale: str | None) -> tuple[dict, bool]:
        """Parse the cells of a row; return the values read and whether any cell failed."""
        values: dict[str, object] = {}
        failed = False
        for key, value in raw.items():
            if key in UNIT_FIELDS:
                continue
            if key == "rate" and is_excel_error(value) and raw.get("online") not in (None, ""):
                self.warn_rate_error(layout, row, value)
                continue
            try:
                values[key] = self.parse_cell(layout.kind, key, value, scale)
            except ValueProblem as problem:
                self.add_value_problem(layout, row, key, value, problem)
                failed = True
        missing = [key for key in REQUIRED[layout.kind] if values.get(key) is None and key not in UNIT_FIELDS]
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
        return values, bool(failed or missing)

    def parse_cell(self, kind: str, key: str, value: object, scale: str | None) -> object:
        """Parse one cell, remembering the result of each distinct text or number:
        a file repeats its dates, codes and statuses on many rows."""
        try:
            memo_key = (kind, key, type(value), value, scale)
            outcome = self._parsed.get(memo_key)
        except TypeError:
            return self._parse_cell(kind, key, value, scale)
        if outcome is None:
            try:
                outcome = (True, self._parse_cell(kind, key, value, scale))
            except ValueProblem as problem:
                outcome = (False, problem)
            self._parsed[memo_key] = outcome
        if not outcome[0]:
            raise outcome[1]
        return outcome[1]

    def _parse_cell(self, kind: str, key: str, value: object, scale: str | None) -> object:
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
            return _check_period(parse_period(value), value, self.today)
        if key in SCORE_KEYS or (key == "total" and kind == SCORES):
            return parse_score(value, score_maximum(key))
        return parse_text(value)

    # --- units ----------------------------------------------------------------

    def resolve_unit(self, layout: SheetLayout, raw: dict, row: int) -> dict | None:
        level = self.unit_level(layout, raw)
        if level == "ambiguous":
            self.add_both_levels(layout, row, raw.get("unit_name"))
            return None
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

    def add_both_levels(self, layout: SheetLayout, row: int, name: object) -> None:
        text = parse_text(name)
        self.add(
            ERROR,
            layout,
            row,
            "unit_name",
            name,
            f"“{text}” là tên của cả một tỉnh và một xã, phường. Hãy ghi rõ, ví dụ “Tỉnh {text}” hoặc "
            f"“Phường {text}”, hoặc ghi mã đơn vị.",
            f"“{text}” names both a province and a commune. Write which, e.g. “Tỉnh {text}” or "
            f"“Phường {text}”, or give the unit code.",
        )

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

    def unit_level(self, layout: SheetLayout, raw: dict) -> str:
        """Tell whether a row of a filing or score sheet is about a province or a commune.

        Returns "ambiguous" for a bare name that is both a province and a commune in a
        column that mixes both levels.
        """
        if layout.kind == PROVINCE_STATUS:
            return "province"
        if layout.kind == COMMUNE_STATUS:
            return "commune"
        if raw.get("commune_code") not in (None, "") or raw.get("commune_name") not in (None, ""):
            return "commune"

        name = parse_text(raw.get("unit_name"))
        level = name_level(name) if name is not None else "unknown"
        if level in ("commune", "province"):
            return level
        if level == "both":
            return layout.name_level or "ambiguous"
        if raw.get("unit_code") not in (None, ""):
            return layout.code_level
        return layout.name_level or "province"

    def report_unit(self, layout: SheetLayout, raw: dict, row: int, resolved: Resolved | None, level: str) -> dict | None:
        if resolved is None or (resolved.code is None and not resolved.findings):
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
        if rate is not None and layout.rate_scale == "percent" and _bare_fraction(raw.get("rate")):
            self.warn_rate_scale(layout, row, raw.get("rate"), rate)
        if online is None:
            values["online"] = online = round(rate * total)
        if online > total:
            self.add(
                ERROR,
                layout,
                row,
                "online",
                raw.get("online"),
                f"Số hồ sơ trực tuyến ({number(online)}) lớn hơn tổng số hồ sơ ({number(total)}). "
                "Hãy sửa một trong hai số.",
                f"Online dossiers ({number(online, 'en')}) exceed the total ({number(total, 'en')}). "
                "Correct one of the two numbers.",
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
                    f"Tỷ lệ {percent(rate)} không khớp với {number(online)}/{number(total)} hồ sơ "
                    f"({percent(online / total)}). "
                    "Hãy sửa tỷ lệ, hoặc xóa cột tỷ lệ vì tỷ lệ được tính từ số hồ sơ.",
                    f"The rate {percent(rate, 'en')} disagrees with {number(online, 'en')}/{number(total, 'en')} "
                    f"dossiers ({percent(online / total, 'en')}). "
                    "Correct it, or drop the rate column: rates are computed from the counts.",
                )
                return None
        return values

    def warn_rate_scale(self, layout: SheetLayout, row: int, written: object, rate: float) -> None:
        meant = rate * 100
        self.add(
            WARNING,
            layout,
            row,
            "rate",
            written,
            f"Tỷ lệ “{written}” được hiểu là {number(round(meant, 2))}%, vì cột này có giá trị lớn hơn 1 "
            f"(thang 0–100). Nếu ý là {number(round(meant * 100, 2))}%, hãy ghi {number(round(meant * 100, 2))}.",
            f"The rate “{written}” is read as {number(round(meant, 2), 'en')}%, because this column has values "
            f"above 1 (a 0–100 scale). If {number(round(meant * 100, 2), 'en')}% is meant, write "
            f"{number(round(meant * 100, 2), 'en')}.",
        )

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
                    f"Tổng điểm {number(values['total'])} khác tổng sáu nhóm điểm ({number(round(total, 2))}). "
                    "Hãy kiểm tra lại.",
                    f"The total score {number(values['total'], 'en')} differs from the sum of the six groups "
                    f"({number(round(total, 2), 'en')}). Check it.",
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

    def sort_problems(self, sheet_order: dict[str, int]) -> None:
        """Order problems as the file reads: file-wide ones first, then by sheet and row."""
        self.report.problems.sort(
            key=lambda problem: (
                -1 if problem.sheet is None else sheet_order.get(problem.sheet, len(sheet_order)),
                problem.row or 0,
            )
        )

    def finish(self) -> ValidationReport:
        for kind, records in self.records.items():
            self.report.kinds.append(kind)
            if not records:
                continue
            records = [record for record in self.drop_duplicates(kind, records) if not record.get("_invalid")]
            if not records:
                continue
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
        unit, unit_en = unit_label(second), unit_label(second, "en")
        when = key_when(kind, second)
        where_vi = f"dòng {first['_row']}" + (f" (trang {first['_sheet']})" if first["_sheet"] != second["_sheet"] else "")
        where_en = f"row {first['_row']}" + (f" (sheet {first['_sheet']})" if first["_sheet"] != second["_sheet"] else "")
        self.report.add(
            Problem(
                ERROR,
                second["_sheet"],
                second["_row"],
                None,
                next(second[column] for column in ("province_code", "commune_code", "unit_code", "task_id") if column in second),
                f"{unit} xuất hiện hai lần{when[0]}: ở {where_vi} và dòng này. Hãy giữ một dòng.",
                f"{unit_en} appears twice{when[1]}: at {where_en} and on this row. Keep one row.",
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
                self.report.add(missing_units_warning(kind, official, missing, report_date))


def _bare_fraction(value: object) -> bool:
    """Tell whether a written rate is a bare number from 0 to 1, with no "%" sign."""
    if isinstance(value, bool) or value is None:
        return False
    if isinstance(value, str) and "%" in value:
        return False
    try:
        number_value = parse_number(value)
    except ValueProblem:
        return False
    return number_value is not None and 0 < number_value <= 1


def _check_period(period: str | None, value: object, today: date) -> str | None:
    """Reject a score period after ``today``'s month."""
    if period is None:
        return None
    current = f"{today.year:04d}" if len(period) == 4 else f"{today.year:04d}-{today.month:02d}"
    if period > current:
        raise ValueProblem(
            f"Kỳ đánh giá “{value}” ở tương lai. Hãy kiểm tra lại năm, tháng.",
            f"The period “{value}” is in the future. Check the year and month.",
        )
    return period


def validate_sheets(
    sheets: list[RawSheet], file_name: str, *, today: date | None = None, rules: StatusRules | None = None
) -> ValidationReport:
    """Validate sheets read from one file.

    Hidden sheets and the templates' explanation sheets are not read. A sheet whose
    table lacks required columns is an error, unless another sheet of the workbook
    contains a complete table. Such a sheet is then taken for a side table (a chart's
    data, a list of units) and skipped with a warning.
    """
    checker = _Checker(file_name, today or vietnam_today(), rules or StatusRules.from_settings())
    layouts = _find_layouts(checker, sheets)
    complete = [layout for layout in layouts if not missing_columns(layout)]

    for layout in layouts:
        if complete and layout not in complete:
            checker.report.add(skipped_sheet_problem(layout))
        else:
            checker.check_sheet(layout)

    if not checker.records:
        checker.report.add(no_table_problem(file_name, sheets))
    elif not any(checker.records.values()) and not checker.report.error_count:
        checker.report.add(no_rows_problem(file_name))
    report = checker.finish()
    checker.sort_problems({sheet.name: index for index, sheet in enumerate(sheets)})
    return report


def _find_layouts(checker: _Checker, sheets: list[RawSheet]) -> list[SheetLayout]:
    layouts = []
    for sheet in sheets:
        if is_guide_sheet(sheet):
            continue
        if sheet.hidden:
            checker.report.add(hidden_sheet_problem(sheet))
            continue
        layout = find_layout(sheet, sheets, checker.report.file_name)
        if layout is None:
            continue
        if layout.portal and layout.constants.get("_skip"):
            portal766.report_skipped(checker.report, layout)
            continue
        layouts.append(layout)
    return layouts


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
