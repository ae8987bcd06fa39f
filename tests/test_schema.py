import json
import re
from pathlib import Path

from giar import canonical as c
from giar.schema import SCHEMA_PATH, render_json_schema

CONTRACT = Path(__file__).resolve().parents[2] / "shared" / "spec" / "GIAR_OUTPUT.md"


def test_committed_json_schema_matches_the_models():
    assert SCHEMA_PATH.read_text(encoding="utf-8") == render_json_schema(), \
        "regenerate with: python -m giar.schema"


def test_top_level_keys_follow_the_contract():
    schema = json.loads(render_json_schema())
    required = {"source", "report", "sections", "tables", "cells", "validation", "pages"}
    assert set(schema["required"]) >= required
    defs = schema["$defs"]
    assert set(defs["ReportInfo"]["properties"]) == {"organization", "year", "template", "title"}
    assert set(defs["Sections"]["properties"]) == {
        "overview", "active_disclosure", "applications", "review_litigation", "problems", "other"}
    assert {"key", "value", "raw", "page", "bbox", "source", "confidence"} <= set(
        defs["CellRecord"]["properties"])
    assert {"rule", "severity", "message", "cells", "expected", "actual"} <= set(defs["Issue"]["properties"])


def test_every_canonical_key_is_named_in_the_contract():
    if not CONTRACT.exists():
        return
    text = CONTRACT.read_text(encoding="utf-8")
    named = set(re.findall(r"`([a-z_]+)`", text))
    keys = set()
    for table in c.TABLE_NAMES:
        for generation in c.Generation:
            for key in c.cell_keys(table, generation):
                keys.update(key.split(".")[1:])
    assert keys <= named, keys - named


def test_cell_counts_per_generation():
    counts = {g: sum(len(c.cell_keys(t, g)) for t in c.TABLE_NAMES) for g in c.Generation}
    assert counts == {c.Generation.G2019: 198, c.Generation.G2021: 200}
