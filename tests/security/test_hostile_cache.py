"""The cache cannot change a verdict, write outside itself, or knock later runs over (issue 17)."""

from __future__ import annotations

import json
import os
from pathlib import Path

import pytest
from treestate import changes, snapshot

from ckptlint.cli import main
from ckptlint.runtime.cache import Cache

SEED_EXIT = 1


@pytest.fixture
def cache_home(tmp_path, monkeypatch):
    home = tmp_path / "xdg"
    home.mkdir(mode=0o700)
    monkeypatch.setenv("XDG_CACHE_HOME", str(home))
    return home


def _check(tree: Path, capsys) -> tuple[int, list]:
    code = main(["check", str(tree), "--format", "json"])
    out, err = capsys.readouterr()
    return code, [(f["rule"], f["path"], f["line"]) for f in json.loads(out)["findings"]], err


def _entries(root: Path) -> list[Path]:
    return sorted(p for p in root.rglob("*.json") if not p.is_symlink())


def test_an_edited_entry_is_a_miss(sample, cache_home, capsys):
    tree = sample("seed-as-posted")
    code, findings, _ = _check(tree, capsys)
    assert code == SEED_EXIT and findings
    for path in _entries(cache_home / "ckptlint"):
        mac, _, text = path.read_bytes().partition(b"\n")
        entry = json.loads(text)
        if entry["kind"] == "run":
            entry["data"]["result"]["M"] = [kv for kv in entry["data"]["result"]["M"]
                                            if kv[0] != "findings"] + [["findings", []]]
            path.write_bytes(mac + b"\n" + json.dumps(entry).encode())
    assert _check(tree, capsys)[:2] == (SEED_EXIT, findings)


@pytest.mark.parametrize("mode", [0o777, 0o770, 0o702])
def test_a_cache_directory_others_can_write_is_refused(sample, cache_home, capsys, caplog, mode):
    tree = sample("seed-as-posted")
    shared = cache_home / "ckptlint"
    shared.mkdir()
    shared.chmod(mode)
    code, findings, _ = _check(tree, capsys)
    assert code == SEED_EXIT and findings
    assert list(shared.iterdir()) == []
    assert f"cache directory {shared} is writable by group or others; not caching" in caplog.text


@pytest.mark.skipif(os.getuid() != 0, reason="needs to give a directory to another user")
def test_a_cache_directory_of_another_user_is_refused(sample, cache_home, capsys, caplog):
    tree = sample("seed-as-posted")
    foreign = cache_home / "ckptlint"
    foreign.mkdir(mode=0o700)
    os.chown(foreign, 65534, 65534)
    assert _check(tree, capsys)[0] == SEED_EXIT
    assert list(foreign.iterdir()) == []
    assert f"cache directory {foreign} is not the user's own; not caching" in caplog.text


def test_a_parent_others_can_write_is_refused(sample, tmp_path, monkeypatch, capsys, caplog):
    open_parent = tmp_path / "open"
    open_parent.mkdir()
    open_parent.chmod(0o777)  # not sticky
    monkeypatch.setenv("XDG_CACHE_HOME", str(open_parent))
    assert _check(sample("seed-as-posted"), capsys)[0] == SEED_EXIT
    assert list(open_parent.iterdir()) == []
    assert f"has a parent ({open_parent}) that other users can change; not caching" in caplog.text


def test_a_symlink_planted_where_others_can_write_is_refused(sample, tmp_path, monkeypatch, capsys,
                                                             caplog):
    """``$XDG_CACHE_HOME/ckptlint`` as a symlink, in a directory anyone may write: whoever
    planted it chose where the cache goes, although the target itself is private."""
    open_parent = tmp_path / "open"
    open_parent.mkdir()
    open_parent.chmod(0o777)  # not sticky
    victim = tmp_path / "victim"
    victim.mkdir(mode=0o700)
    (open_parent / "ckptlint").symlink_to(victim)
    monkeypatch.setenv("XDG_CACHE_HOME", str(open_parent))
    assert _check(sample("seed-as-posted"), capsys)[0] == SEED_EXIT
    assert list(victim.iterdir()) == []
    assert f"has a parent ({open_parent}) that other users can change; not caching" in caplog.text


def test_a_symlink_of_the_users_own_private_directories_is_used(sample, tmp_path, monkeypatch, capsys):
    """A link the user made among their own directories (``~/.cache -> /data/cache``) is fine."""
    home = tmp_path / "home"
    home.mkdir(mode=0o700)
    real = tmp_path / "data"
    real.mkdir(mode=0o700)
    (home / ".cache").symlink_to(real)
    monkeypatch.setenv("XDG_CACHE_HOME", str(home / ".cache"))
    assert _check(sample("seed-as-posted"), capsys)[0] == SEED_EXIT
    assert (real / "ckptlint" / "key").is_file()


def test_an_unusable_key_is_said_once_and_nothing_is_cached(sample, cache_home, capsys, caplog):
    tree = sample("seed-as-posted")
    assert _check(tree, capsys)[0] == SEED_EXIT
    key = cache_home / "ckptlint" / "key"
    key.chmod(0o644)
    caplog.clear()
    assert _check(tree, capsys)[0] == SEED_EXIT
    assert [r.getMessage() for r in caplog.records if "cache key" in r.getMessage()] == [
        f"cache key {key} unusable (the cache key is not a private file of the user); not caching"]


def test_eviction_never_deletes_through_a_symlink(tmp_path):
    outside = tmp_path / "precious"
    outside.mkdir()
    (outside / "a.json").write_text("{}")
    (outside / "kind").mkdir()
    (outside / "kind" / "b.json").write_text("{}")
    cache = Cache(tmp_path / "c", max_bytes=0)
    cache.put("kind", "key", {"x": 1})
    (tmp_path / "c" / "linked").symlink_to(outside)  # a kind directory that is a link
    (tmp_path / "c" / "kind" / "planted.json").symlink_to(outside / "a.json")
    before = snapshot(tmp_path / "precious")
    assert cache.evict() > 0
    assert changes(before, snapshot(outside)) == []
    assert (tmp_path / "c" / "kind" / "planted.json").is_symlink()


@pytest.mark.parametrize("plant", ["link", "directory", "fifo", "forged", "huge"])
def test_a_planted_usage_ledger_neither_stops_eviction_nor_writes_elsewhere(tmp_path, plant):
    outside = tmp_path / "precious"
    outside.mkdir()
    (outside / "usage").write_bytes(b"keep")
    cache = Cache(tmp_path / "c", max_bytes=2000)
    for index in range(4):
        cache.put("kind", f"key{index}", "x" * 900)
    ledger = tmp_path / "c" / "usage"
    if plant == "link":
        ledger.symlink_to(outside / "usage")
    elif plant == "directory":
        ledger.mkdir()
    elif plant == "fifo":
        os.mkfifo(ledger)
    elif plant == "forged":  # says the cache is empty and was listed just now
        ledger.write_bytes(b"0" * 64 + b'\n{"bytes": 0, "scanned": 1e300}')
    else:
        ledger.write_bytes(b"0" * 64 + b"\n" + b"[" * 100_000)
    before = snapshot(outside)
    assert cache.evict() > 0  # not believed: the cache is listed and brought under its cap
    assert sum(p.stat().st_size for p in (tmp_path / "c" / "kind").glob("*.json")) <= 1500
    assert changes(before, snapshot(outside)) == []
    assert not [p for p in (tmp_path / "c").iterdir() if p.name.startswith(".tmp-")]


def test_a_planted_symlink_never_makes_a_run_write_elsewhere(sample, cache_home, capsys):
    tree = sample("seed-as-posted")
    assert _check(tree, capsys)[0] == SEED_EXIT
    root = cache_home / "ckptlint"
    kinds = sorted(p.name for p in root.iterdir() if p.is_dir())
    assert kinds
    for kind in kinds:  # every kind directory now leads into the checked tree
        for path in (root / kind).iterdir():
            path.unlink()
        (root / kind).rmdir()
        (root / kind).symlink_to(tree / "kernel", target_is_directory=True)
    before = snapshot(tree)
    code, findings, _ = _check(tree, capsys)
    assert code == SEED_EXIT and findings
    assert changes(before, snapshot(tree)) == []


def _signed(cache: Cache, text: bytes) -> bytes:
    return cache._mac(text) + b"\n" + text


@pytest.mark.parametrize("shape", ["deep", "wrong-types", "wrong-data"])
def test_a_wrongly_shaped_entry_is_a_miss_even_with_a_good_digest(sample, cache_home, capsys, shape):
    tree = sample("seed-as-posted")
    code, findings, _ = _check(tree, capsys)
    cache = Cache(cache_home / "ckptlint")
    for path in _entries(cache_home / "ckptlint"):
        entry = json.loads(path.read_bytes().partition(b"\n")[2])
        bad = {"deep": b"[" * 200_000 + b"]" * 200_000,
               "wrong-types": json.dumps({**entry, "kind": 7, "key": ["x"], "data": "x"}).encode(),
               "wrong-data": json.dumps({**entry, "data": {"inputs": [1, {"a": None}], "M": 3,
                                                            "result": {"T": "x"}, "files": 5,
                                                            "rows": [[None]], "arches": []}}).encode(),
               }[shape]
        path.write_bytes(_signed(cache, bad))
    for _ in range(2):  # and the run after that
        assert _check(tree, capsys) == (code, findings, "")
