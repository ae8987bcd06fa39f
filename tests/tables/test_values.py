import pytest

from giar.tables.values import ValueKind, looks_like_value, parse_value


@pytest.mark.parametrize(
    ("raw", "value", "kind"),
    [
        ("1390", 1390, ValueKind.NUMBER),
        (" 0 ", 0, ValueKind.NUMBER),
        ("96171.6", 96171.6, ValueKind.NUMBER),
        ("+2", 2, ValueKind.NUMBER),
        ("-1", -1, ValueKind.NUMBER),
        ("--253", -253, ValueKind.NUMBER),
        ("—134", -134, ValueKind.NUMBER),
        ("–5", -5, ValueKind.NUMBER),
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


@pytest.mark.parametrize(
    ("raw", "count", "value"),
    [("O", True, 0), ("lO", True, 10), ("0|", True, 0), ("2.557", True, 2557), ("2.557", False, 2.557),
     ("1.5", True, 1.5), ("无", True, None), ("OK", True, None), ("D", True, 0), ("U", True, 0),
     ("C", True, 0), ("n", True, 0), ("Cn", True, None),
     ("95U", True, None), ("1D", True, None)],
)
def test_ocr_confusions_are_undone_for_ocr_text(raw, count, value):
    assert parse_value(raw, ocr=True, count=count).value == value


def test_printed_text_is_never_reinterpreted():
    assert parse_value("O").kind is ValueKind.UNPARSED
    assert parse_value("D").kind is ValueKind.UNPARSED
    assert parse_value("2.557").value == 2.557  # printed so: the validator flags it


@pytest.mark.parametrize("raw", ["01", "0100", "0 1", "3 10", "2 379"])
def test_recognised_digits_with_a_leading_zero_or_apart_on_a_line_are_not_taken(raw):
    # a 0 read with a scrap of border beside it ("01"), two cells' numbers merged ("3 10")
    assert parse_value(raw, ocr=True).kind is ValueKind.UNPARSED
    assert looks_like_value(raw, ocr=True)  # still a (damaged) value, not a label
    assert not looks_like_value("1.属于国家秘密", ocr=True)


def test_printed_numbers_keep_their_leading_zero_and_spaces():
    assert parse_value("01").value == 1
    assert parse_value("1 390").value == 1390


@pytest.mark.parametrize(("raw", "value_like"), [
    ("O !i O", True),  # three faded zeros of a cell whose column lines were lost
    ("Ul", True),
    ("PJ", False),  # a heading read as Latin letters that no digit is read as
    ("O结果", False),
])
def test_recognised_text_without_chinese_holding_a_digit_lookalike_is_a_damaged_value(
        raw, value_like):
    assert looks_like_value(raw, ocr=True) is value_like
    assert not looks_like_value(raw)  # a text layer prints what it means
