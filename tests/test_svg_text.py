"""Reading an SVG's text: its smallest declared size, safely, whatever the author wrote."""

from __future__ import annotations

import re

import pytest

from handouts import limits
from handouts.assets.svg_text import read_drawing


def drawing(inner: str, root: str = 'viewBox="0 0 200 100"'):
    return read_drawing(f'<svg xmlns="http://www.w3.org/2000/svg" {root}>{inner}</svg>'
                        .encode())


@pytest.mark.parametrize("inner, smallest", [
    ('<text font-size="10">a</text><text font-size="12">b</text>', 10),
    ('<g font-size="8"><text>a</text></g>', 8),  # inherited from a group
    ('<text style="font-size: 6pt">a</text>', 8),  # 6 pt is 8 px
    ('<style>text { font-size: 13px }</style><text>a</text>', 13),
    ('<style>.small { font: bold 5px/1.2 sans-serif }</style><text class="small">a</text>', 5),
    ('<style>g > text { font-size: 4px }</style><g><text font-size="9">a</text></g>', 4),
    ('<style>#big text { font-size: 4px }</style><g id="other"><text>a</text></g>', 16),
    ('<text style="font-size: 20px !important" font-size="2">a</text>', 20),
    ('<g font-size="10"><text><tspan font-size="50%">a</tspan> </text></g>', 5),
    ('<g font-size="10"><text font-size="1.5em">a</text></g>', 15),
    ('<g transform="scale(0.5)"><text font-size="10">a</text></g>', 5),
    ('<g transform="rotate(90) translate(5 5)"><text font-size="10">a</text></g>', 10),
    ('<text font-size="10">a</text><text font-size="1"> </text>', 10),  # nothing drawn
    ('<title>Title</title><desc>Words</desc><text font-size="calc(1px)">a</text>', 16),
])
def test_the_smallest_declared_text_is_read(inner, smallest):
    assert drawing(inner).smallest_text == pytest.approx(smallest)


def test_a_drawing_is_scaled_from_its_viewbox_else_its_width():
    viewbox = drawing('<text font-size="10">a</text>', 'viewBox="0 0 200 100" width="50"')
    assert (viewbox.view_width, viewbox.aspect, viewbox.natural_width) == (200, 0.5, 50)
    assert viewbox.text_pt(300) == 15  # 10 units of 200, drawn 300 pt wide
    assert viewbox.width_for(18) == 360
    no_viewbox = drawing('<text font-size="10">a</text>', 'width="1in" height="48px"')
    assert (no_viewbox.view_width, no_viewbox.aspect) == (96, 0.5)
    assert drawing("<rect width='1' height='1'/>").smallest_text is None
    assert drawing("<rect width='1' height='1'/>").text_pt(300) is None


@pytest.mark.parametrize("data, why", [
    (b"", "its XML is not well-formed (no element found)"),
    (b"not xml at all", "its XML is not well-formed (syntax error)"),
    (b'<svg xmlns="http://www.w3.org/2000/svg"><text>unclosed</svg>',
     "its XML is not well-formed (mismatched tag)"),
    (b'<html><text font-size="1">a</text></html>',
     "its root element is not an <svg> in the SVG namespace"),
    (b'<?xml version="1.0"?><!DOCTYPE svg [<!ENTITY a "aaaaaaaa">]>'
     b'<svg xmlns="http://www.w3.org/2000/svg"><text>&a;</text></svg>',
     "it declares an entity (<!ENTITY …>)"),
    (b'<svg xmlns="http://www.w3.org/2000/svg"><text>' + b"<tspan>" * 30000 + b"a",
     "it has more than 20,000 elements"),
])
def test_what_is_not_a_readable_drawing_has_no_size_and_says_why(data, why):
    unread = read_drawing(data)
    assert (unread.smallest_text, unread.writes_text, unread.why_unmeasured) == (None, None, why)
    assert unread.unmeasured_text and unread.remedy  # it may write text: large print warns
    assert unread.width_for(18) is None


def test_a_costly_stylesheet_is_not_followed_without_end():
    """Selectors made to walk every ancestor of every element: read no further, and say so."""
    nesting = "<g>" * 2000 + "<text>a</text>" * 500 + "</g>" * 2000
    rules = "".join(f"svg g g g .x{n} text {{ font-size: 1px }}" for n in range(1000))
    costly = drawing(f"<style>{rules}</style>{nesting}")
    assert costly.smallest_text is None and costly.unmeasured_text
    assert costly.why_unmeasured == (
        "measuring its text takes more than 1,000,000 steps (its stylesheet's selectors "
        "matched with its elements, and its transforms)")


# -- Hostile drawings: a message, never a traceback; costs bounded by the limits --------------

CAP = limits.MAX_SVG_ATTRIBUTE_CHARACTERS
NOTHING = "a transform shrinks some of its text to nothing (scale(0), or a matrix of zeros)"
TOO_LARGE = "a transform's numbers are too large to measure"


@pytest.mark.parametrize("inner, why", [
    ('<g transform="scale(0)"><text>a</text></g>', NOTHING),
    ('<g transform="matrix(0 0 0 0 0 0)"><text>a</text></g>', NOTHING),
    ('<g transform="scale(1e200) scale(1e200)"><text>a</text></g>', TOO_LARGE),
    ('<g transform="scale(1e400)"><text>a</text></g>', TOO_LARGE),
    ('<g transform="skewX(1e400)"><text>a</text></g>', TOO_LARGE),
    ('<g transform="scale(1e200)"><g transform="scale(1e200)"><text>a</text></g></g>',
     TOO_LARGE),
    ('<g transform="scale(1e10)"><text font-size="1e300">a</text></g>',
     "its transforms scale its text too far to measure"),
    ('<text font-size="1e400">a</text>', "a font-size is too large to measure"),
    ('<text style="font-size: 0px">a</text>', "some of its text has a font-size of 0"),
    ('<text font-size="1e-310">a</text>', "its text, 1e-310 units high in a drawing 200 wide, "
                                          "is too far from the drawing's size to measure"),
])
def test_a_size_of_0_or_past_measuring_is_said_not_divided_by(inner, why):
    unmeasured = drawing(inner)
    assert (unmeasured.smallest_text, unmeasured.why_unmeasured) == (None, why)
    assert unmeasured.width_for(18) is None and unmeasured.text_pt(300) is None


@pytest.mark.parametrize("transform, scale", [
    ("scale(1e80)", 1e80),  # no square of it overflows
    ("scale(2 0.5)", 0.5),
    ("skewX(45)", (5 ** 0.5 - 1) / 2),  # its smallest singular value
    ("matrix(0 1 -1 0 0 0)", 1),  # a rotation
    ("scale(1e-150) scale(1e150)", 1),
])
def test_a_transform_shrinks_text_by_its_smallest_singular_value(transform, scale):
    scaled = drawing(f'<g transform="{transform}"><text font-size="10">a</text></g>')
    assert scaled.smallest_text == pytest.approx(10 * scale)
    assert scaled.width_for(18) == pytest.approx(18 * 200 / (10 * scale))


@pytest.mark.parametrize("root, why", [
    ('width="100%"', 'it has no viewBox, and its width is "100%"'),
    ("", "it has no viewBox, and no width"),
    ('viewBox="0 0 0 100" width="1e400"', 'its viewBox, "0 0 0 100", is not four numbers with '
     'a width and height above 0, and its width, "1e400", is not a length it can read'),
    ('viewBox="0 0 1e400 100"', 'its viewBox, "0 0 1e400 100", is not four numbers with a '
     "width and height above 0, and no width"),
])
def test_a_drawing_without_a_size_to_scale_from_says_so(root, why):
    unscaled = drawing('<text font-size="10">a</text>', root)
    assert (unscaled.smallest_text, unscaled.why_unmeasured) == (None, why)
    assert unscaled.unmeasured_text and unscaled.remedy.startswith("Give the drawing a viewBox")
    logo = drawing('<rect width="10" height="10"/>', root)  # no text: nothing to warn about
    assert logo.writes_text is False and not logo.unmeasured_text


@pytest.mark.parametrize("root, inner", [
    ('viewBox="0 0 200 100" width="' + "1" * 20_000 + '!"', "<text>a</text>"),
    ('viewBox="0 0 200 100"', '<g transform="' + "scale(" * 70_000 + '"><text>a</text></g>'),
    ('viewBox="0 0 200 100"', '<text class="' + "x " * 600_000 + '">a</text>'),
    ('viewBox="0 0 200 100"', '<text style="font-size: 4px;' + " " * 2 * CAP + '">a</text>'),
])
def test_an_attribute_past_the_cap_is_not_read_and_said(root, inner):
    """Each once took seconds to minutes: a long number, an unclosed scale(, a 1 MB class."""
    unread = drawing(inner, root)
    assert unread.smallest_text is None and unread.writes_text is True
    assert re.fullmatch(r"the (width|transform|class|style) attribute of (its root <svg>|one of "
                        r"its <\w+> elements) is [\d,]+ characters long; at most 4,096 are read",
                        unread.why_unmeasured)


def test_attributes_at_the_cap_are_read():
    number = drawing("<text>a</text>", 'width="' + "1" * (CAP - 1) + '!"')
    assert number.why_unmeasured.endswith('is not a length it can read')
    unclosed = drawing('<g transform="' + ("scale(" * CAP)[:CAP] + '"><text>a</text></g>')
    assert unclosed.smallest_text == 16  # scale( without its ): no transform at all
    many = " ".join(f"x{n}" for n in range(1000))[:CAP].rsplit(" ", 1)[0]
    rules = "".join(f".x{n} {{ font-size: {n + 1}px }}" for n in range(999, -1, -1))
    classes = drawing(f"<style>{rules}</style>" + f'<text class="{many}">a</text>' * 3)
    assert classes.smallest_text == 1  # the last rule that matches: .x0


def test_a_selector_past_the_cap_is_not_read_and_said():
    long = drawing("<style>" + "a" * 80_000 + " text { font-size: 1px }</style><text>a</text>")
    assert long.why_unmeasured == ("a selector of its stylesheet is 80,006 characters long; at "
                                   "most 4,096 are read")
    at_cap = drawing("<style>" + "a" * (CAP - 10) + " text, text { font-size: 1px }</style>"
                     "<text>a</text>")
    assert at_cap.smallest_text == 1


def test_matching_is_paid_for_by_the_compound(monkeypatch):
    """Three groups of 700 classes against 700 class rules: 15,400 steps, each of bounded cost."""
    # Per group its class list is split once (700 steps) and looked up once (700), and each
    # rule that may match is compared (2 steps: the compound, its class); 700 selectors are
    # read (10 steps each). Once, a 1 MB list was split again at every step.
    many = " ".join(f"x{n}" for n in range(700))
    rules = "".join(f".x{n} {{ font-size: 1px }}" for n in range(700))
    svg = f"<style>{rules}</style>" + f'<g class="{many}"><text>a</text></g>' * 3
    monkeypatch.setattr(limits, "MAX_MATCHING_STEPS", 15_400)
    assert drawing(svg).smallest_text == 1
    monkeypatch.setattr(limits, "MAX_MATCHING_STEPS", 15_399)
    assert drawing(svg).why_unmeasured.startswith("measuring its text takes more than 15,399")


def test_many_elements_and_many_rules_stop_at_the_budget_and_say_so():
    rules = "".join(f"svg text.x{n}, g text {{ font-size: 1px }}" for n in range(500))
    many = drawing(f"<style>{rules}</style><g>" + "<text>a</text>" * 19_990 + "</g>")
    assert many.smallest_text is None and many.why_unmeasured.startswith(
        "measuring its text takes more than 1,000,000 steps")
    transforms = "".join('<g transform="' + ("scale(1)" * 600)[:CAP - 8] + '"/>'
                         for _ in range(500))
    assert "steps" in drawing(f"{transforms}<text>a</text>").why_unmeasured


@pytest.mark.parametrize("stylesheet, why", [
    ("a { fill: red }" * 40_000, "it holds more than 500,000 characters of CSS (in <style>, "
                                 "style and font-size)"),
    ("".join(f".x{n} {{ font-size: 1px }}" for n in range(1001)),
     "its stylesheet has more than 1,000 rules that size text"),
])
def test_a_stylesheet_past_the_limits_is_not_read_and_said(stylesheet, why):
    assert drawing(f"<style>{stylesheet}</style><text>a</text>").why_unmeasured == why


def test_a_stylesheet_nested_deep_is_read_without_recursion():
    nested = "@media all {" * 10_000 + "text { font-size: 3px }" + "}" * 10_000
    assert drawing(f"<style>{nested}</style><text>a</text>").smallest_text == 3


@pytest.mark.parametrize("stylesheet, follows", [
    ("rect { fill: #0a4f8f } @media (prefers-color-scheme: dark) { rect { fill: #9cc7ff } }",
     True),
    ("@media screen and (prefers-color-scheme: dark) { rect { fill: #9cc7ff } }", True),
    ("@supports (fill: red) { @media (prefers-color-scheme: dark) { rect { fill: red } } }",
     True),
    ("/* follows prefers-color-scheme: dark */ rect { fill: red }", False),
    ("@media (prefers-color-scheme: light) { rect { fill: red } }", False),
    ("@media (prefers-color-scheme: dark) { }", False),
    ("@media (prefers-color-scheme: dark) { rect { } }", False),
    ("@media not all and (prefers-color-scheme: dark) { rect { fill: red } }", False),
    ("@media (f(x): 1), ((prefers-color-scheme: dark)) { rect { fill: red } }", True),
    ("@media (not (prefers-color-scheme: dark)) { rect { fill: red } }", False),
])
def test_a_drawing_follows_the_scheme_only_with_a_dark_rule_that_declares(stylesheet, follows):
    assert drawing(f"<style>{stylesheet}</style><rect/>").follows_scheme is follows
