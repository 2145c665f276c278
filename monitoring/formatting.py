"""Text of reports, summaries, versions and provenance, with numbers and dates in the chosen locale."""

from __future__ import annotations

from datetime import date, datetime
from pathlib import PurePath

from babel.dates import format_date
from babel.numbers import format_decimal, format_percent

import pandas as pd

from monitoring.model import DO, KINDS, KIND_LABELS, STATUS_LABELS, TASK_GROUPS, VANG, XANH
from monitoring.problems import ERROR, WARNING, ValidationReport

_LOCALES = {"vi": "vi_VN", "en": "en_GB"}

VIETNAM_TIME = "Asia/Ho_Chi_Minh"


def number(value: float, lang: str = "vi") -> str:
    return format_decimal(value, locale=_LOCALES[lang])


def percent(value: float | None, lang: str = "vi") -> str:
    return "—" if value is None else format_percent(value, format="#,##0.0%", locale=_LOCALES[lang])


def period_label(period: str, lang: str = "vi") -> str:
    """Write a scoring period ("2025" or "2025-07") as "Năm 2025" / "Tháng 7/2025" ("Year 2025" / "July 2025")."""
    if len(period) == 7 and period[4] == "-":
        month = pd.Timestamp(f"{period}-01")
        if lang == "en":
            return format_date(month.date(), format="MMMM yyyy", locale=_LOCALES["en"])
        return f"Tháng {month.month}/{month.year}"
    return f"Year {period}" if lang == "en" else f"Năm {period}"


def threshold_percent(value: float, lang: str = "vi") -> str:
    """Write a threshold as a percentage without a needless decimal: "30%", "12,5%"."""
    return format_percent(value, format="#,##0.#%", locale=_LOCALES[lang])


def day(value, lang: str = "vi") -> str:
    return format_date(value, format="dd/MM/yyyy", locale=_LOCALES[lang])


def value_text(value: object, lang: str = "vi") -> str | None:
    """Format a cell value for the screen: numbers in the locale's style with every digit
    kept ("0,85" in Vietnamese), dates as dd/mm/yyyy, anything else as written."""
    if value is None:
        return None
    if isinstance(value, (int, float)) and not isinstance(value, bool):
        return format_decimal(value, locale=_LOCALES[lang], decimal_quantization=False)
    if isinstance(value, datetime):
        stamp = day(value, lang)
        return stamp if value.time() == datetime.min.time() else f"{stamp} {value:%H:%M}"
    if isinstance(value, date):
        return day(value, lang)
    return str(value)


def _place(problem, lang: str) -> str:
    parts = []
    if problem.sheet:
        parts.append(("sheet " if lang == "en" else "trang ") + problem.sheet)
    if problem.row is not None:
        parts.append(("row " if lang == "en" else "dòng ") + str(problem.row))
    if problem.column:
        parts.append(("column " if lang == "en" else "cột ") + problem.column)
    if problem.value not in (None, ""):
        parts.append(("value " if lang == "en" else "giá trị ") + f"“{problem.value}”")
    return ", ".join(parts)


def _count(value: int, singular: str, plural: str, lang: str) -> str:
    """Format a count with the English noun form that fits it, such as "1 error" or "1,200 errors"."""
    return f"{number(value, lang)} {singular if value == 1 else plural}"


def kinds_text(kinds, lang: str = "vi", separator: str = ", ") -> str:
    """Join the labels of table kinds, keeping a key that has no label as it is."""
    return separator.join(KIND_LABELS[kind].text(lang) if kind in KIND_LABELS else kind for kind in kinds)


def report_headline(report: ValidationReport, lang: str = "vi") -> str:
    """Summarise a validation report in one line: file, table kinds, rows, errors, warnings."""
    english = lang == "en"
    kinds = kinds_text(report.kinds, lang) or ("unknown table kind" if english else "không rõ loại bảng")
    errors, warnings = report.error_count, report.warning_count
    if english:
        counts = ", ".join(
            [
                _count(report.rows, "row", "rows", lang),
                _count(errors, "error", "errors", lang),
                _count(warnings, "warning", "warnings", lang),
            ]
        )
    else:
        counts = f"{number(report.rows, lang)} dòng, {number(errors, lang)} lỗi, {number(warnings, lang)} cảnh báo"
    return f"{report.file_name} ({kinds}): {counts}."


def format_report(report: ValidationReport, lang: str = "vi") -> str:
    """Format a validation report: a summary line, then one line per listed problem."""
    english = lang == "en"
    errors, warnings = report.error_count, report.warning_count
    lines = [report_headline(report, lang)]
    for problem in report.problems:
        label = ("Error" if english else "Lỗi") if problem.severity == ERROR else ("Warning" if english else "Cảnh báo")
        place = _place(problem, lang)
        lines.append(f"{label}{' (' + place + ')' if place else ''}: {problem.message(lang)}")
    unlisted = errors + warnings - len(report.problems)
    if unlisted:
        lines.append(
            f"{_count(unlisted, 'more problem was', 'more problems were', lang)} found but not listed."
            if english
            else f"Còn {number(unlisted, lang)} vấn đề khác đã được phát hiện nhưng không liệt kê."
        )
    if report.ok:
        lines.append("The file can be imported." if english else "Có thể nhập tệp này.")
    elif errors:
        lines.append(
            "Fix the errors and validate again; nothing was imported."
            if english
            else "Hãy sửa các lỗi rồi kiểm tra lại; chưa có dữ liệu nào được nhập."
        )
    return "\n".join(lines)


def format_summary(figures: dict, lang: str = "vi") -> str:
    """Format the headline figures of `monitoring.summary.headline`."""
    english = lang == "en"
    provinces = figures["provinces"]
    total = sum(provinces.values())
    labels = {key: STATUS_LABELS[key]["en" if english else "vi"] for key in (XANH, VANG, DO)}
    coverage = figures["coverage"]
    groups = ", ".join(
        f"{group.text(lang)} {figures['tasks_by_group'].get(group.key, 0)}" for group in TASK_GROUPS
    )
    as_of = day(date.fromisoformat(figures["as_of"]), lang)
    if english:
        return "\n".join(
            [
                f"Report date: {as_of}",
                f"Provinces: {provinces[XANH]}/{total} {labels[XANH]}, {provinces[VANG]} {labels[VANG]}, "
                f"{provinces[DO]} {labels[DO]}, {provinces['no_data']} no data",
                f"Communes reported: {number(figures['communes_reported'], lang)} of {number(figures['communes_total'], lang)}",
                f"Provinces with over 50% of communes green: {coverage['over_50']} (over 70%: {coverage['over_70']}); "
                f"under 10%: {coverage['under_10']}",
                f"National online filing rate: {percent(figures['online_rate'], lang)}",
                f"Overdue tasks: {figures['tasks_overdue']} ({groups})",
            ]
        )
    return "\n".join(
        [
            f"Ngày báo cáo: {as_of}",
            f"Tỉnh, thành phố: {provinces[XANH]}/{total} {labels[XANH]}, {provinces[VANG]} {labels[VANG]}, "
            f"{provinces[DO]} {labels[DO]}, {provinces['no_data']} chưa có dữ liệu",
            f"Xã, phường đã báo cáo: {number(figures['communes_reported'], lang)}/{number(figures['communes_total'], lang)}",
            f"Tỉnh có trên 50% xã Xanh: {coverage['over_50']} (trên 70%: {coverage['over_70']}); "
            f"dưới 10%: {coverage['under_10']}",
            f"Tỷ lệ nộp hồ sơ trực tuyến cả nước: {percent(figures['online_rate'], lang)}",
            f"Nhiệm vụ quá hạn: {figures['tasks_overdue']} ({groups})",
        ]
    )


def format_versions(found: list, lang: str = "vi") -> str:
    """Format stored versions as a text table with a header row, newest first, in Vietnam time."""
    english = lang == "en"
    if not found:
        return "No imports yet: the sample is shown." if english else "Chưa nhập dữ liệu nào: đang dùng dữ liệu mẫu."
    table = versions_table(found, lang)
    numeric = [pd.api.types.is_numeric_dtype(table[column]) for column in table.columns]
    rows_column = table.columns[4]
    table[rows_column] = [number(rows, lang) for rows in table[rows_column]]

    # Right-align numbers and left-align text: `DataFrame.to_string` right-aligns text values too.
    cells = [list(table.columns)] + [[str(value) for value in row] for row in table.itertuples(index=False)]
    widths = [max(len(row[position]) for row in cells) for position in range(len(table.columns))]
    lines = []
    for row in cells:
        padded = [
            cell.rjust(width) if is_number else cell.ljust(width) for cell, width, is_number in zip(row, widths, numeric)
        ]
        lines.append("  ".join(padded).rstrip())
    return "\n".join(lines)


def provenance_text(provenance, lang: str = "vi", quote=str) -> str:
    """Say where a table's rows come from: the illustrative sample or an import.

    ``quote`` is applied to the file name, which the uploader chose: a page that shows
    the text as Markdown passes an escaping function.
    """
    if provenance is None or provenance.is_sample:
        return "Sample data, illustrative only" if lang == "en" else "Dữ liệu mẫu, chỉ để minh họa"
    when = provenance.imported_at.tz_convert(VIETNAM_TIME) if provenance.imported_at.tzinfo else provenance.imported_at
    stamp = f"{day(when.date(), lang)} {when.strftime('%H:%M')}"
    file_name = quote(provenance.file_name)
    if lang == "en":
        return f"Imported on {stamp} from {file_name} (version {provenance.version})"
    return f"Nhập ngày {stamp} từ tệp {file_name} (phiên bản {provenance.version})"


def severity_label(severity: str, lang: str = "vi") -> str:
    """Return the word for a problem's severity: "Lỗi" or "Cảnh báo", "Error" or "Warning"."""
    if lang == "en":
        return "Error" if severity == ERROR else "Warning"
    return "Lỗi" if severity == ERROR else "Cảnh báo"


def problems_table(report: ValidationReport, lang: str = "vi", labels: dict[str, str] | None = None) -> pd.DataFrame:
    """Return the problems of a report as a table, errors first.

    ``labels`` maps a severity to the text of the Level column, in place of `severity_label`.
    """
    english = lang == "en"
    headers = (
        ("Level", "Sheet", "Row", "Column", "Value", "Problem")
        if english
        else ("Mức", "Trang", "Dòng", "Cột", "Giá trị", "Vấn đề")
    )
    if labels is None:
        labels = {severity: severity_label(severity, lang) for severity in (ERROR, WARNING)}
    ordered = report.errors + report.warnings
    rows = [
        (
            labels[problem.severity],
            problem.sheet,
            problem.row,
            problem.column,
            value_text(problem.value, lang),
            problem.message(lang),
        )
        for problem in ordered
    ]
    table = pd.DataFrame(rows, columns=list(headers))
    table[headers[2]] = table[headers[2]].astype("Int64")
    return table


def report_file_name(file_name: str, lang: str = "vi") -> str:
    """Name the downloaded validation report after the checked file: tinh.xlsx gives kiem_tra_tinh.csv."""
    stem = PurePath(file_name).stem or file_name
    return f"validation_{stem}.csv" if lang == "en" else f"kiem_tra_{stem}.csv"


def versions_table(found: list, lang: str = "vi") -> pd.DataFrame:
    """Return stored versions as a table for the screen, newest first."""
    english = lang == "en"
    headers = (
        ("Version", "Time", "Action", "Tables", "Rows", "File")
        if english
        else ("Phiên bản", "Thời gian", "Thao tác", "Bảng", "Số dòng", "Tệp")
    )
    actions = {"import": "Import" if english else "Nhập", "restore": "Restore" if english else "Khôi phục"}
    rows = []
    for version in found:
        rows.append(
            (
                version.id,
                _vietnam_time(version.created_at),
                actions.get(version.action, version.action),
                _version_kinds(version, lang),
                version.rows,
                _version_source(version, lang),
            )
        )
    return pd.DataFrame(rows, columns=list(headers))


def versions_screen_table(found: list, lang: str = "vi") -> pd.DataFrame:
    """Return stored versions as a table for the page: the file before the long list of
    tables, and row counts as locale text, with "—" for a restore, which reads no rows."""
    table = versions_table(found, lang)
    version_column, time_column, action_column, kinds_column, rows_column, file_column = table.columns
    table[kinds_column] = [_version_kinds(version, lang, "; ") for version in found]
    table[rows_column] = [
        "—" if version.action == "restore" else number(version.rows, lang) for version in found
    ]
    return table[[version_column, time_column, action_column, file_column, kinds_column, rows_column]]


def version_label(version, lang: str = "vi", current: bool = False) -> str:
    """Label a version (a `monitoring.store.Version`, None for version 0, the sample) in a list of choices."""
    english = lang == "en"
    if version is None:
        return "Version 0 — the sample" if english else "Phiên bản 0 — dữ liệu mẫu"
    source = version.file_name or (
        f"restore of version {version.restored_from}" if english else f"khôi phục phiên bản {version.restored_from}"
    )
    label = f"{'Version' if english else 'Phiên bản'} {version.id} — {_vietnam_time(version.created_at)} — {source}"
    if current:
        label += " (current)" if english else " (hiện tại)"
    return label


def _vietnam_time(moment: datetime) -> str:
    return pd.Timestamp(moment).tz_convert(VIETNAM_TIME).strftime("%d/%m/%Y %H:%M")


def _version_kinds(version, lang: str, separator: str = ", ") -> str:
    """Return the tables a version changed. A restore sets every kind, so it returns "all tables"."""
    if version.action == "restore" and set(version.kinds) >= set(KINDS):
        return "All tables" if lang == "en" else "Tất cả các bảng"
    return kinds_text(version.kinds, lang, separator)


def _version_source(version, lang: str) -> str:
    if version.file_name:
        return version.file_name
    return f"version {version.restored_from}" if lang == "en" else f"phiên bản {version.restored_from}"


def format_change(kind: str, change, lang: str = "vi") -> str:
    """Say what an import does to one table (a `monitoring.store.Change`), leaving out zero counts."""
    label = KIND_LABELS[kind].text(lang)
    english = lang == "en"
    if change.replaces_sample:
        return (
            f"{label}: {_count(change.added, 'row replaces', 'rows replace', lang)} the sample's "
            f"{number(change.removed, lang)}."
            if english
            else f"{label}: {number(change.added, lang)} dòng thay cho {number(change.removed, lang)} dòng dữ liệu mẫu."
        )

    words = (
        [("added", change.added), ("replaced", change.replaced), ("removed", change.removed), ("unchanged", change.unchanged)]
        if english
        else [("thêm", change.added), ("thay", change.replaced), ("bỏ", change.removed), ("giữ nguyên", change.unchanged)]
    )
    parts = [
        f"{number(count, lang)} {word}" if english else f"{word} {number(count, lang)} dòng" for word, count in words if count
    ]
    if not parts:
        return f"{label}: no rows." if english else f"{label}: không có dòng nào."
    return f"{label}: {', '.join(parts)}."

