"""Command line: ``python -m geo check`` reconciles boundaries and prints a report."""

from __future__ import annotations

import argparse
import json
import logging
import sys

from geo.check import all_matched, check_source, format_report
from geo.errors import BoundaryError

EXIT_MATCHED = 0
EXIT_UNMATCHED = 1
EXIT_UNREADABLE = 2


def build_parser() -> argparse.ArgumentParser:
    """Build the argument parser of ``python -m geo``."""
    parser = argparse.ArgumentParser(prog="python -m geo", description="Boundary tools for the monitoring map.")
    commands = parser.add_subparsers(dest="command", required=True)

    check = commands.add_parser(
        "check",
        help="reconcile boundaries with the official list of units",
        description="Load boundaries, reconcile them with the official units and print a report. "
        "Exit status: 0 all features matched, 1 some unmatched, 2 the source could not be read.",
    )
    check.add_argument("--source", help="a folder of the vietnam-3d-map layout, or a boundary file "
                       "(GeoJSON, zipped Shapefile, GeoPackage, KML); default: the configured source")
    check.add_argument("--level", choices=["province", "commune"], help="check one level only")
    check.add_argument("--json", action="store_true", help="print one JSON object instead of text")
    check.add_argument("--name-field", help="column of unit names in a boundary file")
    check.add_argument("--code-field", help="column of unit codes in a boundary file")
    check.add_argument("--province-field", help="column of province names or codes in a commune file")
    check.add_argument("--crs", help="CRS of a file that declares none, e.g. EPSG:3405 (VN-2000 / UTM 48N)")
    check.add_argument("--layer", help="layer to read from a multi-layer file")
    check.add_argument("--lang", choices=["vi", "en"], default="vi", help="language of error messages")
    return parser


def run_check(args: argparse.Namespace) -> int:
    """Run ``check`` and return the exit status."""
    user_fields = {
        "name_field": args.name_field,
        "code_field": args.code_field,
        "province_field": args.province_field,
        "crs": args.crs,
        "layer": args.layer,
    }
    user_fields = {key: value for key, value in user_fields.items() if value}
    try:
        report = check_source(args.source, args.level, **user_fields)
    except BoundaryError as error:
        print(error.message(args.lang), file=sys.stderr)
        return EXIT_UNREADABLE

    print(json.dumps(report, ensure_ascii=False, indent=2) if args.json else format_report(report))
    return EXIT_MATCHED if all_matched(report) else EXIT_UNMATCHED


def main(argv: list[str] | None = None) -> int:
    """Entry point of ``python -m geo``."""
    logging.basicConfig(level=logging.WARNING, format="%(levelname)s %(name)s: %(message)s")
    args = build_parser().parse_args(argv)
    return run_check(args)


if __name__ == "__main__":
    sys.exit(main())
