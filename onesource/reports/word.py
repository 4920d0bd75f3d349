"""The committee report as an editable Word document (python-docx): the same sections, commentary,
tables and charts as the PDF.

Each section's print HTML (the PDF's) is walked: headings, paragraphs, lists and tables become Word's
own; a chart becomes a PNG drawn by matplotlib from the same Chart definition as the page's SVG (Word
cannot hold SVG reliably), followed by its figures as a table.
"""

from __future__ import annotations

import io
from typing import Any

from docx import Document
from docx.document import Document as DocumentObject
from docx.enum.section import WD_ORIENT
from docx.shared import Cm, Pt
from docx.table import _Cell
from docx.text.paragraph import Paragraph
from lxml import html as lxml_html

from onesource.core.charts import Chart
from onesource.reports.committee import CommitteeReport, RenderedSection

DOCX_CONTENT_TYPE = "application/vnd.openxmlformats-officedocument.wordprocessingml.document"
BLOCK_TAGS = {"p", "ul", "ol", "table", "figure", "h2", "h3", "h4", "dl", "div", "details", "section"}
BOLD_TAGS = {"strong", "b", "th"}


def render_docx(report: CommitteeReport) -> bytes:
    document = Document()
    section = document.sections[0]
    section.orientation = WD_ORIENT.LANDSCAPE
    section.page_width, section.page_height = section.page_height, section.page_width
    for margin in ("left_margin", "right_margin", "top_margin", "bottom_margin"):
        setattr(section, margin, Cm(1.8))
    document.styles["Normal"].font.name = "Arial"
    document.styles["Normal"].font.size = Pt(10.5)

    document.add_paragraph("Report to the Overview & Scrutiny Committee")
    document.add_heading(report.partner.name, level=0)
    document.add_paragraph(report.period_label)
    if report.version is not None:
        document.add_paragraph(_version_line(report))
    document.add_paragraph(
        f"Generated from the shared service's records on {report.generated_at:%-d %B %Y}. Figures are "
        f"{report.partner.name}'s own or its attributed share unless marked as the partnership's or "
        "the whole service's."
    )
    if not report.sections:
        document.add_paragraph(f"There is nothing to report for {report.partner.name} in this period.")
    for rendered in report.sections:
        _add_section(document, rendered)
    out = io.BytesIO()
    document.save(out)
    return out.getvalue()


def _version_line(report: CommitteeReport) -> str:
    version = report.version
    assert version is not None
    if version.is_final and version.finalised_at is not None:
        who = str(version.finalised_by) if version.finalised_by else "an officer"
        return f"Version {version.number}, final: finalised by {who} on {version.finalised_at:%-d %B %Y}."
    return f"Version {version.number}, draft: not yet final."


def _add_section(document: DocumentObject, rendered: RenderedSection) -> None:
    document.add_heading(f"{rendered.number}. {rendered.title}", level=1)
    if rendered.commentary:
        document.add_heading("Commentary", level=3)
        for paragraph in rendered.commentary.split("\n\n"):
            document.add_paragraph(paragraph.strip())
    charts = {chart.title: chart for chart in rendered.charts}
    root = lxml_html.fragment_fromstring(str(rendered.html), create_parent="div")
    _add_blocks(document, root, charts)


def _add_blocks(document: DocumentObject, element: Any, charts: dict[str, Chart]) -> None:
    if element.text and element.text.strip():
        document.add_paragraph(_clean(element.text))
    for child in element:
        if not isinstance(child.tag, str):  # a comment
            continue
        tag = child.tag.lower()
        classes = set((child.get("class") or "").split())
        if tag in {"h2", "h3", "h4"}:
            document.add_heading(_clean(child.text_content()), level=min(int(tag[1]), 4))
        elif tag == "p":
            _add_inline(document.add_paragraph(), child)
        elif tag in {"ul", "ol"}:
            style = "List Bullet" if tag == "ul" else "List Number"
            for item in child.findall("li"):
                _add_inline(document.add_paragraph(style=style), item)
        elif tag == "table":
            _add_table(document, child)
        elif tag == "figure" and "app-chart" in classes:
            _add_chart(document, child, charts)
        elif tag == "summary":
            continue
        elif tag == "dl":
            for row in child.iter("div"):
                key, value = row.find("dt"), row.find("dd")
                if key is not None and value is not None:
                    paragraph = document.add_paragraph()
                    paragraph.add_run(_clean(key.text_content()) + ": ").bold = True
                    paragraph.add_run(_clean(value.text_content()))
        elif tag in {"svg", "script", "style", "form", "nav"}:
            continue
        elif tag in BLOCK_TAGS or any(c.tag in BLOCK_TAGS for c in child if isinstance(c.tag, str)):
            _add_blocks(document, child, charts)
        elif _clean(child.text_content()):
            _add_inline(document.add_paragraph(), child)
        if child.tail and child.tail.strip():
            document.add_paragraph(_clean(child.tail))


def _add_inline(paragraph: Paragraph, element: Any, bold: bool = False) -> None:
    """The element's text into the paragraph, keeping bold where the HTML has it."""
    bold = bold or element.tag in BOLD_TAGS
    if element.text:
        paragraph.add_run(_spaces(element.text)).bold = bold
    for child in element:
        if isinstance(child.tag, str) and child.tag not in {"svg", "script", "style"}:
            _add_inline(paragraph, child, bold)
        if child.tail:
            paragraph.add_run(_spaces(child.tail)).bold = bold


def _add_table(document: DocumentObject, element: Any) -> None:
    caption = element.find("caption")
    if caption is not None and _clean(caption.text_content()):
        document.add_paragraph().add_run(_clean(caption.text_content())).bold = True
    rows = [row for row in element.iter("tr")]
    if not rows:
        return
    width = max(len(row.findall("th")) + len(row.findall("td")) for row in rows)
    table = document.add_table(rows=0, cols=width)
    table.style = "Table Grid"
    for row in rows:
        cells = table.add_row().cells
        for index, source in enumerate(c for c in row if isinstance(c.tag, str) and c.tag in {"th", "td"}):
            _fill_cell(cells[index], source)
    document.add_paragraph()


def _fill_cell(cell: _Cell, source: Any) -> None:
    paragraph = cell.paragraphs[0]
    _add_inline(paragraph, source)
    if "numeric" in (source.get("class") or ""):
        paragraph.alignment = 2  # right, as on the page


def _add_chart(document: DocumentObject, figure: Any, charts: dict[str, Chart]) -> None:
    caption = figure.find("figcaption")
    title = _clean(caption.text_content()) if caption is not None else ""
    chart = charts.get(title)
    if title:
        document.add_paragraph().add_run(title).bold = True
    if chart is not None:
        document.add_picture(io.BytesIO(chart.to_png()), width=Cm(20))
    for table in figure.iter("table"):
        _add_table(document, table)


def _spaces(text: str) -> str:
    """Inline text with runs of white space as one space, keeping a space at either end."""
    if not text.strip():
        return " "
    return (" " if text[0].isspace() else "") + " ".join(text.split()) + (" " if text[-1].isspace() else "")


def _clean(text: str) -> str:
    return " ".join(text.split())
