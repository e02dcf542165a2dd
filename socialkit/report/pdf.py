"""``report.pdf`` beside ``report.html``: headless Chromium's print-to-PDF.

The page's print CSS sets the paper (A4 or letter), the cover page, page
numbers and keeps cards and figures whole; the appendix is opened before
printing. No network: the page is self-contained and the browser is started
without background services.
"""

from __future__ import annotations

import os
import shutil
import subprocess
import tempfile
from pathlib import Path

__all__ = ["find_chromium", "print_pdf"]

_INSTALL = (
    "--pdf needs headless Chromium, which was not found: install it (Debian/Ubuntu: "
    "apt-get install chromium; macOS: brew install --cask chromium) or set SOCIALKIT_CHROMIUM "
    "to the browser's path."
)


def find_chromium() -> str:
    """Path of a Chromium or Chrome binary (``SOCIALKIT_CHROMIUM`` first), else RuntimeError."""
    env = os.environ.get("SOCIALKIT_CHROMIUM")
    if env:
        if not Path(env).is_file():
            raise RuntimeError(f"SOCIALKIT_CHROMIUM={env} is not a file. " + _INSTALL)
        return env
    for name in ("chromium", "chromium-browser", "google-chrome", "google-chrome-stable"):
        found = shutil.which(name)
        if found:
            return found
    raise RuntimeError(_INSTALL)


def print_pdf(html_path, pdf_path, *, timeout: float = 120) -> Path:
    """Print ``html_path`` to ``pdf_path`` with headless Chromium (written atomically)."""
    from socialkit.report.build import atomic_write

    browser = find_chromium()
    html_path, pdf_path = Path(html_path).resolve(), Path(pdf_path)
    # print with the appendix open: the <details> printed in full
    text = html_path.read_text("utf-8").replace(
        '<details class="sk-appendix"', '<details open class="sk-appendix"'
    )
    with tempfile.TemporaryDirectory(prefix="socialkit-pdf-") as tmp:
        src = Path(tmp) / "report.html"
        src.write_text(text, "utf-8")
        out = Path(tmp) / "report.pdf"
        cmd = [
            browser,
            "--headless",
            "--no-sandbox",
            "--disable-gpu",
            "--no-first-run",
            "--disable-background-networking",
            "--disable-component-update",
            "--disable-sync",
            f"--user-data-dir={tmp}/profile",
            "--no-pdf-header-footer",
            f"--print-to-pdf={out}",
            src.as_uri(),
        ]
        proc = subprocess.run(cmd, capture_output=True, text=True, timeout=timeout)
        if proc.returncode != 0 or not out.is_file():
            tail = [ln for ln in proc.stderr.splitlines() if ln.strip()][-1:] or ["no message"]
            raise RuntimeError(f"Chromium could not print {html_path.name} to PDF: {tail[0]}")
        atomic_write(pdf_path, out.read_bytes())
    return pdf_path
