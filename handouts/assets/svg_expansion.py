"""An SVG's <use> and url(#id) references: a cycle, or a fan-out past MAX_SVG_ELEMENTS."""

from __future__ import annotations

from collections.abc import Iterator

from .. import limits
from .problems import safe_text
from .svg_drawing import Drawing

# The expanded count stops here, so a drawing's numbers stay small however it nests.
COUNT_CAP = 10 ** 12


def check_expansion(drawing: Drawing) -> None:
    """Refuse a <use> cycle, and more elements than MAX_SVG_ELEMENTS once <use> expands."""
    limit = limits.MAX_SVG_ELEMENTS
    if not drawing.children:
        return
    # size[i]: the elements element i renders, its subtree with every <use> in it expanded.
    # A depth-first walk over children and <use> targets, each element done once: linear.
    size: list[int | None] = [None] * len(drawing.children)
    on_path = [False] * len(drawing.children)
    total = [0] * len(drawing.children)

    def edges(index: int) -> Iterator[tuple[int, str | None]]:
        for child in drawing.children[index]:
            yield child, None
        for ref in drawing.refs[index]:
            for target in drawing.ids.get(ref, ()):
                yield target, ref

    on_path[0] = True
    total[0] = 1
    # Each frame: an element, its edges still to follow, and the <use> and #id it was
    # reached through (None when reached as a child).
    stack: list[tuple[int, Iterator, int | None, str | None]] = [(0, edges(0), None, None)]
    while stack:
        index, pending, _, _ = stack[-1]
        for target, ref in pending:
            if size[target] is not None:
                total[index] = min(total[index] + size[target], COUNT_CAP)
            elif on_path[target]:
                # A cycle: target, the frames above it, back to target. Name a <use> in it.
                use = index
                if ref is None:
                    for _, _, via, via_ref in reversed(stack):
                        if via is not None:
                            use, ref = via, via_ref
                            break
                drawing.problem(drawing.lines[use], f"an element refers to "
                                f"#{safe_text(ref or '', 40)}, which contains it or leads back "
                                "to it: the drawing would never end; remove the reference")
                return
            else:
                on_path[target] = True
                total[target] = 1
                stack.append((target, edges(target), index if ref is not None else None, ref))
                break
        else:
            stack.pop()
            on_path[index] = False
            size[index] = total[index]
            if stack:
                parent = stack[-1][0]
                total[parent] = min(total[parent] + total[index], COUNT_CAP)
    expanded = size[0] or 0
    if expanded > limit:
        shown = f"more than {COUNT_CAP:,}" if expanded >= COUNT_CAP else f"{expanded:,}"
        drawing.problem(drawing.lines[0], f"the drawing expands to {shown} elements once its "
                        f"<use> and url(#…) references are followed (at most {limit:,}): "
                        "simplify it")
