"""Start-up: the light commands must not import the heavy stack (issue 25)."""

from __future__ import annotations

import json
import shutil
import subprocess
import sys
from pathlib import Path

FIXTURES = Path(__file__).parent / "fixtures"
HEAVY = ("sklearn", "matplotlib", "papermill", "nbconvert", "scipy", "statsmodels")

_PROBE = """
import json, sys
import socialkit.cli
try:
    socialkit.cli.main(sys.argv[1:])
except SystemExit:
    pass
heavy = {heavy!r}
print(json.dumps(sorted(m for m in sys.modules if m.split(".")[0] in heavy)))
"""


def _heavy_imports(*argv: str) -> list[str]:
    out = subprocess.run(
        [sys.executable, "-c", _PROBE.format(heavy=HEAVY), *argv],
        capture_output=True,
        text=True,
        check=True,
    )
    return json.loads(out.stdout.strip().splitlines()[-1])


def test_help_imports_nothing_heavy():
    assert _heavy_imports("--help") == []


def test_validate_imports_nothing_heavy(tmp_path):
    client = tmp_path / "acme"
    (client / "exports").mkdir(parents=True)
    (client / "client.yaml").write_text("name: Acme\n", encoding="utf-8")
    shutil.copy(FIXTURES / "meta_facebook_posts.csv", client / "exports")
    assert _heavy_imports("validate", str(client)) == []


def test_lazy_package_names_still_resolve():
    out = subprocess.run(
        [
            sys.executable,
            "-c",
            "import socialkit.diagnose, socialkit\n"
            "from socialkit import diagnose, load_client, Finding\n"
            "from socialkit.metrics import weekly_counts\n"
            "print(callable(diagnose), callable(socialkit.diagnose), callable(weekly_counts))",
        ],
        capture_output=True,
        text=True,
        check=True,
    )
    assert out.stdout.split() == ["True", "True", "True"]
