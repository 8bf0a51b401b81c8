"""Context cues of a name: what the words around it say about what it names.

Resolution decides an entity's type once, from all its mentions; these cues are part of
what it weighs (:mod:`kg.resolve.entity_type`). Each cue is a short string:

- ``next:<word>`` / ``prev:<word>``: the lower-case word right after / before the name
  when it is a common word ("Cell processor", "the film Mary Poppins");
- ``article``: "the" right before the name;
- ``possessive``: "'s" right after it;
- ``sentence_start``: the name opens its sentence (capitals prove nothing there);
- ``headline``: the name is on a line without sentence punctuation (a title);
- ``said``: a verb of saying follows ("Yukos said", "X told");
- ``lower_elsewhere``: the document also has the name's one word in lower case;
- ``place_of``: the text says the name is a place: "X-based", "MP for X", "the city of
  X";
- ``holding_in``: shares or a stake in it ("shares in X", "a stake in X"), or its chief
  executive ("X's chief executive"): a company, though "in" comes before it;
- ``role_in``: a part in it ("her role in X", "his performance in X", "starred in X";
  also for each name of a list: "roles in X and Y"): a work;
- ``quoted``: the name alone between quotation marks (a title, a nickname, a slogan:
  "Red Rose Army");
- ``before:<noun>``: the common noun (singular) the name stands in apposition to, right
  before it or before the list of names it is in ("pop duo X", "record companies X and
  Y", "stars such as X");
- ``owner:<name>``: a capitalised name and "'s" right before it ("Microsoft's Xbox",
  "Michael Moore's Fahrenheit 9/11"): what a person or company owns or made is often a
  product or a work;
- ``of:<word>``: the word before "of" right before it ("Secretary of State"): with a job
  title, the name is part of the title;
- ``last_lower_elsewhere``: a name of several words whose last word the document also
  writes in lower case ("U.S. Cattle" beside "cattle");
- ``next_cap:<word>``: the capitalised word right after the name, in lower case (the
  type vote reads a job title there: "U.S. Agriculture Secretary");
- ``award_suffix``: "-winning" or "-nominated" right after it ("Oscar-winning",
  "Bafta-nominated"): an award or a contest, no person, organization or place;
- ``dateline``: the name opens a line and a news dateline follows ("LA PAZ, March 23 -",
  "LONDON (Reuters) -"): the place the story was filed from.

    >>> sorted(cues_for("The Cell processor is fast.", 4, 8, is_sentence_start=False))
    ['article', 'next:processor']
"""

from __future__ import annotations

import re

_WORD_AFTER = re.compile(r"(?:['’]s)?[ \t]+([a-z][a-z\-]{1,20})\b")
_WORD_BEFORE = re.compile(r"\b([A-Za-z][a-z\-]{1,20})[ \t]+$")
_DATELINE_AFTER = re.compile(
    r"[ \t]*(?:\([A-Za-z ]{2,20}\))?[ \t]*(?:,[ \t]*(?:[A-Z][a-z]{2,8}\.?[ \t]+\d{1,2}|\d{1,2}[ \t]+[A-Z][a-z]{2,8})(?:,[ \t]*\d{4})?)?"
    r"[ \t]*(?:\([A-Za-z ]{2,20}\))?[ \t]+[-–—]{1,2}[ \t]"
)
#: A list of capitalised names ending right before a name: "Dell, Samsung and ".
_NAMES_BEFORE = re.compile(
    r"(?<![\w'’])(?:[A-Z][\w'’!&.\-]*(?:[ \t]+[A-Z][\w'’!&.\-]*){0,4}"
    r"(?:,[ \t]+(?:and[ \t]+|or[ \t]+)?|[ \t]+(?:and|or|&)[ \t]+)){1,6}$"
)
_LINK_BEFORE = re.compile(r"(?:[ \t,]+(?:including|such as|like|notably|especially))?[ \t]*$")
_NOUN_BEFORE = re.compile(r"(?<![\w'’-])([a-z][a-z\-]{1,20})$")
#: "The" opening a title after a lower-case noun ("the animation The Incredibles").
_TITLE_THE = re.compile(r"(?<=[a-z])[ \t]+The[ \t]+$")
#: "such films as ": the noun between "such" and "as".
_SUCH_AS = re.compile(r"\bsuch[ \t]+([a-z][a-z\-]{1,20})[ \t]+as[ \t]*$")
#: A capitalised noun opening a sentence ("Companies such as X"), read in lower case.
_OPENING_NOUN = re.compile(r"(?:^|[.!?][\"”’]?[ \t]+|\n[ \t]*)([A-Z][a-z\-]{1,20})$")
_PLACE_BEFORE = re.compile(
    r"\b(?:(?:MP|MPs|MSP|MEP|AM|Member|member|MP's)[ \t]+for|"
    r"(?:city|town|village|port|region|province|county|state|island)[ \t]+of)[ \t]+$"
)
_HOLDING_BEFORE = re.compile(
    r"\b(?:shares?|stakes?|holdings?|shareholding|investors?|investment)[ \t]+in[ \t]+(?:the[ \t]+)?$"
)
_ROLE_BEFORE = re.compile(
    r"\b(?:roles?|performances?|appearances?|starred|starring|cameo)[ \t]+in[ \t]+(?:the[ \t]+)?$"
)
_CHIEF_AFTER = re.compile(r"['’]s?[ \t]+(?:chief[ \t]+executive|shareholders|board[ \t]+of)\b")
_OWNER_BEFORE = re.compile(
    r"(?<![\w'’])([A-Z][\w.&\-]*(?:[ \t]+[A-Z][\w.&\-]*){0,3})['’]s[ \t]+(?:new[ \t]+)?$"
)
_OF_BEFORE = re.compile(r"(?<![\w'’-])([A-Za-z][a-z\-]{1,20})[ \t]+of[ \t]+$")
_AWARD_SUFFIX = re.compile(r"-(?:winning|nominated)\b")
_CAPITAL_AFTER = re.compile(r"[ \t]+([A-Z][a-z]{2,20})\b")
_OPENING_QUOTES = frozenset("\"“‘'")
_CLOSING_QUOTES = frozenset("\"”’'")
_SAYING = frozenset(
    "said says say told tells added adds warned claimed insisted announced argued stated".split()
)


def cues_for(
    text: str,
    start: int,
    end: int,
    *,
    is_sentence_start: bool,
    lower_words: frozenset[str] = frozenset(),
) -> frozenset[str]:
    """The cues of the name ``text[start:end]`` (see the module docstring)."""
    cues: set[str] = set()
    after = _WORD_AFTER.match(text, end)
    if after is not None:
        word = after.group(1)
        cues.add("said" if word in _SAYING else f"next:{word}")
    if text[end : end + 2] in ("'s", "’s"):
        cues.add("possessive")
    before = _WORD_BEFORE.search(text[max(0, start - 24) : start])
    if before is not None:
        word = before.group(1)
        if word.lower() == "the":
            cues.add("article")
        elif word.islower():
            cues.add(f"prev:{word}")
    if text[start - 1 : start] in _OPENING_QUOTES and text[end : end + 1] in _CLOSING_QUOTES:
        cues.add("quoted")
    head = text[max(0, start - 30) : start]
    if text[end : end + 6] == "-based" or _PLACE_BEFORE.search(head):
        cues.add("place_of")
    if _HOLDING_BEFORE.search(head) or _CHIEF_AFTER.match(text, end):
        cues.add("holding_in")
    if _AWARD_SUFFIX.match(text, end):
        cues.add("award_suffix")
    if _ROLE_BEFORE.search(_before_list(text, start)):
        cues.add("role_in")
    owner = _OWNER_BEFORE.search(head)
    if owner is not None:
        cues.add(f"owner:{owner.group(1)}")
    of = _OF_BEFORE.search(head)
    if of is not None:
        cues.add(f"of:{of.group(1).lower()}")
    noun = noun_before(text, start)
    if noun is not None:
        cues.add(f"before:{noun}")
    if is_sentence_start:
        cues.add("sentence_start")
    line_start = text.rfind("\n", 0, start) + 1
    line_end = text.find("\n", end)
    line = text[line_start : line_end if line_end >= 0 else len(text)]
    if line.strip() and not re.search(r"[.!?\"”]\s*$", line) and len(line) < 120:
        cues.add("headline")
    if not text[line_start:start].strip() and _DATELINE_AFTER.match(text, end):
        cues.add("dateline")
    name = text[start:end]
    if " " not in name and name.lower() in lower_words:
        cues.add("lower_elsewhere")
    if " " in name.strip() and name.split()[-1].lower() in lower_words:
        cues.add("last_lower_elsewhere")
    capital_after = _CAPITAL_AFTER.match(text, end)
    if capital_after is not None:
        cues.add(f"next_cap:{capital_after.group(1).lower()}")
    return frozenset(cues)


def _before_list(text: str, start: int) -> str:
    """The text before the name at ``start``, or before the list of names it closes
    ("roles in Closer and " → "roles in ")."""
    head = text[max(0, start - 160) : start]
    names = _NAMES_BEFORE.search(head)
    return head[: names.start()] if names is not None else head


def noun_before(text: str, start: int) -> str | None:
    """The lower-case noun (singular) right before the name at ``start`` or before the list
    of names it closes, past "including"/"such as" ("such films as X"; a capitalised noun
    opening the sentence is read too: "Companies such as X").

    >>> noun_before("technology companies Dell, Samsung and Matsushita", 39)
    'company'
    """
    head = text[max(0, start - 160) : start]
    if not head.endswith((" ", "\t")):
        return None
    head = _TITLE_THE.sub("", head)  # "the animation The Incredibles": "The" opens the title
    names = _NAMES_BEFORE.search(head)  # "X, Y and ", "X, " (the comma kept: a list)
    if names is not None:
        head = head[: names.start()]
    else:
        head = head.rstrip(" \t")
        if head[-1:] == ",":  # "the film, A Different Story, ...": the noun before the comma
            head = head[:-1]
        head += " "
    such = _SUCH_AS.search(head)
    if such is not None:  # "such films as X"
        return singular(such.group(1))
    head = head[: _LINK_BEFORE.search(head).start()]  # type: ignore[union-attr]
    noun = _NOUN_BEFORE.search(head)
    if noun is None:
        noun = _OPENING_NOUN.search(head.rstrip(" \t"))
    return singular(noun.group(1).lower()) if noun is not None else None


def singular(word: str) -> str:
    """ "companies" → "company", "promoters" → "promoter" (a plain rule, enough for nouns
    of the lexicons).

    >>> singular("companies"), singular("boss"), singular("series"), singular("businesses")
    ('company', 'boss', 'series', 'business')
    """
    if word.endswith("ies") and len(word) > 4 and word != "series":
        return word[:-3] + "y"
    if word.endswith("sses") and len(word) > 5:
        return word[:-2]  # "successes", "businesses"
    if word.endswith("s") and not word.endswith(("ss", "us", "is", "series")) and len(word) > 3:
        return word[:-1]
    return word


def lower_case_words(text: str) -> frozenset[str]:
    """The words a text writes in lower case (for ``lower_elsewhere``)."""
    return frozenset(re.findall(r"\b[a-z][a-z\-]{2,}\b", text))
