"""A cached run reports exactly what an uncached run reports, after any edit.

Seeded random edits to sample trees (lines that wire, gate, declare or define a
syscall, inserted or deleted anywhere; files added or removed), each followed by
a cached and an uncached ``check``. A stored run that misses one of its inputs
shows up here as a difference (it once missed headers read only by a byte filter).
"""

from __future__ import annotations

import contextlib
import io
import json
import os
import random
from pathlib import Path

import pytest

from ckptlint.cli import main

LINES = [
    "#define __ARCH_HAS_GETPID 1", "#define __ARCH_WANT_SYS_FORK", "cond_syscall(sys_getpid);",
    "COND_SYSCALL(close);", "obj-y += extra.o", "obj-$(CONFIG_NEVER) += sys.o",
    "config GETPID_OPT\n\tbool \"x\"", "config MMU\n\tdef_bool n", "\tdepends on BROKEN",
    "SYSCALL_DEFINE0(getpid)\n{\n}", "SYSCALL_DEFINE1(frob, int, x)\n{\n}",
    "asmlinkage long sys_frob(int x);", "asmlinkage long sys_getpid(int bogus);",
    "999\tcommon\tfrob\t\t\tsys_frob", "39\tcommon\tgetpid2\t\t\tsys_getpid",
    "#define __NR_frob 999", "#ifdef CONFIG_NEVER", "#endif", "#ifdef __ARCH_HAS_GETPID",
    "#include <linux/compat.h>", "source \"kernel/Kconfig.extra\"", "core-y += extra/",
    "\t.long sys_frob", "/* a comment */", "# a comment", "",
]
NEW_FILES = ["other.h", "extra.c", "Kconfig.extra", "Makefile", "unistd_x.h"]


def _findings(tree: Path, home: Path, *extra: str) -> tuple[int, list]:
    os.environ["XDG_CACHE_HOME"] = str(home)
    home.mkdir(parents=True, exist_ok=True)
    out = home / "out.json"
    with contextlib.redirect_stderr(io.StringIO()):
        code = main(["check", str(tree), "--show-notes", "--format", "json", "-o", str(out), "-j1", *extra])
    return code, [(f["rule"], f["path"], f["line"], f["message"])
                  for f in json.loads(out.read_text())["findings"]]


def _edit(rng: random.Random, tree: Path) -> str:
    files = sorted(p for p in tree.rglob("*") if p.is_file())
    path = rng.choice(files)
    roll = rng.random()
    if roll < 0.6:
        lines = path.read_text(encoding="latin-1").split("\n")
        at = rng.randrange(len(lines) + 1)
        lines.insert(at, rng.choice(LINES))
        path.write_text("\n".join(lines), encoding="latin-1")
        return f"insert at {path.relative_to(tree)}:{at + 1}"
    if roll < 0.8:
        lines = path.read_text(encoding="latin-1").split("\n")
        if len(lines) > 1:
            del lines[rng.randrange(len(lines))]
            path.write_text("\n".join(lines), encoding="latin-1")
        return f"delete a line of {path.relative_to(tree)}"
    if roll < 0.9:
        new = path.parent / rng.choice(NEW_FILES)
        with open(new, "a", encoding="latin-1") as handle:
            handle.write(rng.choice(LINES) + "\n")
        return f"append to {new.relative_to(tree)}"
    if path.name != "Makefile" or path.parent != tree:
        path.unlink()
    return f"remove {path.relative_to(tree)}"


@pytest.mark.parametrize("case", ["clean-6.12", "seed-as-posted", "gate-inside-the-file"])
def test_cached_and_uncached_runs_agree_after_random_edits(case, sample, tmp_path, monkeypatch):
    monkeypatch.setenv("XDG_CACHE_HOME", str(tmp_path / "unused"))
    tree = sample(case)
    rng = random.Random(f"{case}-20261207")
    cached, plain = tmp_path / "cached", tmp_path / "plain"
    _findings(tree, cached)
    for step in range(12):
        what = _edit(rng, tree)
        assert _findings(tree, cached) == _findings(tree, plain, "--no-cache"), (step, what)
