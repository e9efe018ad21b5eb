"""Where two sequences differ, as difflib says, in near-linear time for long ones."""

from __future__ import annotations

import bisect
import difflib
import math
from collections import Counter

# Up to this many pairs of items (len(a) * len(b)), two sequences are compared by difflib,
# whose time grows with that product (more where items repeat: 10,000 headings of the same
# text take it a minute); beyond, by differences() in near-linear time.
EXACT_COMPARISON = 1_000_000
REGION_COMPARISON = 10_000  # a region between anchors difflib compares
LONG_RUN = 8  # equal items in a row that stay matched where every item repeats
FEWEST_DIFFERENCES_WORK = 1_000_000  # steps of _fewest_differences, in one region


def differences(a: list, b: list) -> list[tuple[int, int, int, int]]:
    """Where b differs from a: (a0, a1, b0, b1) for each of a[a0:a1] that b has as b[b0:b1].

    difflib.SequenceMatcher's non-equal opcodes, for sequences up to EXACT_COMPARISON. For
    longer ones, a patience diff, which finds as many differences as difflib, as long, where
    they are few and local (where an item stands beside one like it, either may be the one
    reported): the common start and end set aside, the items found once in each side anchor
    the comparison in the longest run they keep in the same order (_anchors), and each
    region between anchors is compared again, by difflib once it is small; a region whose
    every item repeats, by _repeated_items. The work is at most a few passes over the
    sequences: a region left when it is spent is one difference.
    """
    if len(a) * len(b) <= EXACT_COMPARISON:
        matcher = difflib.SequenceMatcher(a=a, b=b, autojunk=False)
        return [(a0, a1, b0, b1) for operation, a0, a1, b0, b1 in matcher.get_opcodes()
                if operation != "equal"]
    blocks: list[tuple[int, int, int]] = []  # (i, j, size): a[i:i+size] == b[j:j+size]
    budget = 8 * (len(a) + len(b))
    regions = [(0, len(a), 0, len(b))]
    while regions:
        alo, ahi, blo, bhi = regions.pop()
        start = alo
        while alo < ahi and blo < bhi and a[alo] == b[blo]:
            alo, blo = alo + 1, blo + 1
        if alo > start:
            blocks.append((start, blo - (alo - start), alo - start))
        end = ahi
        while alo < ahi and blo < bhi and a[ahi - 1] == b[bhi - 1]:
            ahi, bhi = ahi - 1, bhi - 1
        if ahi < end:
            blocks.append((ahi, bhi, end - ahi))
        if alo == ahi or blo == bhi:
            continue
        if (ahi - alo) * (bhi - blo) <= REGION_COMPARISON:
            matcher = difflib.SequenceMatcher(a=a[alo:ahi], b=b[blo:bhi], autojunk=False)
            blocks += [(alo + i, blo + j, size)
                       for i, j, size in matcher.get_matching_blocks() if size]
            continue
        budget -= (ahi - alo) + (bhi - blo)
        if budget < 0:
            continue
        anchors = _anchors(a, alo, ahi, b, blo, bhi)
        if not anchors:  # every item repeats (headings of one text): few differences, or one
            found = _repeated_items(a, alo, ahi, b, blo, bhi, budget)
            if found is None:
                budget = 0  # spent: what is left of the region is one difference
            else:
                budget -= found.pop()[2]
                blocks += found
            continue
        blocks += [(i, j, 1) for i, j in anchors]
        for (i0, j0), (i1, j1) in zip([(alo - 1, blo - 1)] + anchors, anchors + [(ahi, bhi)]):
            if i1 > i0 + 1 or j1 > j0 + 1:
                regions.append((i0 + 1, i1, j0 + 1, j1))
    differences: list[tuple[int, int, int, int]] = []
    i, j = 0, 0
    for ai, bj, size in sorted(blocks) + [(len(a), len(b), 0)]:
        if i < ai or j < bj:
            differences.append((i, ai, j, bj))
        i, j = ai + size, bj + size
    return differences


def _anchors(a: list, alo: int, ahi: int, b: list, blo: int, bhi: int) -> list[tuple[int, int]]:
    """(i, j) of the items found once in a[alo:ahi] and once in b[blo:bhi], the longest run
    of them in the same order on both sides."""
    in_a = Counter(a[alo:ahi])
    only_in_b: dict = {}
    for j in range(blo, bhi):
        only_in_b[b[j]] = -1 if b[j] in only_in_b else j
    pairs = [(i, only_in_b[a[i]]) for i in range(alo, ahi)
             if in_a[a[i]] == 1 and only_in_b.get(a[i], -1) >= 0]
    # The longest run increasing in j (i increases already): patience sorting.
    tails: list[int] = []
    tail_pair: list[int] = []
    previous: list[int] = []
    for index, (_, j) in enumerate(pairs):
        length = bisect.bisect_left(tails, j)
        if length == len(tails):
            tails.append(j)
            tail_pair.append(index)
        else:
            tails[length], tail_pair[length] = j, index
        previous.append(tail_pair[length - 1] if length else -1)
    run, index = [], tail_pair[-1] if tail_pair else -1
    while index >= 0:
        run.append(pairs[index])
        index = previous[index]
    return run[::-1]


def _repeated_items(a: list, alo: int, ahi: int, b: list, blo: int, bhi: int,
                    budget: int) -> list[tuple[int, int, int]] | None:
    """The matching blocks of a region whose items all repeat, then (0, 0, the work done);
    None if the work would pass budget.

    The fewest differences' long runs are kept, each grown along its diagonal as far as
    items are equal (the longest first), and what lies between them is compared by difflib:
    as difflib would, the longest runs found first, and a difference held together where
    the fewest differences may split it round an item like those beside it.
    """
    found = _fewest_differences(a, alo, ahi, b, blo, bhi, min(budget, FEWEST_DIFFERENCES_WORK))
    if found is None:
        return None
    snakes, work = found
    runs = sorted(snake for snake in snakes if snake[2] >= LONG_RUN)
    for run in sorted(range(len(runs)), key=lambda run: -runs[run][2]):
        i, j, size = runs[run]
        low = (runs[run - 1][0] + runs[run - 1][2],
               runs[run - 1][1] + runs[run - 1][2]) if run else (alo, blo)
        high = runs[run + 1][:2] if run + 1 < len(runs) else (ahi, bhi)
        while i > low[0] and j > low[1] and a[i - 1] == b[j - 1]:
            i, j, size = i - 1, j - 1, size + 1
        while i + size < high[0] and j + size < high[1] and a[i + size] == b[j + size]:
            size += 1
        runs[run] = (i, j, size)
    blocks = list(runs)
    for (i0, j0, size), (i1, j1, _) in zip([(alo, blo, 0)] + runs, runs + [(ahi, bhi, 0)]):
        i0, j0 = i0 + size, j0 + size
        if (i1 - i0) * (j1 - j0) <= REGION_COMPARISON:
            matcher = difflib.SequenceMatcher(a=a[i0:i1], b=b[j0:j1], autojunk=False)
            blocks += [(i0 + i, j0 + j, size)
                       for i, j, size in matcher.get_matching_blocks() if size]
            continue
        for i, j, size in snakes:  # their parts between the two runs
            start, end = max(i, i0, i + j0 - j), min(i + size, i1, i + j1 - j)
            if start < end:
                blocks.append((start, j + start - i, end - start))
    return blocks + [(0, 0, work)]


def _fewest_differences(a: list, alo: int, ahi: int, b: list, blo: int, bhi: int,
                        budget: int) -> tuple[list[tuple[int, int, int]], int] | None:
    """The runs of equal items along the fewest insertions and deletions turning a[alo:ahi]
    into b[blo:bhi], and the work done; None if it would pass budget.

    Myers' greedy algorithm: its work grows with the items times the differences, its
    memory with the differences squared (both within budget).
    """
    n, m = ahi - alo, bhi - blo
    most = min(n + m, math.isqrt(budget) + 1)  # differences the budget may allow
    furthest = [0] * (2 * most + 3)  # diagonal k = x - y, at k + most + 1: the furthest x
    history, work = [], 0
    for d in range(most + 1):
        history.append(furthest[most - d: most + d + 3])  # diagonals -d - 1 … d + 1
        for k in range(-d, d + 1, 2):
            at = k + most + 1
            if k == -d or (k != d and furthest[at - 1] < furthest[at + 1]):
                x = furthest[at + 1]  # down: an item of b inserted
            else:
                x = furthest[at - 1] + 1  # right: an item of a deleted
            y, start = x - k, x
            while x < n and y < m and a[alo + x] == b[blo + y]:
                x, y = x + 1, y + 1
            work += 1 + x - start
            furthest[at] = x
            if x >= n and y >= m:
                return _snakes(history, n, m, alo, blo), work
        if work > budget:
            return None
    return None


def _snakes(history: list[list[int]], n: int, m: int, alo: int,
            blo: int) -> list[tuple[int, int, int]]:
    """The runs of equal items along the path _fewest_differences found, walked back."""
    blocks, x, y = [], n, m
    for d in range(len(history) - 1, -1, -1):
        k = x - y
        if d == 0:
            start_x = previous_x = previous_y = 0
        else:
            furthest = history[d]  # before step d: diagonal k at k + d + 1
            down = k == -d or (k != d and furthest[k + d] < furthest[k + d + 2])
            previous_k = k + 1 if down else k - 1
            previous_x = furthest[previous_k + d + 1]
            previous_y = previous_x - previous_k
            start_x = previous_x if down else previous_x + 1  # one step, then equal items
        if x > start_x:
            blocks.append((alo + start_x, blo + start_x - k, x - start_x))
        x, y = previous_x, previous_y
    return blocks

