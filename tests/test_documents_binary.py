"""PDF and DOCX inputs, on files the tests generate: same text as the .txt, bad files reported."""

from __future__ import annotations

import pytest

from kg.documents import LoadStats, load_documents

PARAGRAPHS = [
    "NATO leaders meet in Brussels",
    "Secretary General Jens Stoltenberg welcomed US President Joe Biden to NATO headquarters in Brussels on Monday.",
    "Biden said the alliance was sacred to the United States. Stoltenberg said NATO would coordinate its stance on China and Russia before the summit, a line that runs long enough to wrap over several lines of the page when it is written out in a PDF file by the generator.",
    "Later, Biden travelled to Geneva for a meeting with Russian President Vladimir Putin.",
]


def write_pdf(path, paragraphs, *, pages=1):
    from fpdf import FPDF

    pdf = FPDF()
    per_page = -(-len(paragraphs) // pages)
    for start in range(0, len(paragraphs), per_page):
        pdf.add_page()
        pdf.set_font("Helvetica", size=11)
        for paragraph in paragraphs[start : start + per_page]:
            pdf.multi_cell(0, 6, paragraph)
            pdf.ln(4)
    pdf.output(str(path))
    return path


def write_docx(path, paragraphs):
    import docx

    document = docx.Document()
    for paragraph in paragraphs:
        document.add_paragraph(paragraph)
    document.save(str(path))
    return path


@pytest.fixture
def three(tmp_path):
    (tmp_path / "a.txt").write_text("\n\n".join(PARAGRAPHS), encoding="utf-8")
    write_pdf(tmp_path / "a.pdf", PARAGRAPHS)
    write_docx(tmp_path / "a.docx", PARAGRAPHS)
    return tmp_path


def test_pdf_and_docx_give_the_text_of_the_txt(three):
    docs = {d.source.rsplit(".", 1)[1]: d for d in load_documents([three])}
    assert set(docs) == {"txt", "pdf", "docx"}
    assert docs["pdf"].text == docs["txt"].text == docs["docx"].text
    assert docs["pdf"].title == docs["docx"].title == "NATO leaders meet in Brussels"
    assert docs["pdf"].file == str((three / "a.pdf").resolve())


def test_pdf_pages_and_their_offsets(tmp_path):
    from kg.documents.pdf import read_pdf

    path = write_pdf(tmp_path / "two.pdf", PARAGRAPHS, pages=2)
    extracted = read_pdf(path.read_bytes(), "two.pdf")
    assert len(extracted.pages) == 2 and extracted.pages[0] == 0
    second = extracted.text[extracted.pages[1] :]
    assert second.startswith(PARAGRAPHS[2][:40])  # an offset past pages[1] is on page 2


def test_bad_pdf_and_docx_are_failed_documents_with_the_reason(tmp_path):
    import pypdf
    from fpdf import FPDF

    clean = write_pdf(tmp_path / "clean.pdf", PARAGRAPHS)
    writer = pypdf.PdfWriter(clone_from=str(clean))
    writer.encrypt(user_password="secret", owner_password="owner", algorithm="RC4-128")
    writer.write(str(tmp_path / "locked.pdf"))
    writer = pypdf.PdfWriter(clone_from=str(clean))
    writer.encrypt(user_password="", owner_password="owner", algorithm="RC4-128")
    writer.write(str(tmp_path / "open-lock.pdf"))
    scan = FPDF()
    scan.add_page()
    scan.rect(20, 20, 120, 80, style="F")  # a page with a picture and no text
    scan.output(str(tmp_path / "scan.pdf"))
    (tmp_path / "torn.pdf").write_bytes(b"%PDF-1.4\n1 0 obj << /Type /Catalog")
    (tmp_path / "torn.docx").write_bytes(b"PK\x03\x04 not a zip")
    (tmp_path / "old.docx").write_bytes(b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + b"\0" * 100)
    clean.unlink()
    errors: list[str] = []
    docs = list(load_documents([tmp_path], on_error=lambda e: errors.append(str(e))))
    assert [d.source.rsplit("/", 1)[1] for d in docs] == ["open-lock.pdf"]  # empty user password
    by_file = {e.split(":", 1)[0].rsplit("/", 1)[1]: e for e in errors}
    assert "a password is needed" in by_file["locked.pdf"]
    assert "no text layer" in by_file["scan.pdf"] and "OCR" in by_file["scan.pdf"]
    assert "not a readable PDF" in by_file["torn.pdf"]
    assert "not a readable .docx" in by_file["torn.docx"]
    assert "encrypted or old-format Word file" in by_file["old.docx"]
    assert all("\n" not in e for e in errors)


def test_skipped_files_are_named_with_the_reason(tmp_path):
    (tmp_path / "table.csv").write_text("a,b\n", encoding="utf-8")
    (tmp_path / "notes.txt").write_text("Some text.", encoding="utf-8")
    stats = LoadStats()
    docs = list(load_documents([tmp_path, tmp_path / "notes.txt"], stats=stats))
    assert len(docs) == 1
    reasons = dict(stats.skipped_files)
    assert set(reasons) == {f"{tmp_path}/table.csv", f"{tmp_path}/notes.txt"}
    assert reasons[f"{tmp_path}/table.csv"].startswith(".csv is not a format kg reads")
    assert (
        ".pdf" in reasons[f"{tmp_path}/table.csv"] and ".docx" in reasons[f"{tmp_path}/table.csv"]
    )
    assert reasons[f"{tmp_path}/notes.txt"] == "the same file was read already"


def test_count_documents(tmp_path):
    from kg.documents import count_documents

    (tmp_path / "a.txt").write_text("x", encoding="utf-8")
    (tmp_path / "b.jsonl").write_text(
        '{"text": "1"}\n\n{"text": "2"}\n{"text": "3"}', encoding="utf-8"
    )
    (tmp_path / "c.csv").write_text("x", encoding="utf-8")
    assert count_documents([tmp_path]) == 4
    assert count_documents([tmp_path, tmp_path / "a.txt"]) == 4  # the same file once


@pytest.mark.slow
def test_pdf_and_docx_give_the_entities_of_the_txt(three, tmp_path):
    from kg.graph import KnowledgeGraph

    labels = {}
    for suffix in ("txt", "pdf", "docx"):
        graph = KnowledgeGraph.build([three / f"a.{suffix}"])
        labels[suffix] = {(e.type, e.label) for e in graph.entities() if e.type != "Quote"}
    assert labels["txt"] and ("Person", "Jens Stoltenberg") in labels["txt"]
    assert labels["pdf"] == labels["txt"] == labels["docx"]
