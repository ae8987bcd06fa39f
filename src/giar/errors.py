"""User-facing errors, each with its documented exit code and a one-line message."""

from __future__ import annotations

from enum import IntEnum


class ExitCode(IntEnum):
    """Process exit codes of ``giar-extract`` (documented in the README)."""

    OK = 0
    VALIDATION_FAILED = 1  # --strict and the validator found errors
    USAGE = 2  # bad command line
    INPUT_NOT_FOUND = 3  # missing or unreadable input file
    INVALID_INPUT = 4  # not a PDF/image, corrupted, truncated, zero pages
    ENCRYPTED = 5  # password-protected PDF
    NOT_A_REPORT = 6  # readable, but no GIAR statistical table or section found
    OCR_UNAVAILABLE = 7  # the requested OCR engine cannot run here
    OUTPUT_ERROR = 8  # the output file could not be written
    INTERNAL_ERROR = 10  # a bug: please report it with the input


class GiarError(Exception):
    """Base class: ``str(error)`` is the one-line message shown to the user."""

    exit_code: ExitCode = ExitCode.INTERNAL_ERROR


class InputNotFound(GiarError):
    exit_code = ExitCode.INPUT_NOT_FOUND


class InvalidInput(GiarError):
    exit_code = ExitCode.INVALID_INPUT


class EncryptedInput(GiarError):
    exit_code = ExitCode.ENCRYPTED


class NotAReport(GiarError):
    exit_code = ExitCode.NOT_A_REPORT


class OcrUnavailable(GiarError):
    exit_code = ExitCode.OCR_UNAVAILABLE


class OutputError(GiarError):
    exit_code = ExitCode.OUTPUT_ERROR
