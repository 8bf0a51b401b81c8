"""Quotations and their speakers: the scanner (fast) and each attribution pattern on a short
text of its own (slow: a real spaCy model)."""

from __future__ import annotations

import pytest

from kg.extract.quotes import Quotation, quotations

pytestmark = pytest.mark.filterwarnings("ignore::DeprecationWarning")


def speakers(extract, text: str) -> dict[str, str | None]:
    """The first three words of each quotation → its speaker's name (None: unattributed)."""
    _, facts = extract(text)
    out: dict[str, str | None] = {}
    for fact in facts:
        if fact.relation == "quoteText":
            out.setdefault(" ".join(fact.object.split()[:3]), None)
    for fact in facts:
        if fact.relation == "speaker":
            out[" ".join(fact.subject.name.split()[:3])] = fact.object.name
    return out


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        # verb of saying after the quotation, through a pronoun
        (
            'Maria Lopez runs the clinic. "We will open a second site next year," she said.',
            {"We will open": "Maria Lopez"},
        ),
        # through a description: a job title the document gave
        (
            'Health Minister Jane Doe visited Leeds on Friday. "The hospital needs more '
            'nurses," the minister added.',
            {"The hospital needs": "Jane Doe"},
        ),
        # an organization "said in a statement"
        (
            "Acme Industries cut 200 jobs on Monday. The company said in a statement: "
            '"These changes are painful but necessary."',
            {"These changes are": "Acme Industries"},
        ),
        # a spokesman speaks for his organization
        (
            'A Labour Party spokesman said: "The figures speak for themselves today."',
            {"The figures speak": "Labour Party"},
        ),
        # news style: a new opening mark goes on with the same speech
        (
            'Tim Wright said: "The treaty is working. "Every state should now join it."',
            {"The treaty is": "Tim Wright", "Every state should": "Tim Wright"},
        ),
        # the quotation after the attributed one goes on with its speaker
        (
            '"We played well in the first half," Jones said. "The second half was a '
            'different story."',
            {"We played well": "Jones", "The second half": "Jones"},
        ),
        # a speaker named in the next sentence
        (
            '"The rules have to change before the next election."\nJohn Smith said the '
            "party would vote against the bill.",
            {"The rules have": "John Smith"},
        ),
        # reported speech in the sentence before
        (
            'Peter White said the plan was sound. "We have checked every number twice."',
            {"We have checked": "Peter White"},
        ),
        # a surname NER missed, after the full name
        (
            'Barber Conable arrived in Jakarta. "The economy is being very well managed," '
            "Conable told reporters.",
            {"The economy is": "Barber Conable"},
        ),
        # "he said" after a quotation: its speaker, though another man was named in it
        (
            'Anna Berg praised Tom Hill. "Tom Hill has done a great job for the club," '
            'she said. "We will miss him when he goes abroad," she added.',
            {"Tom Hill has": "Anna Berg", "We will miss": "Anna Berg"},
        ),
        (
            'Union leader Sam Cole said Mr Reid\'s plans were "a total disgrace". "The '
            'minister has not listened to the nurses at all," he said on Monday.',
            {"The minister has": "Sam Cole"},
        ),
        # the verb the quotation hangs on, not an earlier verb of saying
        (
            "When the council announced the cuts, Mayor Jane Potter said they were "
            '"only the start of a long road".',
            {"only the start": "Jane Potter"},
        ),
        # "X of Y said": the person, not the organization after "of"
        (
            'Ruth Moss of pressure group Clean Air said they were "tired of waiting for action".',
            {"tired of waiting": "Ruth Moss"},
        ),
        # a colon in the next sentence belongs to the next quotation only
        (
            '"The chip has two big parts to it," said Lee Park, an analyst with Gartner. '
            'He said: "One is the vision that sells it to people."',
            {"The chip has": "Lee Park", "One is the": "Lee Park"},
        ),
        # "said the <title>": the one person named just before
        (
            'Marco Rossi expects a hard match at the weekend. "It will not be a pretty '
            'game at all," said the lock forward.',
            {"It will not": "Marco Rossi"},
        ),
        # a scare quote inside reported speech does not hide the verb before
        (
            'Mr Dunn said that if the minister made remarks which were "off the mark", '
            'they were bound to "come back and bite him".',
            {"come back and": "Dunn"},
        ),
        # a paragraph that opens with a quotation goes on with the last speaker
        (
            '"He is a balanced player and a great kicker," Jones said.\n\n"His defence '
            "was superb and he had a great game.\n\nThe match ended late.",
            {"He is a": "Jones", "His defence was": "Jones"},
        ),
        # a quotation that closes its sentence: the next sentence is not its attribution
        (
            '"Most workers are already mobile and out of the office," Rene Obermann, Acme\'s '
            'chief executive, told a press conference. He added: "What they need is their '
            'office on the move." Acme said it had sold many devices.',
            {"Most workers are": "Rene Obermann", "What they need": "Rene Obermann"},
        ),
        # a verb of saying coordinated with another takes its subject
        (
            '"I am still going to be making music," Tom Hale said. He hinted at discontent, '
            'and said: "I do not think there is anyone I want to spar with." Hale said the '
            "film was for his fans.",
            {"I am still": "Tom Hale", "I do not": "Tom Hale"},
        ),
        # the one spoken to before a colon is not the speaker
        (
            "Mr Flight says he will not stand down. The MP, who is consulting his lawyers, "
            'told BBC News: "They selected me and they can dispose of me."',
            {"They selected me": None},
        ),
    ],
)
def test_speakers(extract, text, expected):
    assert speakers(extract, text) == expected


def test_a_quotation_that_names_no_speaker_stays_unattributed(extract):
    text = 'The banner read "No more cuts to our schools" in red letters. Nobody objected.'
    assert speakers(extract, text) == {"No more cuts": None}


def test_the_evidence_of_a_speaker_through_a_pronoun_covers_both_sentences(extract):
    text = 'Maria Lopez runs the clinic. "We will open a second site next year," she said.'
    _, facts = extract(text)
    fact = next(f for f in facts if f.relation == "speaker")
    assert fact.object.name == "Maria Lopez" and fact.object.kind == "name"
    assert fact.evidence.start <= fact.object.start < fact.object.end <= fact.evidence.end
    assert fact.evidence.sentence.startswith("Maria Lopez runs the clinic.")
    assert fact.evidence.sentence.endswith("she said.")


# --------------------------------------------------------------------------- fast


def bodies(text: str) -> list[str]:
    return [q.body(text) for q in quotations(text)]


def test_curly_and_straight_quotations():
    assert bodies("He said “We are ready.” and left.") == ["We are ready."]
    assert bodies('He said "We are ready," and left.') == ["We are ready,".strip(" ,")]


def test_a_new_opening_mark_ends_an_unclosed_quotation():
    text = 'She said: "One thing is clear. "Another is not." Then she left.'
    assert bodies(text) == ["One thing is clear.", "Another is not."]
    first, second = quotations(text)
    assert not first.closed and second.closed
    assert text[first.end - 1] == "."  # ends at the text, not at the next mark


def test_a_paragraph_break_ends_a_quotation_but_a_wrapped_line_does_not():
    wrapped = '    "There is an intent to make sure\nthere is liquidity," Wilson said.'
    assert bodies(wrapped) == ["There is an intent to make sure\nthere is liquidity"]
    paragraphs = 'He said: "We will win.\n\n"We always do."'
    assert bodies(paragraphs) == ["We will win.", "We always do."]


def test_a_paragraph_break_after_the_last_mark_ends_the_open_quotation_there():
    text = 'He said: "We will win.\n\nThe vote is on Monday.'
    (q,) = quotations(text)
    assert not q.closed and q.body(text) == "We will win."
    assert bodies('He said: "We will win.\n\n') == ["We will win."]  # nothing after the break


def test_apostrophes_and_inner_single_quotes_are_not_quotations():
    text = "It's the party's 'best ever' result, said O'Brien."
    assert quotations(text) == []


def test_quotation_spans_hold_the_marks():
    text = 'Then: "Yes, we can do it."'
    (q,) = quotations(text)
    assert q == Quotation(6, len(text), True)
    assert text[q.start] == '"' and text[q.end - 1] == '"'
