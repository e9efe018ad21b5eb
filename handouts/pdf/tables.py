"""Table header mapping of the structure tree: TH /Scope and /ID, TD /Headers, the /IDTree."""

from __future__ import annotations

from collections import defaultdict

import pydyf

from .semantics import header_scope


def map_table_headers(builder):
    """TH get /Scope and an /ID; TD get /Headers naming their row and column headers."""
    ids = list(builder.note_ids)
    for table in builder.html.iter("table"):
        grid, origins = _table_grid(table)
        column_headers, row_headers = defaultdict(list), defaultdict(list)
        for (row, column), cell, node in _tagged_cells(builder, grid, origins, "th"):
            scope = header_scope(cell, builder.parent_of)
            identifier = f"th-{len(ids) + 1}"
            node["ID"] = pydyf.String(identifier)
            ids.append((identifier, node))
            attributes = pydyf.Dictionary({"O": "/Table", "Scope": f"/{scope}"})
            _add_spans(attributes, cell)
            node["A"] = attributes
            span = _span(cell)
            for offset in range(span[1] if scope == "Column" else span[0]):
                target = column_headers if scope == "Column" else row_headers
                target[column + offset if scope == "Column" else row + offset].append(
                    identifier)
        for (row, column), cell, node in _tagged_cells(builder, grid, origins, "td"):
            rows, columns = _span(cell)
            headers = [h for r in range(row, row + rows) for h in row_headers[r]]
            headers += [h for c in range(column, column + columns) for h in column_headers[c]]
            attributes = pydyf.Dictionary({"O": "/Table", "Headers": pydyf.Array(
                [pydyf.String(h) for h in headers])})
            _add_spans(attributes, cell)
            node["A"] = attributes
    if ids:
        names = pydyf.Array()
        for identifier, node in sorted(ids, key=lambda item: item[0]):
            names.extend([pydyf.String(identifier), node.reference])
        builder.root["IDTree"] = pydyf.Dictionary({"Names": names})


def _tagged_cells(builder, grid, origins, tag):
    """(position, cell, structure element) of each tag cell, once, where it starts."""
    for position, cell in grid.items():
        node = builder.element_nodes.get(id(cell))
        if cell.tag == tag and position == origins[id(cell)] and node is not None:
            yield position, cell, node


def _span(cell):
    def number(name):
        try:
            return max(1, int(cell.get(name) or 1))
        except ValueError:
            return 1
    return number("rowspan"), number("colspan")


def _add_spans(attributes, cell):
    rows, columns = _span(cell)
    if rows > 1:
        attributes["RowSpan"] = rows
    if columns > 1:
        attributes["ColSpan"] = columns


def _table_grid(table):
    """{(row, column): cell} over the table's rows, spans filled in; {id(cell): its origin}."""
    grid, origins, row_number = {}, {}, 0
    for group in [table] + [child for child in table if child.tag in ("thead", "tbody", "tfoot")]:
        for row in (child for child in group if child.tag == "tr"):
            column = 0
            for cell in (child for child in row if child.tag in ("th", "td")):
                while (row_number, column) in grid:
                    column += 1
                rows, columns = _span(cell)
                origins[id(cell)] = (row_number, column)
                for r in range(rows):
                    for c in range(columns):
                        grid[(row_number + r, column + c)] = cell
                column += columns
            row_number += 1
    return grid, origins
