"""Command line: ``python -m monitoring {validate,import,summary,versions,restore,template,briefing,make-sample}``."""

from __future__ import annotations

import argparse
import functools
import json
import signal
import sys
from datetime import date
from pathlib import Path

import pandas as pd

from monitoring.formatting import format_change, format_report, format_summary, format_versions
from monitoring.reading import FileReadError
from monitoring.problems import ValidationReport
from monitoring.validate import validate_file

EXIT_OK = 0
EXIT_ERRORS = 1
"""Exit status for a file with validation errors, a version that does not exist, data without report
dates or an unsupported template format."""
EXIT_UNREADABLE = 2
"""Exit status for a file or database that can't be opened or read (argparse uses 2 for usage errors too)."""
EXIT_UNWRITABLE = 2
"""Exit status for an output file or folder that can't be written."""

KIND_CHOICES = ("province_status", "commune_status", "filing", "tasks", "scores")

BRIEFING_FORMATS = ("md", "pdf", "xlsx")

FILE_HELP = (
    "status file to read: CSV (.csv, .tsv or .txt) or Excel workbook (.xlsx), "
    "with one table kind, or one sheet per kind in a workbook"
)
DATABASE_HELP = (
    "SQLAlchemy database URL, e.g. sqlite:///data/store/monitoring.sqlite or "
    "postgresql+psycopg://user:password@host:5432/database (default: the DXMAP_DATABASE_URL "
    "environment variable, else url of [connections.sql] in secrets.toml, else the SQLite file "
    "data/store/monitoring.sqlite)"
)


def _parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(
        prog="python -m monitoring",
        description="Validate, import and summarise the status data of the monitoring map.",
        epilog=(
            "Exit status: 0 on success. 1 when a file has validation errors, a version does not exist, "
            "the data has no report dates or the template format is unsupported. 2 when a file or database "
            "can't be opened, read or written, a threshold setting is invalid, or the arguments are invalid."
        ),
    )
    parser.add_argument(
        "--lang",
        choices=("vi", "en"),
        default="vi",
        help="language of messages and text output: vi (Vietnamese, the default) or en (English). "
        "Give it before the command.",
    )
    commands = parser.add_subparsers(dest="command", required=True, metavar="COMMAND")

    validate = commands.add_parser(
        "validate",
        help="check a status file and print every problem",
        description="Check a status file and print every problem, with its sheet, row and column.",
    )
    validate.add_argument("file", type=Path, metavar="FILE", help=FILE_HELP)
    validate.add_argument("--json", action="store_true", help="print one JSON object instead of text")

    load = commands.add_parser(
        "import",
        help="validate a file and, when it has no errors, store it as a new version",
        description="Validate a status file and, when it has no errors, merge its rows into the stored data "
        "as a new version. Rows with the same key as stored rows replace them.",
    )
    load.add_argument("file", type=Path, metavar="FILE", help=FILE_HELP)
    load.add_argument("--json", action="store_true", help="print one JSON object instead of text")
    load.add_argument(
        "--replace",
        action="store_true",
        help="replace each imported table whole: stored rows missing from the file are dropped "
        "(for a corrected, complete list)",
    )
    load.add_argument("--database", metavar="URL", help=DATABASE_HELP)

    summary = commands.add_parser(
        "summary",
        help="print the headline figures of the current data",
        description="Print the headline figures of the current data. Table kinds that were never imported "
        "come from the illustrative sample.",
    )
    summary.add_argument(
        "--as-of", type=_iso_date, metavar="YYYY-MM-DD", help="report date (default: the latest report date in the data)"
    )
    summary.add_argument("--json", action="store_true", help="print one JSON object instead of text")
    summary.add_argument("--database", metavar="URL", help=DATABASE_HELP)

    listing = commands.add_parser(
        "versions",
        help="list the stored versions, newest first",
        description="List the stored versions, newest first, with times in Vietnam time (UTC+7).",
    )
    listing.add_argument(
        "--json",
        action="store_true",
        help="print one JSON array instead of a table: raw action and kind keys, times in UTC (ISO 8601)",
    )
    listing.add_argument("--database", metavar="URL", help=DATABASE_HELP)

    restore = commands.add_parser(
        "restore",
        help="make an earlier version current again (0 = the sample)",
        description="Make the data of an earlier version current again. This adds a new version and deletes nothing.",
    )
    restore.add_argument(
        "version", type=int, metavar="VERSION", help="version number as listed by `versions`, or 0 for the sample"
    )
    restore.add_argument("--database", metavar="URL", help=DATABASE_HELP)

    template = commands.add_parser(
        "template",
        help="write the blank template of a table",
        description="Write the blank template of a table, with headers in the language of --lang.",
    )
    template.add_argument("kind", choices=KIND_CHOICES, metavar="KIND", help="table kind: " + ", ".join(KIND_CHOICES))
    template.add_argument(
        "--out", type=Path, required=True, metavar="FILE", help="output file, whose extension .xlsx or .csv sets the format"
    )

    brief = commands.add_parser(
        "briefing",
        help="write the briefing of a report date as Markdown, PDF or Excel",
        description="Write the findings of a report date with links to the app's views: a Markdown list, "
        "an A4 PDF with maps and a chart, or an Excel workbook of the tables behind it. Table kinds that were "
        "never imported come from the illustrative sample.",
    )
    brief.add_argument(
        "--as-of", type=_iso_date, metavar="YYYY-MM-DD", help="report date (default: the latest report date in the data)"
    )
    brief.add_argument(
        "--format",
        choices=BRIEFING_FORMATS,
        help="output format: md (Markdown list), pdf or xlsx (default: from the extension of --out)",
    )
    brief.add_argument("--out", type=Path, required=True, metavar="FILE", help="output file, replaced if it exists")
    brief.add_argument("--database", metavar="URL", help=DATABASE_HELP)
    # Also accepted after the command, where the briefing's usage line shows it; SUPPRESS
    # keeps the value given before the command when this one is absent.
    brief.add_argument("--lang", choices=("vi", "en"), default=argparse.SUPPRESS, help="as --lang before the command")

    sample = commands.add_parser(
        "make-sample",
        help="regenerate the illustrative sample in data/sample",
        description="Regenerate the illustrative sample tables and print the paths written.",
    )
    sample.add_argument(
        "--out", type=Path, metavar="FOLDER", help="output folder, created if missing (default: data/sample)"
    )
    return parser


def _iso_date(text: str) -> pd.Timestamp:
    try:
        return pd.Timestamp(date.fromisoformat(text))
    except ValueError:
        raise argparse.ArgumentTypeError(f"invalid date {text!r}: expected YYYY-MM-DD, e.g. 2025-07-15") from None


def _print_json(value: object) -> None:
    print(json.dumps(value, ensure_ascii=False, indent=2, default=str))


def _print_error(args: argparse.Namespace, message_vi: str, message_en: str) -> None:
    """Print an error in the chosen language: as a JSON object with --json, else on stderr."""
    message = message_en if args.lang == "en" else message_vi
    if getattr(args, "json", False):
        _print_json({"error": message})
    else:
        print(message, file=sys.stderr)


def _uses_database(command):
    """Make ``command`` print why the database can't be used, and exit 2, instead of a traceback."""

    @functools.wraps(command)
    def run(args: argparse.Namespace) -> int:
        from monitoring.store import DatabaseOpenError

        try:
            return command(args)
        except DatabaseOpenError as error:
            _print_error(args, error.message_vi, error.message_en)
            return EXIT_UNREADABLE

    return run


def _read_report(args: argparse.Namespace) -> ValidationReport | None:
    """Validate ``args.file``; print why and return None when it can't be read."""
    try:
        return validate_file(args.file)
    except (FileReadError, OSError) as error:
        message = error.message(args.lang) if isinstance(error, FileReadError) else f"{args.file}: {error.strerror}"
        if args.json:
            _print_json({"file": str(args.file), "error": message})
        else:
            print(message, file=sys.stderr)
        return None


def _print_report(report: ValidationReport, args: argparse.Namespace, extra: dict | None = None) -> None:
    if args.json:
        _print_json({**report.as_dict(args.lang), **(extra or {})})
    else:
        print(format_report(report, args.lang))


def _validate(args: argparse.Namespace) -> int:
    report = _read_report(args)
    if report is None:
        return EXIT_UNREADABLE
    _print_report(report, args)
    return EXIT_OK if not report.errors else EXIT_ERRORS


@_uses_database
def _import(args: argparse.Namespace) -> int:
    report = _read_report(args)
    if report is None:
        return EXIT_UNREADABLE
    if not report.ok:
        _print_report(report, args, {"imported": False})
        return EXIT_ERRORS

    store = _open_store(args)
    changes = store.preview(report.tables, replace=args.replace)
    changed = any(change.changes_data for change in changes.values())
    version = store.import_tables(report.tables, report.file_name, replace=args.replace)
    counts = {kind: change.__dict__ for kind, change in changes.items()}
    _print_report(report, args, {"imported": True, "version": version.id, "changed": changed, "changes": counts})
    if args.json:
        return EXIT_OK
    print(f"Imported as version {version.id}." if args.lang == "en" else f"Đã nhập thành phiên bản {version.id}.")
    for kind, change in changes.items():
        print(format_change(kind, change, args.lang))
    if not changed:
        print(
            f"Note: the data did not change, because every row of the file matches the stored data. "
            f"Version {version.id} only records this import."
            if args.lang == "en"
            else f"Lưu ý: dữ liệu không thay đổi vì mọi dòng trong tệp đều giống dữ liệu đã lưu. "
            f"Phiên bản {version.id} chỉ ghi lại lần nhập này."
        )
    return EXIT_OK


def _open_store(args: argparse.Namespace):
    from monitoring.store import Store

    return Store.open(args.database)


def _current_dataset(database: str | None):
    from monitoring.dataset import load_sample
    from monitoring.store import Store, has_imports

    if has_imports(database):
        return Store.open(database).load()
    return load_sample()


@_uses_database
def _summary(args: argparse.Namespace) -> int:
    from monitoring.summary import headline, latest_report_date

    dataset = _current_dataset(args.database)
    as_of = args.as_of or latest_report_date(dataset)
    if as_of is None:
        print("No report dates in the data." if args.lang == "en" else "Dữ liệu chưa có ngày báo cáo nào.", file=sys.stderr)
        return EXIT_ERRORS
    figures = headline(dataset, as_of)
    if args.json:
        _print_json(figures)
    else:
        print(format_summary(figures, args.lang))
    return EXIT_OK


@_uses_database
def _versions(args: argparse.Namespace) -> int:
    from monitoring.store import has_imports

    found = _open_store(args).versions() if has_imports(args.database) else []
    if args.json:
        _print_json([version.__dict__ for version in found])
    else:
        print(format_versions(found, args.lang))
    return EXIT_OK


@_uses_database
def _restore(args: argparse.Namespace) -> int:
    from monitoring.store import VersionNotFoundError

    try:
        version = _open_store(args).restore(args.version)
    except VersionNotFoundError as error:
        print(error.message(args.lang), file=sys.stderr)
        return EXIT_ERRORS
    print(
        f"Restored version {args.version} as version {version.id}."
        if args.lang == "en"
        else f"Đã khôi phục phiên bản {args.version} thành phiên bản mới {version.id}."
    )
    return EXIT_OK


def _template(args: argparse.Namespace) -> int:
    from monitoring.templates import template_csv, template_xlsx

    suffix = args.out.suffix.lower()
    if suffix not in (".xlsx", ".csv"):
        _print_error(
            args,
            f"Định dạng mẫu {suffix or '(không có đuôi)'} không được hỗ trợ: hãy đặt tên tệp đầu ra với đuôi .xlsx hoặc .csv.",
            f"Unsupported template format {suffix or '(no extension)'}: name the output file .xlsx or .csv.",
        )
        return EXIT_ERRORS
    data = template_xlsx(args.kind, args.lang) if suffix == ".xlsx" else template_csv(args.kind, args.lang)
    try:
        args.out.write_bytes(data)
    except OSError as error:
        _print_error(
            args,
            f"Không ghi được tệp mẫu {args.out}: {error.strerror}. Hãy chọn đường dẫn trong một thư mục đã có và có quyền ghi.",
            f"Cannot write the template {args.out}: {error.strerror}. Choose a path in an existing folder you can write to.",
        )
        return EXIT_UNWRITABLE
    return EXIT_OK


def _briefing_format(args: argparse.Namespace) -> str | None:
    """Return --format, else the format named by the extension of --out, else None."""
    if args.format:
        return args.format
    suffix = args.out.suffix.lower().lstrip(".")
    return suffix if suffix in BRIEFING_FORMATS else None


def _briefing_bytes(dataset, as_of: pd.Timestamp, output_format: str, lang: str) -> bytes:
    from monitoring.briefing import briefing, markdown_list
    from monitoring.report import report_pdf, report_xlsx

    if output_format == "pdf":
        return report_pdf(dataset, as_of, lang)
    if output_format == "xlsx":
        return report_xlsx(dataset, as_of, lang)
    return (markdown_list(briefing(dataset, as_of, lang)) + "\n").encode("utf-8")


@_uses_database
def _briefing(args: argparse.Namespace) -> int:
    from geo.errors import BoundaryError
    from monitoring.thresholds import ThresholdSettingError

    output_format = _briefing_format(args)
    if output_format is None:
        _print_error(
            args,
            f"Không biết định dạng của {args.out}: hãy đặt đuôi .md, .pdf hoặc .xlsx, hoặc thêm --format md|pdf|xlsx.",
            f"Unknown format for {args.out}: name it .md, .pdf or .xlsx, or add --format md|pdf|xlsx.",
        )
        return EXIT_ERRORS

    dataset = _current_dataset(args.database)
    as_of = _briefing_report_date(dataset, args)
    if as_of is None:
        return EXIT_ERRORS

    try:
        data = _briefing_bytes(dataset, as_of, output_format, args.lang)
    except (ThresholdSettingError, BoundaryError) as error:
        print(error.message(args.lang), file=sys.stderr)
        return EXIT_UNREADABLE
    return _write_output(args, data)


def _briefing_report_date(dataset, args: argparse.Namespace) -> pd.Timestamp | None:
    """Return the report date to brief: --as-of when it is a report date, else the latest
    report before it, named on stderr. Print the reason and return None when there is none."""
    from monitoring.summary import report_dates

    dates = report_dates(dataset)
    earlier = [date for date in dates if args.as_of is None or date <= args.as_of]
    if not earlier:
        first = f" ({dates[0]:%Y-%m-%d})" if dates else ""
        _print_error(
            args,
            f"Không có báo cáo nào đến ngày {args.as_of:%Y-%m-%d}: báo cáo đầu tiên trong dữ liệu{first} sau ngày này."
            if dates and args.as_of is not None
            else "Dữ liệu chưa có ngày báo cáo nào.",
            f"No report on or before {args.as_of:%Y-%m-%d}: the first report in the data{first} is later."
            if dates and args.as_of is not None
            else "The data has no report dates.",
        )
        return None

    chosen = earlier[-1]
    if args.as_of is not None and chosen != args.as_of:
        message = (
            f"{args.as_of:%Y-%m-%d} is not a report date; briefing the latest report before it, {chosen:%Y-%m-%d}."
            if args.lang == "en"
            else f"{args.as_of:%Y-%m-%d} không phải ngày báo cáo; tóm tắt báo cáo gần nhất trước đó, {chosen:%Y-%m-%d}."
        )
        print(message, file=sys.stderr)
    return chosen


def _write_output(args: argparse.Namespace, data: bytes) -> int:
    try:
        args.out.write_bytes(data)
    except OSError as error:
        _print_error(
            args,
            f"Không ghi được tệp {args.out}: {error.strerror}. Hãy chọn đường dẫn trong một thư mục đã có và có quyền ghi.",
            f"Cannot write {args.out}: {error.strerror}. Choose a path in an existing folder you can write to.",
        )
        return EXIT_UNWRITABLE
    return EXIT_OK


def _make_sample(args: argparse.Namespace) -> int:
    from monitoring.sample import write_sample

    try:
        paths = write_sample(args.out) if args.out else write_sample()
    except OSError as error:
        _print_error(
            args,
            f"Không ghi được dữ liệu mẫu vào {error.filename}: {error.strerror}. Hãy chọn thư mục đầu ra có quyền ghi.",
            f"Cannot write the sample to {error.filename}: {error.strerror}. Choose an output folder you can write to.",
        )
        return EXIT_UNWRITABLE
    for path in paths:
        print(path)
    return EXIT_OK


COMMANDS = {
    "validate": _validate,
    "import": _import,
    "summary": _summary,
    "versions": _versions,
    "restore": _restore,
    "template": _template,
    "briefing": _briefing,
    "make-sample": _make_sample,
}


def main(argv: list[str] | None = None) -> int:
    # Exit quietly when the reader of a pipe stops early, as in `... | head`.
    signal.signal(signal.SIGPIPE, signal.SIG_DFL)
    args = _parser().parse_args(argv)
    return COMMANDS[args.command](args)


if __name__ == "__main__":
    sys.exit(main())
