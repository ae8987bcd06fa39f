"""Accuracy on scans nobody tuned against: born-digital corpus documents that have no scanned
variant in the corpus, and the real Hongze report, printed and scanned afresh with
:func:`fixtures.generator.paper.print_and_scan` (toner fade, dot gain, paper texture,
bleed-through, keystone and wave, edge shadow, a red seal, then skew/blur/grain/JPEG) under a
seed of your choice.

    python bench/bench_unseen.py                      # seed 1, 4 documents per DPI x level
    python bench/bench_unseen.py --seed 2 --per-group 6
    python bench/bench_unseen.py --per-group 3 --mode binary   # only the bitonal scans

Reports per DPI and level: cells, cell accuracy, wrong cells, *silent* wrong cells (not named
by any validation issue or low-confidence warning), documents fully right, seconds per page;
then every silent error in full. The scans live in a temporary directory and are not kept.

Toner fade can take a printed number off the paper altogether, and no reader can get it back.
To tell those cells from the reader's own failures, each cell's *ink kept* is measured on the
printed page: the share of the cell's glyph pixels (a clean rendering, inside its borders)
that a bitonal scan of the print keeps (:func:`fixtures.generator.paper.bitonal_ink`; for grey
and colour scans a pessimistic measure). Wrong cells are counted by it, and accuracy is also
given over the cells that kept at least half their ink.
"""

from __future__ import annotations

import argparse
import functools
import hashlib
import json
import statistics
import sys
import tempfile
import time
from dataclasses import dataclass
from pathlib import Path

import cv2
import numpy as np

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from fixtures.generator import paper, scans  # noqa: E402
from fixtures.loader import load_manifest  # noqa: E402
from tests.corpus_checks import cell_mismatches  # noqa: E402

from giar.pipeline import ExtractOptions, extract  # noqa: E402
from giar.schema import CellRecord  # noqa: E402

HONGZE = ROOT.parent / "shared" / "real" / "hongze-2024.pdf"
DPIS = (150, 200, 300)
LEVELS: tuple[paper.PaperLevel, ...] = ("mild", "heavy")
MODES: tuple[scans.Mode, ...] = ("gray", "color", "binary")
# Ink kept: pixels of the clean rendering darker than this are the cell's ink (the bitonal
# scan's threshold), looked for this far (points) inside its borders so the rulings stay out.
INK_LEVEL = 160
CELL_INSET_PT = 2.0
# A cell that kept at least this share of its ink is legible.
LEGIBLE_SHARE = 0.5
INK_BINS = (0.25, 0.5, 0.75)


@dataclass(frozen=True)
class Source:
    id: str
    pdf: Path
    truth: dict


@dataclass
class Outcome:
    source: str
    dpi: int
    level: str
    mode: str
    cells: int
    wrong: list[tuple[str, object, object]]
    silent: list[tuple[str, object, object]]
    metadata_right: bool
    metadata_shown_doubtful: bool  # a wrong organization/year is null or flagged
    metadata_read: tuple[str | None, int | None]
    seconds_per_page: float
    raw_read: dict[str, str | None]  # what the OCR read in each wrong cell
    flagged_right: int  # right cells a validation issue points at anyway
    doubted_right: int  # right cells with a low-confidence warning (a reviewer's false alarms)
    ink_kept: dict[str, float]  # per truth cell with printed ink: share the toner fade left

    def legible(self) -> tuple[int, int]:
        """Cells that kept enough ink to be read, and how many of them are wrong."""
        wrong = {key for key, _, _ in self.wrong}
        faded = {key for key, share in self.ink_kept.items() if share < LEGIBLE_SHARE}
        return self.cells - len(faded), len(wrong - faded)


def unscanned_sources() -> list[Source]:
    """Born-digital corpus documents with no scanned variant, plus the real Hongze report."""
    manifest = load_manifest()
    scanned = {doc.derived_from for doc in manifest if doc.kind != "pdf_text"}
    sources = [Source(doc.id, doc.files[0], doc.truth) for doc in manifest
               if doc.kind == "pdf_text" and doc.id not in scanned]
    if HONGZE.exists():
        truth = json.loads(HONGZE.with_name("hongze-2024.truth.json").read_text(encoding="utf-8"))
        sources.append(Source("hongze-2024", HONGZE, truth))
    else:
        print(f"bench_unseen: {HONGZE} not found; the real report is left out", file=sys.stderr)
    return sources


def rng_for(seed: int, *parts: object) -> np.random.Generator:
    digest = hashlib.sha256("|".join(map(str, (seed, *parts))).encode()).digest()
    return np.random.default_rng(int.from_bytes(digest[:8], "big"))


def plan(sources: list[Source], per_group: int, seed: int) -> list[tuple[Source, int, str, str]]:
    """``per_group`` documents for every DPI x level (drawn without repeats while they last);
    the real report is scanned in every group; the colour mode is drawn per scan."""
    rng = rng_for(seed, "plan")
    synthetic = [s for s in sources if s.id != "hongze-2024"]
    real = next((s for s in sources if s.id == "hongze-2024"), None)
    order = list(rng.permutation(len(synthetic)))
    runs = []
    for dpi in DPIS:
        for level in LEVELS:
            chosen = [synthetic[order.pop() if order else int(rng.integers(len(synthetic)))]
                      for _ in range(per_group)]
            for source in [*chosen, real]:
                # the real report's mode is drawn even when it is missing, so that the other
                # scans keep the modes a run with it draws
                mode = str(rng.choice(MODES))
                if source is not None:
                    runs.append((source, dpi, level, mode))
    return runs


def run_one(source: Source, dpi: int, level: str, mode: str, seed: int, workdir: Path) -> Outcome:
    clean = scans.rasterize_pdf(source.pdf, dpi)
    pages = paper.print_and_scan(clean, dpi, level, rng_for(seed, source.id, dpi, level), mode)
    # the same draw again gives the printed pages print_and_scan started from
    printed = paper.print_pages(clean, dpi, level, rng_for(seed, source.id, dpi, level))
    kept_ink = [paper.bitonal_ink(page, dpi, level) for page in printed]
    path = scans.write_pdf(pages, workdir / f"{source.id}-{dpi}-{level}.pdf", dpi,
                           None if mode == "binary" else 85)
    start = time.perf_counter()
    report = extract(path)
    seconds = time.perf_counter() - start
    wrong = cell_mismatches(report, source.truth)
    named = {cell for issue in report.validation.issues for cell in issue.cells}
    missing_tables = {issue.message.split(":")[0] for issue in report.validation.issues
                      if issue.rule == "table.missing"}
    named |= {key for key, _, _ in wrong if key.split(".")[0] in missing_tables}
    truth_report = source.truth["report"]
    read = (report.report.organization, report.report.year)
    wrong_keys = {key for key, _, _ in wrong}
    truth_keys = {f"{table}.{row}.{col}" for table, rows in source.truth["tables"].items()
                  for row, cols in rows.items() for col in cols}
    return Outcome(
        source=source.id, dpi=dpi, level=level, mode=mode,
        cells=sum(len(cols) for rows in source.truth["tables"].values() for cols in rows.values()),
        wrong=wrong, silent=[w for w in wrong if w[0] not in named],
        metadata_right=read == (truth_report["organization"], truth_report["year"]),
        metadata_shown_doubtful=None in read or any(
            {"report.organization", "report.year"} & set(issue.cells)
            for issue in report.validation.issues),
        metadata_read=read,
        seconds_per_page=seconds / max(report.source.pages, 1),
        raw_read={cell.key: cell.raw for cell in report.cells if cell.key in wrong_keys},
        flagged_right=len((truth_keys - wrong_keys) & named),
        doubted_right=len((truth_keys - wrong_keys) & {
            cell for issue in report.validation.issues if issue.rule == "value.low_confidence"
            for cell in issue.cells}),
        ink_kept=ink_kept(source.pdf, clean, kept_ink, dpi),
    )


def ink_kept(pdf: Path, clean: list[np.ndarray], kept_ink: list[np.ndarray],
             dpi: int) -> dict[str, float]:
    """For each cell of the born-digital ``pdf`` with ink in it, the share of its ink pixels
    in ``clean`` that ``kept_ink`` still holds (see the module docstring)."""
    cells = _born_digital_cells(pdf)
    gray_clean = [cv2.cvtColor(page, cv2.COLOR_RGB2GRAY) for page in clean]
    scale, inset = dpi / 72, CELL_INSET_PT
    kept: dict[str, float] = {}
    for cell in cells:
        if cell.page is None or cell.bbox is None:
            continue
        x0, top, x1, bottom = (round(v * scale) for v in (
            cell.bbox[0] + inset, cell.bbox[1] + inset, cell.bbox[2] - inset, cell.bbox[3] - inset))
        before = gray_clean[cell.page - 1][top:bottom, x0:x1] < INK_LEVEL
        after = kept_ink[cell.page - 1][top:bottom, x0:x1]
        if before.any():
            kept[cell.key] = float((before & after).sum() / before.sum())
    return kept


@functools.cache
def _born_digital_cells(pdf: Path) -> list[CellRecord]:
    """The cells of a born-digital source, read once however many scans are made of it."""
    return extract(pdf, ExtractOptions(ocr="never")).cells


def print_summary(outcomes: list[Outcome]) -> None:
    print("| DPI | level | scans | cells | cell accuracy | wrong | silent | fully right "
          "| metadata right | median s/page |")
    print("|---|---|---|---|---|---|---|---|---|---|")
    for dpi in DPIS:
        for level in LEVELS:
            group = [o for o in outcomes if o.dpi == dpi and o.level == level]
            if not group:
                continue
            cells = sum(o.cells for o in group)
            wrong = sum(len(o.wrong) for o in group)
            print(f"| {dpi} | {level} | {len(group)} | {cells} | {(cells - wrong) / cells:.2%} "
                  f"| {wrong} | {sum(len(o.silent) for o in group)} "
                  f"| {sum(not o.wrong for o in group)}/{len(group)} "
                  f"| {sum(o.metadata_right for o in group)}/{len(group)} "
                  f"| {statistics.median(o.seconds_per_page for o in group):.2f} |")
    print("\n| colour mode | scans | cell accuracy | wrong | silent | right but flagged "
          "| right but low confidence |\n|---|---|---|---|---|---|---|")
    for mode in MODES:
        group = [o for o in outcomes if o.mode == mode]
        if group:
            cells = sum(o.cells for o in group)
            wrong = sum(len(o.wrong) for o in group)
            print(f"| {mode} | {len(group)} | {(cells - wrong) / cells:.2%} | {wrong} "
                  f"| {sum(len(o.silent) for o in group)} "
                  f"| {sum(o.flagged_right for o in group)} "
                  f"| {sum(o.doubted_right for o in group)} |")
    cells = sum(o.cells for o in outcomes)
    wrong = sum(len(o.wrong) for o in outcomes)
    silent = [w for o in outcomes for w in o.silent]
    zero_as_blank = sum(expected == 0 and actual is None for _, expected, actual in silent)
    print(f"\nall: {len(outcomes)} scans, {cells} cells, {(cells - wrong) / cells:.2%} right, "
          f"{wrong} wrong, {len(silent)} silent ({zero_as_blank} of them a printed 0 read as blank)")
    print_ink_kept(outcomes)
    misread = [o for o in outcomes if not o.metadata_right]
    print(f"organization/year wrong in {len(misread)} scans, "
          f"{sum(not o.metadata_shown_doubtful for o in misread)} of them silent (not null, not flagged)")
    for o in outcomes:
        if o.wrong:
            absent = sum(actual == "ABSENT" for _, _, actual in o.wrong)
            print(f"{o.source} {o.dpi} {o.level} {o.mode}: {len(o.wrong)} wrong ({absent} absent), "
                  f"silent: {o.silent[:8]}{' ...' if len(o.silent) > 8 else ''}")


def print_ink_kept(outcomes: list[Outcome]) -> None:
    """Wrong cells by the share of their ink the toner fade left, and accuracy over the cells
    that kept enough to be read."""
    shares = [o.ink_kept.get(key, 1.0) for o in outcomes for key, _, _ in o.wrong]
    edges = (0.0, *INK_BINS, float("inf"))
    bins = ", ".join(
        f"{low:.0%}–{high:.0%}: {sum(low <= s < high for s in shares)}" if high != float("inf")
        else f"≥ {low:.0%}: {sum(s >= low for s in shares)}"
        for low, high in zip(edges, edges[1:], strict=False))
    print(f"wrong cells by ink kept on the printed page: {bins}")
    for mode in MODES:
        group = [o.legible() for o in outcomes if o.mode == mode]
        if group:
            cells, wrong = sum(c for c, _ in group), sum(w for _, w in group)
            print(f"{mode}: cells that kept ≥ {LEGIBLE_SHARE:.0%} of their ink: {cells}, "
                  f"{(cells - wrong) / cells:.2%} right ({wrong} wrong)")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--seed", type=int, default=1)
    parser.add_argument("--per-group", type=int, default=4,
                        help="synthetic documents per DPI x level (the real report is added)")
    parser.add_argument("--only", help="run only sources whose id contains this")
    parser.add_argument("--mode", choices=MODES, help="run only the scans drawn in this colour mode")
    parser.add_argument("--list-wrong", action="store_true",
                        help="also print every wrong cell: expected, value read, text read, "
                             "and whether it is flagged")
    args = parser.parse_args()
    runs = plan(unscanned_sources(), args.per_group, args.seed)
    if args.only:
        runs = [run for run in runs if args.only in run[0].id]
    if args.mode:
        runs = [run for run in runs if run[3] == args.mode]
    if not runs:
        sys.exit("bench_unseen: no scan matches --only/--mode with this seed and --per-group")
    outcomes = []
    with tempfile.TemporaryDirectory() as workdir:
        for source, dpi, level, mode in runs:
            outcome = run_one(source, dpi, level, mode, args.seed, Path(workdir))
            print(f"{source.id} {dpi} {level} {mode}: {len(outcome.wrong)} wrong, "
                  f"{len(outcome.silent)} silent, {outcome.doubted_right} right but low "
                  f"confidence, {outcome.seconds_per_page:.2f} s/page",
                  file=sys.stderr, flush=True)
            outcomes.append(outcome)
    print_summary(outcomes)
    if args.list_wrong:
        print_wrong_cells(outcomes)


def print_wrong_cells(outcomes: list[Outcome]) -> None:
    print("\nscan\tcell\texpected\tread\tflagged\ttext read\tink kept")
    for o in outcomes:
        if not o.metadata_right:
            print(f"{o.source} {o.dpi} {o.level} {o.mode}\treport\t\t{o.metadata_read}"
                  f"\t{'yes' if o.metadata_shown_doubtful else 'no'}")
        silent = {key for key, _, _ in o.silent}
        for key, expected, actual in o.wrong:
            print(f"{o.source} {o.dpi} {o.level} {o.mode}\t{key}\t{expected}\t{actual}"
                  f"\t{'no' if key in silent else 'yes'}\t{o.raw_read.get(key)!r}"
                  f"\t{o.ink_kept.get(key, 1.0):.2f}")


if __name__ == "__main__":
    main()
