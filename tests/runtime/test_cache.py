"""The cache: same findings cached or not, safe on bad entries, never in the tree, bypassable."""

from __future__ import annotations

import json
import os
from pathlib import Path

import pytest

from ckptlint.cli import main

#: Options that run every check over every ABI, notes included.
FULL = ["--arch", "all", "--show-notes", "--format", "json"]
SEED_FINDINGS = [
    ("CKL501", "Makefile", 24),
    ("CKL602", "arch/arm/kernel/calls.S", 10),
    ("CKL602", "arch/arm/kernel/calls.S", 10),
    ("CKL601", "arch/x86/include/asm/unistd_32.h", 15),
    ("CKL601", "arch/x86/include/asm/unistd_32.h", 16),
]


def age(tree: Path, seconds: int = 3600) -> None:
    """Date every directory and file back, as a checked-out tree is (the cache does not
    trust what changed within the last seconds)."""
    past = os.stat(tree).st_mtime - seconds
    for path in [tree, *tree.rglob("*")]:
        os.utime(path, (past, past), follow_symlinks=False)


def check(tree: Path, tmp_path: Path, *extra: str) -> tuple[int, str, dict]:
    """Exit code, JSON report and --timings document of one CLI run."""
    timings = tmp_path / "timings.json"
    report = tmp_path / "report.json"
    code = main(["check", str(tree), *FULL, "-o", str(report), "--timings", str(timings), *extra])
    return code, report.read_text(), json.loads(timings.read_text())


def keys(report: str) -> list[tuple[str, str, int]]:
    return [(f["rule"], f["path"], f["line"]) for f in json.loads(report)["findings"]]


def entries(root: Path) -> list[Path]:
    return sorted(p for p in root.rglob("*.json"))


@pytest.fixture
def cache_home(tmp_path, monkeypatch) -> Path:
    home = tmp_path / "xdg"
    monkeypatch.setenv("XDG_CACHE_HOME", str(home))
    return home


def test_cached_runs_report_exactly_what_uncached_runs_report(sample, tmp_path, cache_home):
    tree = sample("seed-as-posted")
    age(tree)
    code0, uncached, stats0 = check(tree, tmp_path, "--no-cache", "-j1")
    code1, cold, stats1 = check(tree, tmp_path, "-j2")
    code2, warm, stats2 = check(tree, tmp_path)
    assert keys(uncached) == SEED_FINDINGS
    assert cold == uncached and warm == uncached and code0 == code1 == code2 == 1
    assert stats0["cache"] is None and stats1["cache"]["hits"] == 0 and stats1["cache"]["writes"] > 0
    # the warm run was answered by the whole-run entry: no stage after the lookup ran
    assert sorted(stats2["stages"]) == ["cache lookup", "output"]


def test_a_file_written_and_renamed_in_place_keeps_the_run_entry(sample, tmp_path, cache_home):
    """Editors save by writing a new file and renaming it over the old one: the directory's
    mtime changes, what it holds does not. The run entry still applies when the contents
    are the same; a file added to the directory is a miss (a glob could match it)."""
    tree = sample("seed-as-posted")
    age(tree)
    check(tree, tmp_path)
    makefile = tree / "checkpoint" / "Makefile"
    saved = makefile.with_name("Makefile.swp")
    saved.write_bytes(makefile.read_bytes())
    os.replace(saved, makefile)
    code, report, stats = check(tree, tmp_path)
    assert (code, keys(report)) == (1, SEED_FINDINGS)
    assert sorted(stats["stages"]) == ["cache lookup", "output"]
    (tree / "checkpoint" / "Kconfig.extra").write_text("config EXTRA\n\tbool\n")
    code, report, stats = check(tree, tmp_path)
    assert (code, keys(report)) == (1, SEED_FINDINGS) and "checks" in stats["stages"]


def test_stage_caches_give_the_same_findings_when_the_run_entry_does_not_apply(
        sample, tmp_path, cache_home):
    tree = sample("seed-as-posted")
    age(tree)
    check(tree, tmp_path)
    _, uncached, _ = check(tree, tmp_path, "--no-cache", "--ignore", "CKL101")
    _, staged, stats = check(tree, tmp_path, "--ignore", "CKL101")  # another run key
    assert staged == uncached and keys(staged) == SEED_FINDINGS
    assert "checks" in stats["stages"] and stats["cache"]["hits"] >= 3  # stat index, kbuild, kconfig


def test_an_edited_file_is_seen_on_the_next_cached_run(sample, tmp_path, cache_home):
    tree = sample("clean")
    age(tree)
    _, before, _ = check(tree, tmp_path)
    assert ("CKL501", "Makefile", 24) not in keys(before)
    makefile = tree / "Makefile"
    makefile.write_text(makefile.read_text().replace("core-y\t\t+= kernel/ mm/ fs/ checkpoint/",
                                                     "core-y\t\t+= kernel/ mm/ fs/"))
    _, after, _ = check(tree, tmp_path)
    _, uncached, _ = check(tree, tmp_path, "--no-cache")
    assert after == uncached and keys(after) == SEED_FINDINGS


def test_corrupt_and_foreign_entries_are_ignored_and_rewritten(sample, tmp_path, cache_home):
    tree = sample("seed-as-posted")
    age(tree)
    _, first, _ = check(tree, tmp_path)
    stored = entries(cache_home / "ckptlint")
    assert stored
    for index, path in enumerate(stored):
        damage = [b"{not json", b"", json.dumps({"ckptlint-cache": 1, "kind": "run", "key": "other",
                                                 "data": {}}).encode(),
                  json.dumps({"ckptlint-cache": 1, "kind": path.parent.name, "key": "x",
                              "data": {"D": ["system", "rm -rf /"]}}).encode()][index % 4]
        path.write_bytes(damage)
    _, second, stats = check(tree, tmp_path)
    assert second == first
    assert stats["cache"]["hits"] == 0
    for path in entries(cache_home / "ckptlint"):
        assert json.loads(path.read_bytes().partition(b"\n")[2])["ckptlint-cache"] == 2


def test_no_cache_writes_nothing(sample, tmp_path, cache_home):
    tree = sample("seed-as-posted")
    _, report, stats = check(tree, tmp_path, "--no-cache")
    assert keys(report) == SEED_FINDINGS and stats["cache"] is None
    assert not cache_home.exists()


def test_the_cache_is_never_placed_inside_the_checked_tree(sample, tmp_path, monkeypatch, caplog):
    tree = sample("seed-as-posted")
    monkeypatch.setenv("XDG_CACHE_HOME", str(tree / ".cache"))
    before = sorted(p.relative_to(tree) for p in tree.rglob("*"))
    _, report, stats = check(tree, tmp_path)
    assert keys(report) == SEED_FINDINGS and stats["cache"] is None
    assert sorted(p.relative_to(tree) for p in tree.rglob("*")) == before
    assert "inside the checked tree; not caching" in caplog.text


def test_the_cache_is_bounded(tmp_path):
    from ckptlint.runtime.cache import Cache

    cache = Cache(tmp_path / "c")
    for index in range(6):
        cache.put("kind", f"key{index}", "x" * 900)
        path = cache._path("kind", f"key{index}")
        os.utime(path, (1000 + index, 1000 + index))
    cache.max_bytes = 3 * path.stat().st_size  # over the cap: down to 3/4 of it, two entries
    cache.evict()
    assert [cache.get("kind", f"key{i}") is not None for i in range(6)] == [False] * 4 + [True] * 2


def test_eviction_lists_the_cache_only_when_the_ledger_says_so(tmp_path, monkeypatch):
    from ckptlint.runtime import cache as cache_module
    from ckptlint.runtime.cache import Cache

    cache = Cache(tmp_path / "c", max_bytes=10_000)
    listings: list[float] = []
    real = Cache._list_and_delete
    monkeypatch.setattr(Cache, "_list_and_delete", lambda self, now: listings.append(now) or real(self, now))
    cache.put("kind", "a", "x" * 1000)
    os.utime(cache._path("kind", "a"), (1000, 1000))  # the least recently used
    cache.evict()  # no ledger yet: listed
    assert len(listings) == 1
    for index in range(3):  # under the cap by the ledger: not listed
        cache.put("kind", f"b{index}", "x" * 1000)
        cache.evict()
    assert len(listings) == 1
    for index in range(8):  # past the cap by the ledger: listed, and deleted down to 3/4
        cache.put("kind", f"c{index}", "x" * 1000)
    cache.evict()
    assert len(listings) == 2
    sizes = sum(p.stat().st_size for p in (tmp_path / "c" / "kind").glob("*.json"))
    assert 6_000 <= sizes <= 7_500
    assert cache.get("kind", "c7") is not None and cache.get("kind", "a") is None
    (tmp_path / "c" / cache_module.USAGE).write_bytes(b'0\n{"bytes": 0, "scanned": 9e99}')
    cache.put("kind", "d", "x")
    cache.evict()  # a forged ledger is not believed
    assert len(listings) == 3
    monkeypatch.setattr(cache_module.time, "time", lambda: listings[-1] + cache_module.RESCAN_SECONDS + 1)
    cache.put("kind", "e", "x")
    cache.evict()  # a day on: listed again whatever the ledger says
    assert len(listings) == 4


def test_plain_data_rebuilds_only_known_classes():
    from ckptlint.facts import Definition, Location, Param
    from ckptlint.runtime import codec

    fact = Definition("sys_x", "SYSCALL_DEFINE", (Param("int", "a"),), Location("k/x.c", 3), 1)
    assert codec.decode(json.loads(json.dumps(codec.encode([fact, {"a": (1, None)}])))) == \
        [fact, {"a": (1, None)}]
    for bad in ({"D": ["system", "id"]}, {"D": ["Location", "a"]}, {"X": []}, {"T": 1, "S": 2}):
        with pytest.raises(ValueError):
            codec.decode(bad)


def test_progress_is_silent_unless_stderr_is_a_terminal(sample, tmp_path, cache_home, capsys):
    tree = sample("seed-as-posted")
    main(["check", str(tree), "--arch", "all", "-j2", "--no-cache"])
    assert capsys.readouterr().err == ""


def test_progress_counts_arches_on_a_terminal():
    import io

    from ckptlint.runtime.progress import Progress

    class Terminal(io.StringIO):
        def isatty(self) -> bool:
            return True

    stream = Terminal()
    progress = Progress(2, stream)
    progress.step("kbuild x86")
    progress.step("kconfig i386")
    progress.done()
    assert stream.getvalue() == ("\rckptlint: arch 1/2 (kbuild x86)\033[K"
                                 "\rckptlint: arch 2/2 (kconfig i386)\033[K\r\033[K")


def test_bad_jobs_is_a_usage_error(sample, capsys):
    assert main(["check", str(sample("clean")), "-j", "0"]) == 2
    assert capsys.readouterr().err == "ckptlint: error: argument -j/--jobs: must be a positive number: '0'\n"


def test_entries_that_are_not_regular_files_are_misses(tmp_path):
    from ckptlint.runtime.cache import Cache

    cache = Cache(tmp_path / "c")
    cache.put("kind", "real", {"x": 1})
    os.mkfifo(cache._path("kind", "fifo"))  # would block a plain open()
    os.symlink(cache._path("kind", "real"), cache._path("kind", "link"))
    assert [cache.get("kind", k) for k in ("real", "fifo", "link")] == [{"x": 1}, None, None]


def test_a_file_edited_while_the_run_used_it_is_never_taken_as_unchanged(tmp_path):
    from treeutil import make_tree

    from ckptlint.runtime.fingerprints import CHANGED_DURING_RUN, FileDigests

    (tmp_path / "t").mkdir()
    tree = make_tree(tmp_path / "t", {"kernel/a.c": "int a;\n", "kernel/b.c": "int b;\n"})
    digests = FileDigests(tree, None)
    assert tree.read_text("kernel/a.c") == "int a;\n" and tree.read_text("kernel/b.c") == "int b;\n"
    (tmp_path / "t" / "kernel" / "a.c").write_text("int a2;\n")  # saved by an editor mid-run
    snapshot = digests.snapshot({"kernel/a.c", "kernel/b.c"})
    assert snapshot["kernel/a.c"] == CHANGED_DURING_RUN
    assert snapshot["kernel/b.c"] == digests.digest("kernel/b.c")
    assert not digests.unchanged(snapshot)


def test_an_overlay_is_cached_by_part_and_finds_what_an_uncached_run_finds(sample, tmp_path,
                                                                          cache_home):
    """An overlay (staged or patched files over the disk) is never answered as a whole run,
    but its parts are: the files it serves from memory are digested by content, so the
    Kbuild models and Kconfig answers of the disk tree serve it until it changes what they
    read, and what it changes is computed again."""
    from ckptlint.engine.options import Options
    from ckptlint.engine.run import run
    from ckptlint.revisions.overlay import OverlayTree
    from ckptlint.tree import KernelTree

    tree = sample("clean")
    makefile = (tree / "checkpoint" / "Makefile").read_bytes()
    options = dict(arches=None, jobs=1, min_severity="note")
    run(KernelTree(tree), Options(use_cache=True, **options))  # the disk tree fills the cache
    for files in ({"README": b"docs only\n"},
                  {"checkpoint/Makefile": makefile.replace(b"CONFIG_CHECKPOINT", b"CONFIG_CHEKCPOINT")}):
        cached = run(OverlayTree(tree, files), Options(use_cache=True, **options))
        plain = run(OverlayTree(tree, files), Options(use_cache=False, **options))
        assert cached.findings == plain.findings
        assert cached.stats["cache"]["hits"] > 0
    assert [(f.rule, f.path, f.line) for f in cached.findings if f.rule == "CKL502"] == [
        ("CKL502", "checkpoint/Makefile", 5)]


def test_kbuild_models_of_all_srcarches_round_trip_through_one_entry_of_shared_rows(tmp_path):
    """The Kbuild entry stores each distinct row once; decoding gives equal models, and
    rows of the wrong kind or out of range are refused."""
    from ckptlint.extract import kbuild
    from ckptlint.runtime import codec
    from ckptlint.tree import KernelTree

    root = Path(__file__).resolve().parents[2] / "sample_trees" / "clean-2.6.33"
    tree = KernelTree(root)
    models = {arch: kbuild.extract(tree, arch) for arch in tree.srcarches}
    data = json.loads(json.dumps(codec.encode_kbuild_set(models)))
    assert codec.decode_kbuild_set(data) == models
    total = sum(len(m.objects) + len(m.reached_dirs) + len(m.top_dirs) + len(m.config_refs)
                + len(m.makefiles) for m in models.values())
    assert len(data["rows"]) < total  # the srcarches share rows
    first = next(iter(data["arches"]))
    for damage in (lambda d: d["arches"][first]["objects"].append(len(d["rows"])),
                   lambda d: d["arches"][first]["refs"].extend(d["arches"][first]["objects"][:1]),
                   lambda d: d["rows"].append(["system", "id"])):
        bad = json.loads(json.dumps(data))
        damage(bad)
        with pytest.raises(ValueError):
            codec.decode_kbuild_set(bad)


def test_files_that_cannot_define_a_syscall_are_known_by_stat_not_by_content(sample, tmp_path, cache_home):
    """Only files that may hold definitions are hashed; the rest get a stat digest, and an
    edit to one of them (a new SYSCALL_DEFINE) is still found by the next cached run."""
    from ckptlint.runtime.cache import open_cache
    from ckptlint.runtime.definition_scan import scan_definitions
    from ckptlint.runtime.fingerprints import FileDigests
    from ckptlint.tree import KernelTree

    tree_path = sample("clean")
    age(tree_path)
    tree = KernelTree(tree_path)
    cache = open_cache(tree.root, True, cache_home)
    digests = FileDigests(tree, cache)
    found = scan_definitions(tree, [], cache, digests, 1)
    assert ("sys_checkpoint", "checkpoint/sys.c") in {(d.function, d.loc.path) for d in found}
    assert not digests.index["checkpoint/sys.c"][4].startswith("stat:")  # content digest
    plain_files = [rel for rel in digests.index if rel.endswith(".c")
                   and rel not in {d.loc.path for d in found}]
    assert plain_files and all(digests.index[rel][4].startswith("stat:") for rel in plain_files)
    target = tree_path / plain_files[0]
    target.write_text(target.read_text() + "\nSYSCALL_DEFINE0(added)\n{\n\treturn 0;\n}\n")
    again = KernelTree(tree_path)
    refound = scan_definitions(again, [], cache, FileDigests(again, cache), 1)
    assert ("sys_added", plain_files[0]) in {(d.function, d.loc.path) for d in refound}


@pytest.mark.parametrize("case", ["seed-as-posted", "gate-never-enabled", "missing-cond-syscall"])
def test_checks_overlapped_in_two_threads_report_what_one_thread_reports(sample, tmp_path, monkeypatch,
                                                                          case):
    """With workers, every other Kconfig-asking check runs in a second thread of the main
    process; the report is the one a single-process run gives."""
    import threading

    tree = sample(case)
    started = []
    original = threading.Thread.start

    def start(self):
        started.append(self.name)
        return original(self)
    monkeypatch.setattr(threading.Thread, "start", start)
    _, alone, _ = check(tree, tmp_path, "--no-cache", "-j1")
    assert "ckptlint-checks" not in started
    for jobs in ("-j2", "-j3"):
        _, overlapped, _ = check(tree, tmp_path, "--no-cache", jobs)
        assert overlapped == alone
    assert "ckptlint-checks" in started


def test_questions_a_check_announces_are_answered_ahead_by_the_workers(sample, tmp_path, monkeypatch):
    """CKL404 announces its Kconfig questions (``prefetch``) to the workers, which answer
    them while the checks run (tests/runtime/test_workers.py); the report is unchanged."""
    from ckptlint.runtime import workers

    tree = sample("gate-never-enabled")
    announced: list[tuple[str, tuple]] = []
    original_prefetch = workers.ArchPool.prefetch

    def prefetch(self, label, questions):
        announced.extend((label, q) for q in questions)
        return original_prefetch(self, label, questions)
    monkeypatch.setattr(workers.ArchPool, "prefetch", prefetch)
    # every arch in the worker (this process takes no unit): only those are announced
    monkeypatch.setattr(workers.ArchPool, "take", lambda self: None)
    _, alone, _ = check(tree, tmp_path, "--no-cache", "-j1", "--select", "CKL404")
    assert not announced  # nothing to hand ahead without workers
    _, ahead, _ = check(tree, tmp_path, "--no-cache", "-j2", "--select", "CKL404")
    assert ahead == alone
    # one gate, one finding: both syscalls it leaves dead are in it
    assert keys(ahead) == [("CKL404", "arch/x86/kernel/syscall_table_32.S", 12)]
    # the i386 table (condition y) and the gate of checkpoint/sys.o, on i386's model
    assert ("i386", ("can_expr_be", ("y", "y"))) in announced
    assert ("i386", ("can_expr_be", ("(y) && (CHECKPOINT)", "y"))) in announced
    assert ("s390", ("can_expr_be", ("(64BIT) && (CHECKPOINT)", "y"))) in announced


def test_two_files_with_the_same_bytes_keep_their_own_definitions(sample, tmp_path, cache_home):
    """Found by the fuzz campaign (seed 3100): kernel/sys.c and checkpoint/sys.c with the
    same bytes shared one cached entry, so a run from the stage caches lost one file's
    definitions (and their findings). Each file's definitions are its own."""
    tree = sample("seed-as-posted")
    text = (tree / "checkpoint" / "sys.c").read_bytes()
    (tree / "kernel" / "twin.c").write_bytes(text)
    age(tree)
    code0, uncached, _ = check(tree, tmp_path, "--no-cache")
    check(tree, tmp_path)  # fills the stage caches
    (tree / "kernel" / "README").write_text("a new file: the whole-run entry no longer applies\n")
    code1, staged, stats = check(tree, tmp_path)
    assert "checks" in stats["stages"]  # computed again, from the stage caches
    assert (code1, keys(staged)) == (code0, keys(uncached))
    assert json.loads(staged)["summary"] == json.loads(uncached)["summary"]


GETPID_UNDER_A_MACRO = "/* Sample. */\n#ifdef __ARCH_HAS_GETPID\nSYSCALL_DEFINE0(getpid)\n{\n}\n#endif\n"
NEVER_BUILT = [("CKL301", "kernel/sys.c", 3)]


def test_a_header_read_only_by_a_byte_filter_is_an_input_of_the_run(sample, tmp_path, cache_home):
    """A header outside the arches' asm directories that defines an ``__ARCH_`` name leaves
    that name to either branch. Such headers are only byte-scanned (never decoded), and a
    stored run once did not count them as inputs: defining the name in one kept a stale
    CKL301, and removing it hid a new one."""
    tree = sample("clean-6.12")
    (tree / "kernel" / "sys.c").write_text(GETPID_UNDER_A_MACRO)
    header = tree / "include" / "linux" / "other.h"
    header.write_text("/* nothing of note */\n")
    age(tree)
    assert keys(check(tree, tmp_path)[1]) == NEVER_BUILT
    with open(header, "a") as handle:  # appended in place: the directory does not change
        handle.write("#define __ARCH_HAS_GETPID 1\n")
    code, report, stats = check(tree, tmp_path)
    assert (code, keys(report)) == (0, []) and "checks" in stats["stages"]
    assert keys(check(tree, tmp_path, "--no-cache")[1]) == []
    age(tree)
    header.write_text("/* nothing of note */\n")
    assert keys(check(tree, tmp_path)[1]) == NEVER_BUILT


def test_byte_filter_answers_are_kept_for_unchanged_files_only(sample, tmp_path, cache_home):
    """A run that recomputes facts asks the byte filters again; files unchanged since the
    last run are answered from the cache (one lstat each), a changed one is read again."""
    tree = sample("clean-6.12")
    (tree / "kernel" / "sys.c").write_text(GETPID_UNDER_A_MACRO)
    header = tree / "include" / "linux" / "other.h"
    header.write_text("/* nothing of note */\n")
    age(tree)
    _, first, stats = check(tree, tmp_path)
    assert stats["cache"]["scans_reused"] == 0
    header.write_text("/* nothing of note */\n#define __ARCH_HAS_GETPID 1\n")
    age(tree)
    _, second, stats = check(tree, tmp_path)
    assert keys(first) == NEVER_BUILT and keys(second) == []
    assert stats["cache"]["scans_reused"] > 0
    assert check(tree, tmp_path, "--no-cache")[1] == second


def test_every_way_of_reading_a_file_counts_it_as_read(tmp_path):
    """A stored result is only as good as the list of what it read: each reader of file
    content records the file (a byte filter, a whole-tree CONFIG_ scan, raw bytes)."""
    from ckptlint.tree import KernelTree

    (tmp_path / "Makefile").write_text("")
    (tmp_path / "arch").mkdir()
    for name in ("text.h", "bytes.c", "keyed.h", "plain.h", "walked.c", "lines.h"):
        (tmp_path / name).write_text("CONFIG_X\n")
    tree = KernelTree(tmp_path)
    with tree.recording() as read:
        tree.read_text("text.h")
        tree.read_bytes("bytes.c")
        tree.scan_bytes("keyed.h", lambda rel, data: True, "a key")
        tree.scan_bytes("plain.h", lambda rel, data: True)
        tree.read_walked("walked.c", b"CONFIG_")
        tree.lines("lines.h")
    assert read == {"text.h", "bytes.c", "keyed.h", "plain.h", "walked.c", "lines.h"}
    with tree.recording() as again:  # answered from memory: still read by this recording
        tree.scan_bytes("keyed.h", lambda rel, data: True, "a key")
    assert again == {"keyed.h"}


def test_a_stored_kbuild_descent_serves_only_the_directories_it_was_made_for(
        sample, tmp_path, cache_home):
    """The descent is scoped to the directories holding definitions and tables: when a
    definition moves to a directory the stored descent did not evaluate, the descent is
    made again, and the run finds what an uncached run finds."""
    tree = sample("clean")
    age(tree)
    _, before, _ = check(tree, tmp_path)
    assert not any(rule == "CKL501" for rule, _, _ in keys(before))
    (tree / "ckpt").mkdir()
    os.replace(tree / "checkpoint" / "sys.c", tree / "ckpt" / "sys.c")
    (tree / "ckpt" / "Makefile").write_bytes((tree / "checkpoint" / "Makefile").read_bytes())
    age(tree)
    _, after, stats = check(tree, tmp_path, "--ignore", "CKL101")
    _, uncached, _ = check(tree, tmp_path, "--no-cache", "--ignore", "CKL101")
    assert after == uncached
    assert [k for k in keys(after) if k[0] == "CKL501"] == [("CKL501", "Makefile", 24)]
    assert "kbuild x86" in stats["per_arch"]  # evaluated again, not taken from the entry
    _, again, stats = check(tree, tmp_path, "--ignore", "CKL101,CKL102")  # another run key
    assert keys(again) == keys(uncached)
    assert "kbuild x86" not in stats["per_arch"]  # now the stored descent covers ckpt/
