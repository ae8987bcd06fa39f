import pytest

from giar.tables.values import ValueKind, parse_value


@pytest.mark.parametrize(
    ("raw", "value", "kind"),
    [
        ("1390", 1390, ValueKind.NUMBER),
        (" 0 ", 0, ValueKind.NUMBER),
        ("96171.6", 96171.6, ValueKind.NUMBER),
        ("+2", 2, ValueKind.NUMBER),
        ("-1", -1, ValueKind.NUMBER),
        ("--253", -253, ValueKind.NUMBER),
        ("1,234", 1234, ValueKind.NUMBER),
        ("１２３", 123, ValueKind.NUMBER),
        ("", None, ValueKind.BLANK),
        ("-", None, ValueKind.DASH),
        ("—", None, ValueKind.DASH),
        ("/", None, ValueKind.SLASH),
        ("无", None, ValueKind.TEXT),
        ("1O3", None, ValueKind.UNPARSED),
    ],
)
def test_parse_value(raw, value, kind):
    parsed = parse_value(raw)
    assert (parsed.value, parsed.kind) == (value, kind)
    assert type(parsed.value) is type(value)


def test_units_inside_the_cell_are_kept_apart():
    parsed = parse_value("103.3879万元")
    assert (parsed.value, parsed.unit) == (103.3879, "万元")
    assert parse_value("251000元").value == 251000
