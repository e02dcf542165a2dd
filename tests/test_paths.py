import pytest

from socialkit.paths import safe_child, slugify


@pytest.mark.parametrize(
    "name, slug",
    [
        ("Harbour Bakery", "harbour-bakery"),
        ("../../etc/passwd", "etc-passwd"),
        ('"; rm -rf / #', "rm-rf"),
        ("Fern & Fig Studio", "fern-fig-studio"),
        ("Café Ünïcode", "cafe-unicode"),
        ("..", None),
        ("", None),
        ("/", None),
    ],
)
def test_slugify(name, slug):
    s = slugify(name)
    assert s == slug if slug else s.startswith("client-")
    assert "/" not in s and ".." not in s and s.strip() == s


def test_safe_child_stays_inside(tmp_path):
    for name in ["../x", "../../", "a/../../b", "'quoted'", "..\\evil"]:
        p = safe_child(tmp_path, name)
        assert p.parent == tmp_path.resolve()
