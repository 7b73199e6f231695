#!/usr/bin/env python3
"""Wall time and peak RSS of ckptlint on a real kernel tree, against a grep floor.

    python benchmarks/bench.py /path/to/linux-source-6.12 [--json] [--jobs N]

Scenarios (each a child ``python -m ckptlint`` process; peak RSS is the largest
of that process and its worker forks, from ``os.wait4``):

CPU seconds (user + system, all processes) are printed too: on a loaded
machine they change much less than wall time.

* ``floor``: ``grep -r`` over the files ckptlint reads (C, assembly, headers,
  Kconfig, Makefile/Kbuild, .tbl), page cache warm -- reading the bytes once;
* ``cold``: ``check --arch all`` with an empty cache directory (``--repeat N``:
  N times, the median reported);
* ``warm``: the same command again, cache filled by ``cold``;
* ``series``: ``check REPO --base HEAD~10`` (default arches), a series of 10
  commits touching one wiring file each, when ``check`` has ``--base``;
* ``precommit``: ``check --staged REPO`` with only the README staged (the
  no-op pre-commit hook), when ``check`` has ``--staged``;
* the developer loop (:func:`developer_loop`): ``check`` warm; one wiring file
  edited then ``check``, the edit a comment (no fact changes) and then a new
  row (``edited_row_check``: a fact and a finding change); ``check-patch``
  with a one-line patch, a comment and a row likewise (``check_patch_row``);
  ``matrix --syscall mseal`` and ``report``. The commands from
  ``check-patch`` on run twice in the same copy.

Both use one git repository made from the tree (see :func:`series_repo`).

The stage breakdown comes from the (median) cold run's ``--timings`` file. A
fixed pure-Python loop is timed before and after, alone and two at once: on a
shared or throttled host its seconds change, and figures taken under
different probes are not comparable. Every figure
is also given as a ratio to the floor measured in the same run. This script
may start processes; ckptlint itself never does.
"""

from __future__ import annotations

import argparse
import json
import os
import shutil
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
GREP_INCLUDES = ["*.c", "*.S", "*.h", "*.tbl", "Kconfig*", "Makefile*", "Kbuild*"]
#: Files a series commit touches, one per commit (appending a comment changes no finding).
WIRING_FILES = ["arch/x86/entry/syscalls/syscall_64.tbl", "arch/x86/entry/syscalls/syscall_32.tbl",
                "include/linux/syscalls.h", "kernel/sys_ni.c", "include/uapi/asm-generic/unistd.h",
                "arch/arm64/tools/syscall_64.tbl", "arch/arm/tools/syscall.tbl",
                "arch/powerpc/kernel/syscalls/syscall.tbl", "arch/s390/kernel/syscalls/syscall.tbl",
                "scripts/syscall.tbl"]


def timed(command: list[str], env: dict[str, str] | None = None,
          cwd: Path | None = None, stdout: Path | None = None) -> tuple[float, int, int, float]:
    """(wall seconds, peak RSS in bytes of the largest of the process and its waited-for
    children, exit code, CPU seconds of them all)."""
    sink = open(stdout, "wb") if stdout else subprocess.DEVNULL
    started = time.perf_counter()
    try:
        proc = subprocess.Popen(command, stdout=sink, stderr=subprocess.DEVNULL, env=env, cwd=cwd)
        _, status, usage = os.wait4(proc.pid, 0)
    finally:
        if stdout:
            sink.close()
    proc.returncode = os.waitstatus_to_exitcode(status)
    return (time.perf_counter() - started, usage.ru_maxrss * 1024, proc.returncode,
            usage.ru_utime + usage.ru_stime)


def ckptlint(*args: str) -> list[str]:
    return [sys.executable, "-m", "ckptlint", *args]


def supports(text: str, *args: str) -> bool:
    """Whether ``ckptlint ARGS --help`` mentions ``text`` (feature probe)."""
    done = subprocess.run(ckptlint(*args, "--help"), capture_output=True, text=True, cwd=ROOT)
    return text in done.stdout


def floor(tree: Path) -> tuple[float, int]:
    """The I/O floor: best of three ``grep -r`` passes over the files ckptlint reads."""
    command = ["grep", "-r", "-c", "-e", "SYSCALL_DEFINE",
               *(f"--include={g}" for g in GREP_INCLUDES), str(tree)]
    runs = [timed(command) for _ in range(3)]
    best = min(runs)
    return best[0], best[1], best[3]


def stage_breakdown(timings: dict) -> dict[str, float]:
    """The issue's stages from a --timings document (seconds)."""
    stages, per_arch = timings.get("stages", {}), timings.get("per_arch", {})
    extraction = ("tables", "prototypes", "cond_syscalls", "definitions", "kconfig_symbols",
                  "config_refs")
    return {
        "file discovery": stages.get("discovery", 0.0),
        "extraction": sum(stages.get(s, 0.0) for s in extraction),
        "kconfig per arch (sum over arches, workers and main process)": sum(
            v for k, v in per_arch.items() if k.startswith("kconfig ")),
        "kbuild (sum over srcarches, main process)": sum(
            v for k, v in per_arch.items() if k.startswith("kbuild ")),
        "main process: own Kbuild and Kconfig units, then waiting": stages.get("arch wait", 0.0),
        "graph": stages.get("graph", 0.0),
        "checks": stages.get("checks", 0.0),
        "output": stages.get("output", 0.0),
        "cache store": timings.get("cache_store_seconds", 0.0),
    }


def series_repo(tree: Path, work: Path) -> tuple[Path, int]:
    """A git repository of the tree plus up to 10 commits (returned: how many), each
    touching one wiring file.

    Cheap: the tree is hard-linked (no data copied), and each touched file is
    replaced by a new file (rename), so the original tree is never written.
    """
    repo = work / "series"
    shutil.copytree(tree, repo, copy_function=os.link, symlinks=True)
    git = ["git", "-C", str(repo), "-c", "user.name=bench", "-c", "user.email=bench@invalid",
           "-c", "commit.gpgsign=false"]
    subprocess.run([*git, "init", "-q"], check=True)
    # -f: the packaged tree's .gitignore may ignore everything (Debian linux-source: /*)
    subprocess.run([*git, "add", "-A", "-f"], check=True)
    subprocess.run([*git, "commit", "-q", "-m", "base"], check=True)
    commits = 0
    for index, rel in enumerate(WIRING_FILES):
        path = repo / rel
        if not path.is_file():
            continue
        commits += 1
        comment = f"/* bench commit {index} */" if rel.endswith((".c", ".h")) else f"# bench commit {index}"
        text = path.read_bytes() + f"\n{comment}\n".encode()
        tmp = path.with_name(path.name + ".bench-tmp")
        tmp.write_bytes(text)
        os.replace(tmp, path)
        subprocess.run([*git, "commit", "-q", "-a", "-m", f"touch {rel}"], check=True)
    return repo, commits


def stage_unrelated_change(repo: Path) -> None:
    """Stage a change no check reads (the README), as a commit of documentation would."""
    path = repo / "README"
    data = (path.read_bytes() if path.is_file() else b"") + b"\nbench: unrelated change\n"
    tmp = path.with_name("README.bench-tmp")
    tmp.write_bytes(data)
    os.replace(tmp, path)  # a new file: the hard link to the original tree is broken
    subprocess.run(["git", "-C", str(repo), "add", "README"], check=True)


#: The wiring file the developer-loop scenarios edit: a comment appended (no fact changes),
#: then a new row (``..._row``: a fact and a finding change).
EDITED = "arch/x86/entry/syscalls/syscall_64.tbl"
NEW_ROW = b"1023\tcommon\tbench_new\t\tsys_bench_new\n"


def developer_loop(repo: Path, env: dict[str, str], jobs_args: list[str], work: Path) -> dict:
    """What a developer waits for, in a hard-linked copy of the tree whose cache a first
    ``check`` filled (not timed): ``check`` again; one wiring file edited, then ``check``;
    ``check-patch`` with a one-line patch; ``matrix --syscall``; ``report``. Each command
    runs twice: the first (``..._first``) meets what the earlier ones cached, the second
    its own warm cache."""
    out: dict = {}
    path = repo / EDITED
    if not path.is_file():
        return out
    check = ckptlint("check", str(repo), *jobs_args)
    timed(check, env, ROOT)  # fills the cache for this copy
    out["check_warm"] = _scenario(timed(check, env, ROOT))
    text = path.read_bytes()
    tmp = path.with_name(path.name + ".bench-tmp")
    tmp.write_bytes(text + b"\n# bench: an edit\n")
    os.replace(tmp, path)  # a new file: the original tree is never written
    out["edited_check"] = _scenario(timed(check, env, ROOT))
    # the same edit, but one that changes a fact: a new row whose entry point nobody defines
    tmp.write_bytes(text + NEW_ROW)
    os.replace(tmp, path)
    out["edited_row_check"] = _scenario(timed(check, env, ROOT))
    lines = text.decode("utf-8", "surrogateescape").splitlines(keepends=True)
    import difflib
    patches = {}
    for name, added in (("check_patch", "# bench: a one-line patch\n"),
                        ("check_patch_row", NEW_ROW.decode())):
        patches[name] = work / f"{name}.patch"
        patches[name].write_text("".join(difflib.unified_diff(
            lines, lines + [added], f"a/{EDITED}", f"b/{EDITED}")),
            encoding="utf-8", errors="surrogateescape")
    tmp.write_bytes(text)
    os.replace(tmp, path)  # back to the committed text, so the patch applies
    timed(check, env, ROOT)
    commands = {"check_patch": ckptlint("check-patch", str(patches["check_patch"]), "--tree", str(repo)),
                "check_patch_row": ckptlint("check-patch", str(patches["check_patch_row"]),
                                            "--tree", str(repo)),
                "matrix_syscall": ckptlint("matrix", str(repo), "--syscall", "mseal"),
                "report": ckptlint("report", str(repo), "-o", str(work / "report.html"), *jobs_args)}
    for name, command in commands.items():
        out[f"{name}_first"] = _scenario(timed(command, env, ROOT))
        out[name] = _scenario(timed(command, env, ROOT))
    return out


def _scenario(measured: tuple[float, int, int, float]) -> dict:
    seconds, rss, code, cpu = measured
    return {"seconds": seconds, "rss": rss, "exit": code, "cpu": cpu}


#: A fixed pure-Python loop: how fast this machine runs Python just now.
PROBE = "import time\ns = time.perf_counter()\nx = 0\nfor i in range(20_000_000): x += i\n" \
        "print(time.perf_counter() - s)"


def probe() -> dict[str, float]:
    """Seconds of :data:`PROBE` alone and with two copies at once (a shared or throttled
    host shows here: figures from runs with different probes are not comparable)."""
    def once(copies: int) -> float:
        procs = [subprocess.Popen([sys.executable, "-c", PROBE], stdout=subprocess.PIPE)
                 for _ in range(copies)]
        return max(float(p.communicate()[0]) for p in procs)
    return {"alone": once(1), "two_at_once": once(2)}


def run(tree: Path, jobs: int | None, repeat: int = 1) -> dict:
    """Every scenario; figures in seconds and bytes. The cold run is repeated ``repeat``
    times, each with an empty cache, and its median reported (all runs under ``runs``)."""
    jobs_args = ["-j", str(jobs)] if jobs else []
    out: dict = {"tree": str(tree), "cpus": len(os.sched_getaffinity(0)),
                 "load_before": os.getloadavg()[0], "probe_before": probe(), "scenarios": {}}
    grep_seconds, grep_rss, grep_cpu = floor(tree)
    out["floor"] = {"seconds": grep_seconds, "rss": grep_rss, "cpu": grep_cpu, "what": "grep -r over " +
                    " ".join(GREP_INCLUDES)}
    with tempfile.TemporaryDirectory(prefix="ckptlint-bench-") as work:
        work_path = Path(work)
        env = {**os.environ, "XDG_CACHE_HOME": str(work_path / "cache")}
        timings = work_path / "timings.json"
        full = ckptlint("check", str(tree), "--arch", "all", "--timings", str(timings), *jobs_args)
        colds = []
        for _ in range(max(1, repeat)):
            shutil.rmtree(work_path / "cache", ignore_errors=True)
            seconds, rss, code, cpu = timed(full, env, ROOT, work_path / "cold.txt")
            colds.append({"seconds": seconds, "rss": rss, "exit": code, "cpu": cpu,
                          "stages": stage_breakdown(json.loads(timings.read_text()))})
        median = sorted(colds, key=lambda c: c["seconds"])[len(colds) // 2]
        out["stages"] = median.pop("stages")
        out["scenarios"]["cold"] = {**median, "runs": [c["seconds"] for c in colds]}
        seconds, rss, code, cpu = timed(full, env, ROOT, work_path / "warm.txt")
        out["scenarios"]["warm"] = {"seconds": seconds, "rss": rss, "exit": code, "cpu": cpu}
        # the warm run answered from the cache must report exactly what the cold one computed
        out["scenarios"]["warm"]["same_report_as_cold"] = (
            (work_path / "cold.txt").read_bytes() == (work_path / "warm.txt").read_bytes())
        has_staged, has_base = supports("--staged", "check"), supports("--base", "check")
        out["scenarios"]["precommit"] = out["scenarios"]["series"] = None
        repo, commits = series_repo(tree, work_path)  # setup, not timed
        out["scenarios"].update(developer_loop(repo, env, jobs_args, work_path))
        if has_staged or has_base:
            if has_base:
                command = ckptlint("check", str(repo), "--base", f"HEAD~{commits}", *jobs_args)
                seconds, rss, code, cpu = timed(command, env, ROOT)
                out["scenarios"]["series"] = {"seconds": seconds, "rss": rss, "exit": code, "cpu": cpu}
            if has_staged:
                stage_unrelated_change(repo)
                seconds, rss, code, cpu = timed(ckptlint("check", "--staged", str(repo)), env, ROOT)
                out["scenarios"]["precommit"] = {"seconds": seconds, "rss": rss, "exit": code,
                                                 "cpu": cpu}
    for figures in out["scenarios"].values():
        if figures is not None:
            figures["ratio_to_floor"] = figures["seconds"] / grep_seconds
    out["load_after"] = os.getloadavg()[0]
    out["probe_after"] = probe()
    return out


def render(result: dict) -> str:
    """The table printed without --json."""
    before, after = result["probe_before"], result["probe_after"]
    lines = [f"tree: {result['tree']}  cpus: {result['cpus']}  "
             f"load: {result['load_before']:.1f} -> {result['load_after']:.1f}",
             f"python probe (s, alone / two at once): before {before['alone']:.2f} / "
             f"{before['two_at_once']:.2f}, after {after['alone']:.2f} / {after['two_at_once']:.2f}",
             f"{'scenario':<22} {'wall s':>8} {'x floor':>8} {'peak RSS MiB':>13} {'CPU s':>8}",
             f"{'floor':<22} {result['floor']['seconds']:>8.2f} {1.0:>8.2f} "
             f"{result['floor']['rss'] / 2**20:>13.0f} {result['floor']['cpu']:>8.2f}"]
    for name, figures in result["scenarios"].items():
        if figures is None:
            lines.append(f"{name:<22} {'n/a (not available)':>31}")
        else:
            lines.append(f"{name:<22} {figures['seconds']:>8.2f} {figures['ratio_to_floor']:>8.2f} "
                         f"{figures['rss'] / 2**20:>13.0f} {figures['cpu']:>8.2f}")
    lines.append(f"warm report identical to cold: {result['scenarios']['warm']['same_report_as_cold']}")
    lines.append("stages of the cold run (s):")
    for stage, seconds in result.get("stages", {}).items():
        lines.append(f"  {stage:<48} {seconds:>8.2f}")
    return "\n".join(lines) + "\n"


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("tree", type=Path)
    parser.add_argument("--json", action="store_true", help="print JSON instead of a table")
    parser.add_argument("--jobs", type=int, default=None, help="pass -j N to ckptlint")
    parser.add_argument("--repeat", type=int, default=1,
                        help="cold runs (each with an empty cache); the median is reported")
    args = parser.parse_args()
    if not (args.tree / "Makefile").is_file():
        parser.error(f"{args.tree}: not a kernel tree")
    result = run(args.tree.resolve(), args.jobs, args.repeat)
    sys.stdout.write(json.dumps(result, indent=2) + "\n" if args.json else render(result))
    return 0


if __name__ == "__main__":
    sys.exit(main())
