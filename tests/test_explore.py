"""The notebook client picker: live with ipywidgets, a readable static view without."""

import os
import shutil
import sys

import IPython.display
import pytest

from socialkit import explore


class Shown:
    """Records what client_picker displays; display ids get a handle whose updates are kept."""

    def __init__(self):
        self.items, self.updates = [], []

    def __call__(self, obj, display_id=None):
        self.items.append(obj)
        if display_id:
            return self

    def update(self, obj):
        self.updates.append(obj)


@pytest.fixture
def shown(monkeypatch):
    s = Shown()
    monkeypatch.setattr(IPython.display, "display", s)
    return s


@pytest.fixture
def two_clients(demo_dir, tmp_path):
    for slug in ("fern-fig-studio", "harbour-bakery"):
        shutil.copytree(demo_dir / slug, tmp_path / slug)
    return tmp_path


def test_glance_shows_the_clients_verdict_and_a_platforms_calendar(demo_dir):
    html = explore.glance(demo_dir / "fern-fig-studio", "tiktok")
    assert "Fern &amp; Fig Studio" in html or "Fern & Fig Studio" in html
    assert "data:image/png;base64," in html


def test_glance_sees_an_edited_client_folder(two_clients):
    yaml = two_clients / "harbour-bakery" / "client.yaml"
    assert "Harbour Bakery" in explore.glance(yaml.parent)
    text = yaml.read_text(encoding="utf-8").replace("Harbour Bakery", "Harbour Bakehouse", 1)
    yaml.write_text(text, encoding="utf-8")
    os.utime(yaml, ns=(yaml.stat().st_atime_ns, yaml.stat().st_mtime_ns + 10**9))
    assert "Harbour Bakehouse" in explore.glance(yaml.parent)


def test_glance_of_a_broken_folder_says_why_instead_of_raising(tmp_path):
    (tmp_path / "broken").mkdir()
    (tmp_path / "broken" / "client.yaml").write_text("name: [unclosed\n")
    html = explore.glance(tmp_path / "broken")
    assert "could not be loaded" in html and "broken" in html


def test_picker_redraws_the_view_in_place_when_a_dropdown_changes(two_clients, shown):
    import ipywidgets as w

    explore.client_picker(two_clients)
    controls, first = shown.items
    assert isinstance(controls, w.HBox)
    pick_client, pick_platform = controls.children
    assert "Fern" in first.data  # the first folder, sorted, is shown without any widget
    assert pick_platform.options[0] == explore.ALL
    pick_client.value = two_clients / "harbour-bakery"
    assert "Harbour Bakery" in shown.updates[-1].data
    assert set(pick_platform.options) > {explore.ALL}
    n = len(shown.updates)
    pick_platform.value = pick_platform.options[1]
    assert len(shown.updates) == n + 1  # one redraw per change
    assert f'alt="posting calendar: {pick_platform.options[1]}"' in shown.updates[-1].data


def test_the_picker_can_start_on_a_given_client(two_clients, shown):
    explore.client_picker(two_clients, start=two_clients / "harbour-bakery")
    controls, first = shown.items
    assert controls.children[0].value == two_clients / "harbour-bakery"
    assert "Harbour Bakery" in first.data


def test_without_ipywidgets_the_first_client_is_still_shown(two_clients, shown, monkeypatch):
    monkeypatch.setitem(sys.modules, "ipywidgets", None)  # import fails
    explore.client_picker(two_clients)
    hint, first = shown.items
    assert "Install ipywidgets" in hint.data and "Fern" in first.data


def test_a_folder_without_clients_says_so(tmp_path, shown):
    explore.client_picker(tmp_path)
    assert "No client folders" in shown.items[0].data
