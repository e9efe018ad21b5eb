"""Reading an SVG's text: its smallest declared size, safely, whatever the author wrote."""

from __future__ import annotations

import pytest

from handouts.svg_text import read_drawing


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


@pytest.mark.parametrize("data", [
    b"",
    b"not xml at all",
    b'<svg xmlns="http://www.w3.org/2000/svg"><text>unclosed</svg>',
    b'<html><text font-size="1">a</text></html>',
    b'<?xml version="1.0"?><!DOCTYPE svg [<!ENTITY a "aaaaaaaa">]>'
    b'<svg xmlns="http://www.w3.org/2000/svg"><text>&a;</text></svg>',
    b'<svg xmlns="http://www.w3.org/2000/svg"><text>' + b"<tspan>" * 30000 + b"a",
])
def test_what_is_not_a_readable_drawing_has_no_size(data):
    assert read_drawing(data) is None


def test_a_costly_stylesheet_is_not_followed_without_end():
    """Selectors made to walk every ancestor of every element: read no further."""
    nesting = "<g>" * 2000 + "<text>a</text>" * 500 + "</g>" * 2000
    rules = "".join(f"svg g g g .x{n} text {{ font-size: 1px }}" for n in range(1000))
    assert drawing(f"<style>{rules}</style>{nesting}") is None
