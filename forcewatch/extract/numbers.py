"""Numbers written in digits or words ("two shots", "forty-two"), via text2num."""

from __future__ import annotations

from text_to_num import text2num

_SPECIAL = {"a": 1, "an": 1, "single": 1, "a single": 1, "once": 1, "twice": 2, "a couple of": 2, "a dozen": 12}


def to_int(text: str) -> int | None:
    """The integer a word or digit string names, or None when it names none."""
    text = text.strip().lower()
    if text.isdigit():
        return int(text)
    if text in _SPECIAL:
        return _SPECIAL[text]
    try:
        return int(text2num(text, "en"))
    except (ValueError, TypeError):
        return None


NUMBER_WORDS = (
    r"(?:\d{1,3}|a single|single|one|two|three|four|five|six|seven|eight|nine|ten|eleven|twelve|thirteen|"
    r"fourteen|fifteen|sixteen|seventeen|eighteen|nineteen|twenty|thirty|forty|fifty|sixty|"
    r"(?:twenty|thirty|forty|fifty)-(?:one|two|three|four|five|six|seven|eight|nine))"
)
