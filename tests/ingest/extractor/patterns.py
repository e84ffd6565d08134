"""Checks that a pattern written for speed (tried only where a match can begin, or with its look-behind
moved) finds what its readable form finds, on random texts built from the readable form's own words."""

import random
import re


def pieces_of(words: str, *extra: str) -> list[str]:
    """The runs of literal characters in a pattern's source, each of their characters, digits, and extra."""
    runs = re.findall(r"[^\\()|?:\[\]^$*+{}<!=]+", words.replace(r"\d", ""))
    return sorted({*runs, *"".join(runs), *"0123456789", *extra})


def assert_finds_the_same(fast: re.Pattern[str], readable: re.Pattern[str], pieces: list[str]) -> None:
    rng = random.Random(24)

    def found(pattern: re.Pattern[str], text: str, at: int = 0) -> list[tuple[tuple[int, int], dict]]:
        return [(m.span(), m.groupdict()) for m in pattern.finditer(text, at)]

    # a match starting on each character, after the start of the text
    for first in sorted({char for piece in pieces for char in piece}):
        for _ in range(200):
            text = "前" + first + "".join(rng.choice(pieces) for _ in range(rng.randrange(0, 4)))
            fast_match, readable_match = fast.match(text, 1), readable.match(text, 1)
            assert (fast_match and fast_match.span()) == (readable_match and readable_match.span()), text
    for _ in range(20000):
        text = "".join(rng.choice(pieces) for _ in range(rng.randrange(1, 8)))
        assert found(fast, text) == found(readable, text), text
        assert fast.sub("", text) == readable.sub("", text), text
