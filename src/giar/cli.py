"""Command line: ``giar-extract INPUT... [-o OUT.json]``.

JSON goes to ``-o`` (written atomically) or stdout; messages go to stderr. Every failure is one
line and a documented exit code (:class:`giar.errors.ExitCode`); ``-v`` adds the traceback of
an internal error.
"""

from __future__ import annotations

import argparse
import logging
import os
import sys
import tempfile
import traceback
from collections.abc import Sequence
from pathlib import Path

from giar import __version__
from giar.errors import ExitCode, GiarError, OutputError
from giar.pipeline import ExtractOptions, extract
from giar.schema import GiarReport

log = logging.getLogger("giar")


def build_parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(
        prog="giar-extract",
        description="Extract the statistical tables, metadata and text of a 政府信息公开工作年度报告 "
        "(PDF, scanned PDF or page images) into validated JSON.",
    )
    parser.add_argument("inputs", nargs="+", type=Path, metavar="INPUT",
                        help="a PDF, or the page images of one report in order")
    target = parser.add_mutually_exclusive_group()
    target.add_argument("-o", "--output", type=Path, help="write JSON here (default: stdout)")
    target.add_argument("--out-dir", type=Path,
                        help="batch mode: each INPUT is a report, written to DIR/<name>.json")
    parser.add_argument("--pretty", action="store_true", help="indent the JSON")
    parser.add_argument("--strict", action="store_true",
                        help="exit 1 when the validator finds errors")
    parser.add_argument("--ocr", choices=("auto", "always", "never"), default="auto",
                        help="OCR pages without a usable text layer (auto), every page, or none")
    parser.add_argument("--ocr-engine", default="rapidocr", choices=("rapidocr", "paddle"),
                        help="OCR engine (paddle needs: pip install giar-extract[paddle])")
    parser.add_argument("-v", "--verbose", action="count", default=0,
                        help="progress on stderr; -vv for debug detail")
    parser.add_argument("--version", action="version", version=f"giar-extract {__version__}")
    return parser


def main(argv: Sequence[str] | None = None) -> int:
    try:
        args = build_parser().parse_args(argv)
    except SystemExit as exit_:  # argparse: --help/--version exit 0, bad usage exits 2
        return int(exit_.code or 0)
    _configure_logging(args.verbose)
    options = ExtractOptions(ocr=args.ocr, ocr_engine=args.ocr_engine)
    if args.out_dir is not None:
        return _run_batch(args, options)
    return _run_one(args.inputs, args.output, args, options)


def _run_one(inputs: list[Path], output: Path | None, args: argparse.Namespace,
             options: ExtractOptions) -> int:
    try:
        report = extract(inputs if len(inputs) > 1 else inputs[0], options)
        _write(report, output, args.pretty)
    except GiarError as error:
        print(f"giar-extract: {error}", file=sys.stderr)
        return error.exit_code
    except Exception as error:  # noqa: BLE001 - one line for the user, traceback with -v
        print(f"giar-extract: internal error on {inputs[0]}: {type(error).__name__}: {error} "
              "(run with -v for the traceback; please report it)", file=sys.stderr)
        if args.verbose:
            traceback.print_exc()
        return ExitCode.INTERNAL_ERROR
    errors = sum(issue.severity == "error" for issue in report.validation.issues)
    log.info("%s: %d cells, %d validation errors", inputs[0], len(report.cells), errors)
    if args.strict and errors:
        print(f"giar-extract: {inputs[0]}: {errors} validation error(s)", file=sys.stderr)
        return ExitCode.VALIDATION_FAILED
    return ExitCode.OK


def _run_batch(args: argparse.Namespace, options: ExtractOptions) -> int:
    """Each input is its own report; one bad file never stops the others. Exit code: the worst."""
    worst = ExitCode.OK
    for path in args.inputs:
        code = _run_one([path], args.out_dir / f"{path.stem}.json", args, options)
        worst = max(worst, code)
    return worst


def _write(report: GiarReport, output: Path | None, pretty: bool) -> None:
    text = report.model_dump_json(indent=2 if pretty else None) + "\n"
    if output is None:
        sys.stdout.write(text)
        return
    _write_atomically(output, text)


def _write_atomically(output: Path, text: str) -> None:
    """Write to a temporary file beside ``output`` and rename it: never a half-written file."""
    try:
        output.parent.mkdir(parents=True, exist_ok=True)
        handle, temporary = tempfile.mkstemp(prefix=f".{output.name}.", dir=output.parent)
        try:
            with os.fdopen(handle, "w", encoding="utf-8") as stream:
                stream.write(text)
            os.replace(temporary, output)
        except BaseException:
            Path(temporary).unlink(missing_ok=True)
            raise
    except OSError as error:
        raise OutputError(f"{output}: cannot write ({error.strerror})") from None


def _configure_logging(verbosity: int) -> None:
    level = logging.WARNING if verbosity == 0 else logging.INFO if verbosity == 1 else logging.DEBUG
    handler = logging.StreamHandler(sys.stderr)
    handler.setFormatter(logging.Formatter("giar-extract: %(message)s"))
    log.handlers[:] = [handler]
    log.setLevel(level)


if __name__ == "__main__":
    sys.exit(main())
