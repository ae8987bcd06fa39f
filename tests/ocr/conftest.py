"""Page images for the OCR tests: pages of the real Hongze report rendered with pymupdf,
then turned, tilted or soiled by the tests themselves."""

from __future__ import annotations

from pathlib import Path

import cv2
import numpy as np
import pymupdf
import pytest

HONGZE_PDF = Path(__file__).resolve().parents[2].parent / "shared" / "real" / "hongze-2024.pdf"


@pytest.fixture(scope="session")
def hongze() -> pymupdf.Document:
    if not HONGZE_PDF.is_file():
        pytest.skip(f"real report not found at {HONGZE_PDF} (it sits beside the repository)")
    return pymupdf.open(HONGZE_PDF)


def render(page: pymupdf.Page, dpi: int) -> np.ndarray:
    pixmap = page.get_pixmap(dpi=dpi, colorspace=pymupdf.csGRAY, alpha=False)
    return np.frombuffer(pixmap.samples, dtype=np.uint8).reshape(
        pixmap.height, pixmap.stride)[:, : pixmap.width].copy()


def tilt(gray: np.ndarray, degrees: float) -> np.ndarray:
    """Turn the content counter-clockwise (screen view) about the centre, like a skewed scan."""
    height, width = gray.shape
    matrix = cv2.getRotationMatrix2D(((width - 1) / 2, (height - 1) / 2), degrees, 1.0)
    return cv2.warpAffine(gray, matrix, (width, height), borderValue=255)


def soil(gray: np.ndarray, seed: int = 7) -> np.ndarray:
    """A cheap scanner look: uneven light, blur and grain."""
    rng = np.random.default_rng(seed)
    height, width = gray.shape
    shade = np.linspace(0.75, 1.0, width)[None, :] * np.linspace(0.9, 1.0, height)[:, None]
    blurred = cv2.GaussianBlur(gray, (3, 3), 0).astype(np.float64)
    noisy = blurred * shade + rng.normal(0, 8, gray.shape)
    return np.clip(noisy, 0, 255).astype(np.uint8)


def vector_ruling_positions(page: pymupdf.Page) -> tuple[list[float], list[float]]:
    """Distinct y of horizontal and x of vertical vector rulings (lines and thin rectangles)."""
    horizontal, vertical = [], []
    for drawing in page.get_drawings():
        for item in drawing["items"]:
            if item[0] == "l":
                start, end = item[1], item[2]
                if abs(start.y - end.y) < 0.5:
                    horizontal.append(start.y)
                elif abs(start.x - end.x) < 0.5:
                    vertical.append(start.x)
            elif item[0] == "re":
                rect = item[1]
                if rect.height < 2 and rect.width > 5:
                    horizontal.append((rect.y0 + rect.y1) / 2)
                elif rect.width < 2 and rect.height > 5:
                    vertical.append((rect.x0 + rect.x1) / 2)
    return distinct(horizontal), distinct(vertical)


def distinct(values: list[float], tolerance: float = 1.5) -> list[float]:
    groups: list[list[float]] = []
    for value in sorted(values):
        if groups and value - groups[-1][-1] <= tolerance:
            groups[-1].append(value)
        else:
            groups.append([value])
    return [sum(group) / len(group) for group in groups]
