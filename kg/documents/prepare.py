"""The text the model parses: the document's text with the same length, cleaned of what
splits names and sentences in the wrong places, so every offset still points into the
original text.

- Hard-wrapped text (wire stories, e-mails: lines cut at ~70 characters in the middle of
  sentences) has its single line breaks inside paragraphs turned into spaces; a blank
  line or an indented line still starts a paragraph.
- Editorial square brackets ("Mr [Tony] Blair") become spaces.

    >>> prepare_text("Finance Minister Gerhard\\nStoltenberg said on Monday\\n") == prepare_text(
    ...     "Finance Minister Gerhard\\nStoltenberg said on Monday\\n")
    True
"""

from __future__ import annotations

import re

#: A text is hard-wrapped when at least this share of its lines are cut mid-sentence.
WRAPPED_SHARE = 0.5
MIN_LINES = 4
_SENTENCE_END = re.compile(r"[.!?:;\"”’')\]]\s*$")
_INNER_BREAK = re.compile(r"(?<=\S)\n(?=[^\s])")


def prepare_text(text: str) -> str:
    """``text`` as the model should read it, character for character the same length."""
    if is_hard_wrapped(text):
        text = _INNER_BREAK.sub(" ", text)
    return text.replace("[", " ").replace("]", " ")


def is_hard_wrapped(text: str) -> bool:
    """True when most lines that run on into the next one end mid-sentence at a similar
    width (40 to 90 characters)."""
    lines = text.split("\n")
    running = [
        line
        for line, following in zip(lines, lines[1:], strict=False)
        if line.strip() and following.strip() and not following[:1].isspace()
    ]
    if len(running) < MIN_LINES:
        return False
    cut = [line for line in running if 40 <= len(line) <= 90 and not _SENTENCE_END.search(line)]
    return len(cut) >= WRAPPED_SHARE * len(running)
