"""Long documents: parsed in windows, offsets back in the whole text, one extraction each.

The windows are checked on any text (hypothesis): they cover it exactly, none is longer
than asked, cuts fall after a paragraph when there is one. With the real model: a
document longer than the model takes at once is built (it used to be refused), its
names are found to its end at the right offsets, and a text of two articles gives, in
windows, what each article gives alone, moved to where it stands. Time and memory
against length are measured by ``bench/long_documents.py``, not here.
"""

from __future__ import annotations

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from kg.build.pipeline import WINDOW_CHARS, extract_documents, shift_fact, shift_mention, windows
from kg.documents import document_from_text
from kg.model import DOCUMENT, DOCUMENT_SELF, Evidence, Fact, Mention

texts = st.text(alphabet=st.sampled_from("ab .!?\n\t\u00e9"), max_size=3000)


@settings(max_examples=200, deadline=None)
@given(texts, st.integers(min_value=8, max_value=400))
def test_windows_cover_the_text_exactly(text, size):
    spans = windows(text, size)
    assert "".join(text[a:b] for a, b in spans) == text
    assert spans[0][0] == 0 and spans[-1][1] == len(text)
    assert all(a < b or len(text) == 0 for a, b in spans)
    assert all(b - a <= size for a, b in spans)
    assert all(b == c for (_, b), (c, _) in zip(spans, spans[1:]))


def test_windows_cut_after_paragraphs_then_sentences():
    paragraph = "Word " * 30 + "end.\n\n"
    text = paragraph * 20
    for _, b in windows(text, 1000)[:-1]:
        assert text[:b].endswith("\n\n")
    no_paragraphs = ("A sentence that ends here. " * 100).strip()
    for _, b in windows(no_paragraphs, 500)[:-1]:
        assert no_paragraphs[:b].endswith("here. ")
    assert windows("short", 1000) == [(0, 5)]


def test_shifting_moves_every_offset_but_the_document_itself():
    person = Mention("d", "Ada", "Ada", "Person", 3, 6)
    pronoun = Mention("d", "she", "she", "Person", 20, 23, kind="reference", antecedent=person)
    doc = Mention("d", "", "d", DOCUMENT, 0, 0, kind=DOCUMENT_SELF)
    fact = Fact(doc, "mentions", pronoun, Evidence("d", "...", 20, 23, "x", 1.0))
    moved = shift_fact(fact, 100)
    assert moved.subject == doc  # the document has no place in its text
    assert (moved.object.start, moved.object.end) == (120, 123)
    assert (moved.object.antecedent.start, moved.object.antecedent.end) == (103, 106)
    assert (moved.evidence.start, moved.evidence.end) == (120, 123)
    assert shift_mention(person, 0) is person


@pytest.fixture(scope="module")
def articles(seeds_dir):
    return [p.read_text(encoding="utf-8").strip() for p in sorted(seeds_dir.glob("*.txt"))]


@pytest.mark.slow
def test_a_document_longer_than_the_model_takes_is_built_to_its_end(nlp, articles):
    """Defect 4: over ``nlp.max_length`` a document used to be refused; its end never read."""
    body = "\n\n".join(articles)
    text = body + "\n\n" + "\n\n".join(f"Report {i}. The weather was calm." for i in range(1200))
    text += "\n\nJacinda Ardern met Justin Trudeau in Wellington on Friday."
    document = document_from_text(text)
    errors: list[str] = []
    old = nlp.max_length
    nlp.max_length = 30_000  # the model takes less than the document at once
    try:
        assert len(text) > nlp.max_length > WINDOW_CHARS
        [(_, extraction)] = list(extract_documents([document], nlp, on_error=errors.append))
    finally:
        nlp.max_length = old
    assert errors == []
    names = {(m.name, m.start) for m in extraction.mentions if m.kind == "name"}
    for name in ("Jacinda Ardern", "Justin Trudeau", "Wellington"):
        [start] = [s for n, s in names if n == name]
        assert text[start : start + len(name)] == name  # offsets into the whole text
    for mention in extraction.mentions:
        if mention.kind == "name":  # part of the name or of its surface ("UK", "ICAN ...")
            piece = text[mention.start : mention.end]
            assert piece and (piece in mention.text or piece in mention.name), mention
    for fact in extraction.facts:
        assert 0 <= fact.evidence.start <= fact.evidence.end <= len(text)


@pytest.mark.slow
def test_windows_give_what_each_part_gives_alone(nlp, articles):
    """Two articles in one text, cut between them: each window's facts as if alone, moved."""
    first, second = sorted(articles, key=len, reverse=True)
    text = first + "\n\n" + second
    offset = len(first) + 2
    size = offset  # the last paragraph break of the first window is between the articles
    assert windows(text, size) == [(0, offset), (offset, len(text))]
    whole = document_from_text(text)
    [(_, windowed)] = list(extract_documents([whole], nlp, window_chars=size))

    def table(extraction, shift=0):
        return {
            (f.subject.name, f.relation, f.object if isinstance(f.object, str) else f.object.name,
             f.evidence.start + shift)
            for f in extraction.facts if f.subject.kind != DOCUMENT_SELF
        }  # fmt: skip

    alone = []
    for part in (first, second):
        [(_, extraction)] = list(extract_documents([document_from_text(part)], nlp))
        alone.append(extraction)
    expected = table(alone[0]) | table(alone[1], offset)
    assert table(windowed) == expected
    assert len(windowed.facts) >= len(alone[0].facts)
