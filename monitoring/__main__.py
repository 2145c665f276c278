"""Command line: ``python -m monitoring {validate,import,summary,versions,restore,template,make-sample}``."""

from __future__ import annotations

import argparse
import json
import sys
from datetime import date
from pathlib import Path

import pandas as pd

from monitoring.formatting import format_report, format_summary, format_versions
from monitoring.reading import FileReadError
from monitoring.problems import ValidationReport
from monitoring.validate import validate_file

EXIT_OK = 0
EXIT_ERRORS = 1
EXIT_UNREADABLE = 2


def _parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(
        prog="python -m monitoring",
        description="Validate, import and summarise the status data of the monitoring map.",
    )
    parser.add_argument("--lang", choices=("vi", "en"), default="vi", help="language of messages (default: vi)")
    commands = parser.add_subparsers(dest="command", required=True)

    validate = commands.add_parser("validate", help="check a CSV or Excel file and print every problem")
    validate.add_argument("file", type=Path)
    validate.add_argument("--json", action="store_true", help="print one JSON object")

    load = commands.add_parser("import", help="validate a file and, when it has no errors, store it as a new version")
    load.add_argument("file", type=Path)
    load.add_argument("--json", action="store_true", help="print one JSON object")
    load.add_argument("--database", help="SQLAlchemy URL (default: DXMAP_DATABASE_URL, secrets, or data/store)")

    summary = commands.add_parser("summary", help="print the headline figures of the current data")
    summary.add_argument("--as-of", type=_iso_date, help="report date, YYYY-MM-DD (default: the latest)")
    summary.add_argument("--json", action="store_true", help="print one JSON object")
    summary.add_argument("--database", help="SQLAlchemy URL (default: DXMAP_DATABASE_URL, secrets, or data/store)")

    listing = commands.add_parser("versions", help="list the stored versions, newest first")
    listing.add_argument("--json", action="store_true", help="print one JSON array")
    listing.add_argument("--database", help="SQLAlchemy URL")

    restore = commands.add_parser("restore", help="make an earlier version current again (0 = the sample)")
    restore.add_argument("version", type=int)
    restore.add_argument("--database", help="SQLAlchemy URL")

    template = commands.add_parser("template", help="write the blank template of a table")
    template.add_argument("kind", choices=("province_status", "commune_status", "filing", "tasks", "scores"))
    template.add_argument("--out", type=Path, required=True, help="output file, .xlsx or .csv")

    sample = commands.add_parser("make-sample", help="regenerate the illustrative sample in data/sample")
    sample.add_argument("--out", type=Path, help="output folder (default: data/sample)")
    return parser


def _iso_date(text: str) -> pd.Timestamp:
    try:
        return pd.Timestamp(date.fromisoformat(text))
    except ValueError:
        raise argparse.ArgumentTypeError(f"invalid date {text!r}: expected YYYY-MM-DD, e.g. 2025-07-15") from None


def _print_json(value: object) -> None:
    print(json.dumps(value, ensure_ascii=False, indent=2, default=str))


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


def _import(args: argparse.Namespace) -> int:
    report = _read_report(args)
    if report is None:
        return EXIT_UNREADABLE
    if not report.ok:
        _print_report(report, args, {"imported": False})
        return EXIT_ERRORS

    version = _open_store(args).import_tables(report.tables, report.file_name)
    _print_report(report, args, {"imported": True, "version": version.id})
    if not args.json:
        print(("Imported as version {id}." if args.lang == "en" else "Đã nhập thành phiên bản {id}.").format(id=version.id))
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


def _versions(args: argparse.Namespace) -> int:
    from monitoring.store import has_imports

    found = _open_store(args).versions() if has_imports(args.database) else []
    if args.json:
        _print_json([version.__dict__ for version in found])
    else:
        print(format_versions(found, args.lang))
    return EXIT_OK


def _restore(args: argparse.Namespace) -> int:
    try:
        version = _open_store(args).restore(args.version)
    except LookupError as error:
        print(error, file=sys.stderr)
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
        print(f"Unsupported template format {suffix or '(none)'}: name the output .xlsx or .csv", file=sys.stderr)
        return EXIT_ERRORS
    data = template_xlsx(args.kind, args.lang) if suffix == ".xlsx" else template_csv(args.kind, args.lang)
    args.out.write_bytes(data)
    return EXIT_OK


def _make_sample(args: argparse.Namespace) -> int:
    from monitoring.sample import write_sample

    paths = write_sample(args.out) if args.out else write_sample()
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
    "make-sample": _make_sample,
}


def main(argv: list[str] | None = None) -> int:
    args = _parser().parse_args(argv)
    return COMMANDS[args.command](args)


if __name__ == "__main__":
    sys.exit(main())
