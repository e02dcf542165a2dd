"""Many client folders loaded at once equal each folder loaded alone."""

from __future__ import annotations

import numpy as np
import pandas as pd
import pytest

from socialkit.batch import Batch
from socialkit.client import load_client
from socialkit.clients import load_clients

YAML = "name: {name}\nindustry: food_beverage\nobjective: engagement\nplatforms: [instagram, x]\n"
POSTS = (
    "platform,post_id,published_at,format,text,reactions,comments,shares\n"
    "instagram,p1,2026-05-01T10:00:00Z,image,Hello there,5,1,0\n"
    "x,p2,2026-05-02T10:00:00Z,text,Our new menu,3,0,1\n"
    "instagram,p3,2026-05-03T10:00:00Z,video,Spring is here,9,2,1\n"
)
BAD_POSTS = (
    "platform,post_id,published_at,format,text,reactions,comments,shares\n"
    "instagram,p1,2026-05-01T10:00:00Z,image,Hello there,5,1,0\n"
    "myspace,p2,2026-05-02T10:00:00Z,text,Unknown platform,3,0,1\n"
    "x,p3,not a time,text,Bad time,3,0,1\n"
    "x,p4,2026-05-04T10:00:00Z,text,Negative,-3,0,1\n"
    'x,p5,2026-05-05T10:00:00Z,text,"a ragged, line",1,2,3,4,5\n'
    "instagram,p1,2026-05-06T10:00:00Z,image,Same id again,7,1,0\n"
)
UPPER_POSTS = (
    "Platform,Post_ID,Published_At,Format,Text,Reactions,Comments,Shares,Campaign\n"
    "instagram,p1,2026-05-01T10:00:00Z,image,Hello there,5,1,0,spring\n"
    "myspace,p2,2026-05-02T10:00:00Z,text,Unknown platform,3,0,1,spring\n"
    "x,p3,2026-05-03T10:00:00Z,hologram,Unknown format,3,0,1,\n"
    "instagram,p1,2026-05-06T10:00:00Z,image,Same id again,7,1,0,\n"
)
FOLLOWERS = "platform,date,followers\ninstagram,2026-05-01,100\ninstagram,2026-05-02,104\n"
COMMENTS = (
    "platform,comment_id,post_id,created_at,author,text\n"
    "instagram,c1,p1,2026-05-01T11:00:00Z,ana,Love it\n"
    "instagram,c2,p1,2026-05-01T12:00:00Z,ben,When?\n"
)


def folder(root, name, files, yaml=None):
    d = root / name
    d.mkdir()
    (d / "client.yaml").write_text(yaml if yaml is not None else YAML.format(name=name))
    for fname, text in files.items():
        (d / fname).write_text(text)
    return d


@pytest.fixture
def folders(tmp_path):
    return [
        folder(tmp_path, "a-clean", {"posts.csv": POSTS, "followers.csv": FOLLOWERS}),
        # the same followers keys as a-clean: a key repeats only within its own file
        folder(
            tmp_path,
            "b-bad-rows",
            {"posts.csv": BAD_POSTS, "followers.csv": FOLLOWERS, "comments.csv": COMMENTS},
        ),
        folder(tmp_path, "c-bad-yaml", {"posts.csv": POSTS}, yaml="name: [unclosed\n"),
        folder(tmp_path, "d-no-time", {"posts.csv": "platform,post_id\ninstagram,p1\n"}),
        folder(tmp_path, "e-fewer-columns", {"posts.csv": POSTS.replace(",text", ",notes")}),
        folder(tmp_path, "f-comments", {"posts.csv": POSTS, "comments.csv": COMMENTS}),
        folder(tmp_path, "g-empty", {}),
        # clean to parse (joined as Arrow tables with the others), wrong inside: a header
        # in capitals with a column no table has, a platform we do not know, a repeated id
        folder(tmp_path, "h-joined-bad", {"posts.csv": UPPER_POSTS}),
        folder(tmp_path, "i-semicolon", {"posts.csv": POSTS.replace(",", ";")}),
        folder(tmp_path, "j-clean-again", {"posts.csv": POSTS, "followers.csv": FOLLOWERS}),
    ]


def test_many_folders_load_as_each_alone(folders):
    many = load_clients(folders)
    for path, got in zip(folders, many, strict=True):
        try:
            alone = load_client(path)
        except Exception as exc:  # noqa: BLE001 - the same error, whatever it is
            assert type(got) is type(exc) and str(got) == str(exc), path.name
            continue
        assert not isinstance(got, Exception), (path.name, got)
        for table in ("posts", "followers", "comments", "quarantine"):
            pd.testing.assert_frame_equal(getattr(got, table), getattr(alone, table), obj=table)
        assert got.files == alone.files
        for f in got.files:  # the accounting holds per file
            assert f["rows_in"] == f["rows_loaded"] + f["rows_quarantined"]
    bad = many[1]
    reasons = bad.quarantine["reason"].tolist()
    assert len(reasons) == 5 and all(r.startswith("posts.csv, row ") for r in reasons), reasons
    assert len(bad.followers) == 2  # not "duplicates" of a-clean's rows
    assert isinstance(many[2], Exception) and isinstance(many[3], Exception)


def test_batch_from_clients_keeps_each_clients_rows(folders):
    clients = [c for c in load_clients(folders) if not isinstance(c, Exception)]
    batch = Batch.from_clients(clients)
    assert batch.posts["client"].tolist() == list(
        np.repeat(np.arange(len(clients)), [len(c.posts) for c in clients])
    )
    assert list(batch.posts["platform"].cat.categories)[:2] == ["instagram", "facebook"]
    assert (np.diff(batch.t_ns)[np.diff(batch.pc) == 0] >= 0).all()
    assert [m.data["platforms"] for m in batch.meta][0] == ["instagram", "x"]
    # read from the batch's codes, as each client's own tables list them
    from socialkit.batch import _platforms, meta_of

    assert [m.data["platforms"] for m in batch.meta] == [_platforms(c) for c in clients]
    assert [m.data for m in batch.meta] == [meta_of(c).data for c in clients]
    # the last time in each client's data, read from the batch's tables
    assert [m.as_of for m in batch.meta] == [c.as_of for c in clients]
    until = [c.data_until for c in clients]
    assert None in until  # a folder without data
    assert [m.data["data_until"] for m in batch.meta] == [u and u.isoformat() for u in until]


def _copied(clients):
    """The clients with tables that are copies (no longer slices of the joined read)."""
    import dataclasses

    return [
        dataclasses.replace(c, posts=c.posts.copy(), followers=c.followers.copy()) for c in clients
    ]


def test_a_batch_of_loaded_clients_is_a_view_of_their_joined_read(tmp_path):
    # clean to parse, so read with the others; wrong inside: an unknown platform and a
    # repeated id are quarantined
    keep = ("platform,", "Hello there", "Unknown platform", "Same id again")
    quarantined = "".join(
        ln
        for ln in BAD_POSTS.splitlines(True)
        if ln.startswith(keep) or any(k in ln for k in keep[1:])
    )
    names = ["a", "b", "c", "d"]
    paths = [
        folder(
            tmp_path,
            n,
            {"posts.csv": POSTS if n != "b" else quarantined, "followers.csv": FOLLOWERS},
        )
        for n in names
    ]
    clients = load_clients(paths)
    batch = Batch.from_clients(clients)
    expected = Batch.from_clients(_copied(clients))
    pd.testing.assert_frame_equal(batch.posts, expected.posts)
    pd.testing.assert_frame_equal(batch.followers, expected.followers)
    # no copy: the batch's counts are the loaded clients' own memory
    shared = np.shares_memory
    assert shared(batch.posts["reactions"].array._data, clients[0].posts["reactions"].array._data)
    assert len(batch.posts) == 3 + 1 + 3 + 3  # b's bad rows quarantined, not joined
    assert len(clients[1].quarantine) == 2

    # a client's table written to after loading, a new column, another order, a gap:
    # each batch holds exactly the clients' rows as they are now
    def written(cs):
        cs[1].posts.loc[0, "reactions"] = 999
        return cs

    def new_column(cs):
        cs[2].posts["campaign"] = "spring"
        return cs

    def renamed(cs):
        posts = cs[3].posts  # renamed in place: the same arrays
        posts.columns = ["body" if c == "text" else c for c in posts.columns]
        return cs

    changes = [written, new_column, renamed, lambda cs: cs[::-1], lambda cs: cs[:1] + cs[2:]]
    for change in changes:
        picked = change(load_clients(paths))
        got = Batch.from_clients(picked)
        pd.testing.assert_frame_equal(got.posts, Batch.from_clients(_copied(picked)).posts)
        assert len(got.posts) == sum(len(c.posts) for c in picked)
    got = Batch.from_clients(written(load_clients(paths)))
    assert got.posts.loc[got.posts["client"] == 1, "reactions"].iloc[0] == 999


def test_clean_files_are_read_joined_and_each_equals_its_file_alone(folders, monkeypatch):
    from socialkit.loaders import canonical, many

    items = [(f / name, name.split(".")[0]) for f in folders for name in
             ("posts.csv", "followers.csv", "comments.csv") if (f / name).exists()]  # fmt: skip
    alone = []
    for path, table in items:
        try:
            alone.append(canonical.read_canonical(path, table))
        except Exception as exc:  # noqa: BLE001 - compared below
            alone.append(exc)
    read_alone = []
    monkeypatch.setattr(
        many, "read_raw", lambda p, t: read_alone.append(p.parent.name) or canonical.read_raw(p, t)
    )
    got = many.read_many(items)
    for (path, _), a, g in zip(items, alone, got, strict=True):
        where = f"{path.parent.name}/{path.name}"
        if isinstance(a, Exception):
            assert type(g) is type(a) and str(g) == str(a), where
            continue
        pd.testing.assert_frame_equal(g.data, a.data, obj=where)
        pd.testing.assert_frame_equal(g.quarantine, a.quarantine, obj=where)
        assert (g.rows_in, g.notes, g.ignored_columns) == (a.rows_in, a.notes, a.ignored_columns)
    # the clean files were not read one by one: only those the fast path leaves alone
    assert "a-clean" not in read_alone and "h-joined-bad" not in read_alone, read_alone
    assert "b-bad-rows" in read_alone  # ragged rows: the careful reader explains them
    h = got[[p.parent.name for p, _ in items].index("h-joined-bad")]
    assert h.ignored_columns == ["Campaign"] and len(h.quarantine) == 3, h.quarantine


def test_client_windows_from_its_files_reports_equal_windows_of_its_tables(folders):
    from socialkit.windows import _basename, _files_windows, data_windows

    shortcut = 0
    for c in load_clients(folders):
        if isinstance(c, Exception):
            continue
        tables = {"posts": c.posts, "followers": c.followers, "comments": c.comments}
        full = data_windows(tables, {_basename(f["file"]): f["file"] for f in c.files})
        got = _files_windows(c.files, tables)
        assert got is None or got == full, c.name
        shortcut += got is not None
    assert shortcut >= 5
    # a row of posts.csv superseded by posts.parquet: the files' windows no longer add up
    d = folders[0]
    pd.read_csv(d / "posts.csv").to_parquet(d / "posts.parquet")
    c = load_client(d)
    tables = {"posts": c.posts, "followers": c.followers, "comments": c.comments}
    assert (c.quarantine["rule"] == "superseded").any()
    assert _files_windows(c.files, tables) is None


def test_window_spans_counted_or_sorted_agree():
    """Data windows group rows by (platform, file): counted in arrays when the codes are
    few, sorted otherwise; both give the same spans."""
    from socialkit.windows import _spans

    rng = np.random.default_rng(7)
    for domain in (5, 300, 5_000_000):
        key = rng.choice(rng.integers(0, domain, 40), 2_000)
        ns = rng.integers(0, 10**18, key.size)
        groups, lo, hi, size = _spans(key, ns, domain)
        assert groups.tolist() == sorted(set(key.tolist()))
        for g, a, b, n in zip(groups, lo, hi, size, strict=True):
            assert (a, b, n) == (ns[key == g].min(), ns[key == g].max(), (key == g).sum())


def test_windows_of_coded_columns_equal_those_of_text():
    """Platform and source file as categoricals (unused and reordered categories, a
    missing value) give the windows their text gives."""
    from socialkit.windows import data_windows

    rng = np.random.default_rng(8)
    n = 500
    plat = rng.choice(["x", "tiktok", "instagram"], n).astype(object)
    plat[::97] = None
    text = pd.DataFrame(
        {
            "platform": plat,
            "published_at": pd.Timestamp("2026-01-01", tz="UTC")
            + pd.to_timedelta(rng.integers(0, 10**7, n), unit="s"),
            "source_file": rng.choice(["a.csv", "b.csv"], n),
        }
    )
    coded = text.assign(
        platform=pd.Categorical(plat, categories=["youtube", "x", "tiktok", "instagram"]),
        source_file=pd.Categorical(text["source_file"], categories=["z.csv", "b.csv", "a.csv"]),
    )
    want = data_windows({"posts": text})
    assert any(w["platform"] == "unknown" for w in want)
    assert data_windows({"posts": coded}) == want


def _same_reads(paths):
    """read_arrow_joined of ``paths`` next to read_arrow of each file alone."""
    from socialkit.loaders._read import read_arrow, read_arrow_joined
    from socialkit.loaders.canonical import _NAMES, _TYPED

    joined = read_arrow_joined(paths, types=_TYPED, keep=_NAMES)
    for path, got in zip(paths, joined, strict=True):
        alone = read_arrow(path, types=_TYPED, keep=_NAMES)
        if got is not None:  # a joined read is exactly the file's own read
            assert alone is not None, path.name
            assert got.table.equals(alone.table), path.name
            assert (got.header, got.dropped, got.sep) == (alone.header, alone.dropped, alone.sep)
    return {p.name: g is not None for p, g in zip(paths, joined, strict=True)}


@pytest.mark.parametrize("pieces", [False, True])
def test_files_with_one_header_are_parsed_as_one_and_each_is_its_own_read(
    tmp_path, monkeypatch, pieces
):
    from socialkit.loaders import _read

    head = "platform,post_id,published_at,format,text,reactions,comments,shares\n"
    files = {
        "a.csv": POSTS,
        "b-no-last-break.csv": POSTS.rstrip("\n"),
        "c-quoted.csv": head + 'x,q1,2026-05-02T10:00:00Z,text,"Hi, ""you""",3,0,1\n',
        "d-crlf.csv": POSTS.replace("\n", "\r\n"),
        "e-negative.csv": head + "x,n1,2026-05-04T10:00:00Z,text,Negative,-3,0,1\n"
        "x,n2,2026-05-04T11:00:00Z,text,Fine,3,0,1\n",
        "f-future.csv": head + "x,f1,2100-05-04T10:00:00Z,text,Later,3,0,1\n"
        "x,f2,2026-05-04T11:00:00Z,text,Fine,3,0,1\n",
        # every record one empty field wider than the header: another plan, its own group
        "g-trailing.csv": head + POSTS.split("\n", 1)[1].replace("\n", ",\n"),
        "h-alone.csv": POSTS.replace(",shares", ",saves"),  # no other file has its header
    }
    paths = []
    for name, text in files.items():
        (tmp_path / name).write_bytes(text.encode())
        paths.append(tmp_path / name)
    parses = []
    read_joined = _read._read_joined
    monkeypatch.setattr(_read, "_read_joined", lambda g, na: parses.append(g) or read_joined(g, na))
    if pieces:  # parsed two or three files at a time
        monkeypatch.setattr(_read, "JOIN_BYTES", 2 * max(len(t) for t in files.values()) + 1)
    joined = _same_reads(paths)
    assert [len(g) for g in parses] == ([2, 2, 2] if pieces else [6])
    # the files whose own read is typed and valid come out of the joined parse; a file
    # whose counts or times fail validation is read alone (as text, for validation to
    # explain), and so is a file no other file shares a header with
    assert joined == {
        "a.csv": True,
        "b-no-last-break.csv": True,
        "c-quoted.csv": True,
        "d-crlf.csv": True,
        "e-negative.csv": False,
        "f-future.csv": False,
        "g-trailing.csv": False,
        "h-alone.csv": False,
    }
    (tmp_path / "g2.csv").write_bytes((tmp_path / "g-trailing.csv").read_bytes())
    assert _same_reads(paths + [tmp_path / "g2.csv"])["g-trailing.csv"]


@pytest.mark.parametrize(
    "odd, joined",
    [
        # records and lines differ: where one file ends is not known
        ('x,m1,2026-05-02T10:00:00Z,text,"two\nlines",3,0,1\n', [False] * 3),
        ("x,m1,2026-05-02T10:00:00Z,text,Twelve,12a,0,1\n", [False] * 3),  # typed parse fails
        ("x,m1,2026-05-02T10:00:00Z,text,Short,3\n", [False] * 3),  # a ragged row
        ('x,m1,2026-05-02T10:00:00Z,text,"open quote,3,0,1\n', [False] * 3),  # runs on
        ("\n", [True, False, True]),  # a blank line: that file's own rows would be numbered
    ],
)
def test_a_group_the_joined_parse_cannot_split_is_read_file_by_file(tmp_path, odd, joined):
    from socialkit.loaders import many

    paths = []
    for i, text in enumerate([POSTS, POSTS + odd, POSTS]):
        (tmp_path / f"{i}.csv").write_text(text)
        paths.append(tmp_path / f"{i}.csv")
    assert list(_same_reads(paths).values()) == joined
    # and read_many, reading them one by one, still equals each file read alone
    got = many.read_many([(p, "posts") for p in paths])
    from socialkit.loaders.canonical import read_canonical

    for p, g in zip(paths, got, strict=True):
        a = read_canonical(p, "posts")
        pd.testing.assert_frame_equal(g.data, a.data)
        pd.testing.assert_frame_equal(g.quarantine, a.quarantine)


@pytest.mark.parametrize("pieces", [False, True])
def test_folders_whose_files_share_a_header_load_as_each_alone_whatever_their_bytes(
    tmp_path, monkeypatch, pieces
):
    """Files the joined parse reads together, and files that make it give up (bytes that
    are not UTF-8, a NUL, a value spanning lines, a hostile text), each load as alone:
    all in one piece, or two files a piece (the first pairs parse, the last give up)."""
    from socialkit.loaders import _read

    if pieces:
        monkeypatch.setattr(_read, "JOIN_BYTES", 2 * len(POSTS) + 64)
    odd = {
        "clean": POSTS,
        "no-last-break": POSTS.rstrip("\n"),
        "crlf": POSTS.replace("\n", "\r\n"),
        "script": POSTS.replace("Hello there", '"<script>alert(1)</script>, hi"'),
        "two-lines": POSTS.replace("Hello there", '"Hello\nthere"'),
        "nul": POSTS.replace("Hello there", "Hello\x00there"),
        "latin1": POSTS.replace("Hello there", "Olá, café"),
        "clean-again": POSTS,
    }
    folders = []
    for name, text in odd.items():
        d = folder(tmp_path, name, {})
        data = text.encode("latin-1" if name == "latin1" else "utf-8")
        (d / "posts.csv").write_bytes(data)
        folders.append(d)
    many = load_clients(folders)
    for path, got in zip(folders, many, strict=True):
        alone = load_client(path)
        assert not isinstance(got, Exception), (path.name, got)
        for table in ("posts", "quarantine"):
            pd.testing.assert_frame_equal(getattr(got, table), getattr(alone, table), obj=path.name)
        assert got.files == alone.files, path.name
    script = many[list(odd).index("script")]
    assert script.posts["text"].iloc[0] == "<script>alert(1)</script>, hi"
