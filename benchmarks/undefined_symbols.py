#!/usr/bin/env python3
"""Undefined CONFIG_ symbols: ``ckptlint symbols`` against the kernel's own
``scripts/checkkconfigsymbols.py``, side by side in one run on one tree.

    python benchmarks/undefined_symbols.py TREE [--json] [--markdown FILE] [--git-copy DIR]

Both tools run as separate processes and are timed by wall clock. The kernel
script needs the tree in git (it lists files with ``git ls-files``): when TREE
is not a git work tree, a throwaway copy is made (``cp -a``, ``git init``,
``git add -A -f``, ``git commit``) in a temporary directory, or in DIR with
``--git-copy`` (kept and reused across runs). TREE itself is never written.

Every symbol one tool reports and the other does not is put in a category by
re-reading the evidence: the kernel script's own per-file functions (imported
from the copy) and ckptlint's own scanners. ``unexplained`` must stay empty.
"""

from __future__ import annotations

import argparse
import importlib.util
import json
import os
import re
import resource
import shutil
import subprocess
import sys
import tempfile
import time
from collections import Counter
from pathlib import Path

REPO = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(REPO))

from ckptlint.kconfig import tree_symbols  # noqa: E402
from ckptlint.kconfig import tree_refs  # noqa: E402
from ckptlint.tree import KernelTree  # noqa: E402

#: Category -> one line of explanation (docs/real-trees.md repeats these).
ONLY_KERNEL = {
    "documentation": "only in Documentation/, which ckptlint does not read (the script greps every git file)",
    "defconfig": "only in defconfig files (arch/*/configs/, `CONFIG_X=y` / `# CONFIG_X is not set`), "
                 "which ckptlint does not read",
    "unsourced-kconfig": "only in Kconfig files that no arch sources (scripts/kconfig/tests, ...)",
    "other-files": "only in file types ckptlint does not read (scripts, .rst, .txt, .rs, .dts, .py, ...)",
    "comment": "only inside comments of C/assembly/Makefiles, which ckptlint skips",
    "defined-in-code": "a macro, variable or enum constant the tree defines itself "
                       "(`#define CONFIG_X`, `CONFIG_X = 1,`, `-DCONFIG_X`), not a Kconfig symbol",
    "kconfig-help-text": "a word of Kconfig help text on a line starting with if/select/default/"
                         "depends on, which the script's statement regex takes for an expression",
    "kconfig-macro-argument": "an argument of a Kconfig preprocessor call (`$(cc-option,-m64)`, "
                              "`$(CC)`), not a symbol; the script reads every word of the line",
    "token-pasting": "a `##` token-pasting fragment (`CONFIG_FOO_##x`)",
}
ONLY_CKPTLINT = {
    "arch-aware": "defined only by arches that do not build the referencing file",
    "defined-outside-build": "defined only in Kconfig files no arch sources "
                             "(the script counts every file named Kconfig*)",
    "script-name-pattern": "outside the script's SYMBOL regex (needs two capitals or digits, "
                           "must end in a letter or digit): lowercase or one-capital names",
    "script-whitelist": "on the script's whitelist (FOO, BAR, FOO_BAR, XXX)",
    "kconfig-property": "a Kconfig line the script's statement regex does not match "
                        "(`default SYMBOL` without `if`, def_bool, range, visible if, "
                        "`bool \"x\" if SYMBOL`)",
    "script-skips-file": "in a file the script skips (path containing .log or ChangeLog)",
}


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("tree")
    parser.add_argument("--json", action="store_true", help="print the result as JSON")
    parser.add_argument("--markdown", help="write the per-symbol appendix to this file")
    parser.add_argument("--git-copy", help="directory for (and reuse of) the git copy")
    parser.add_argument("--verify", default="x86_64,arm", metavar="LABELS",
                        help="arches on which the fast Kconfig scan is compared with kconfiglib "
                             "(comma-separated; '' to skip; default: x86_64,arm)")
    args = parser.parse_args()
    tree = Path(args.tree).resolve()
    with tempfile.TemporaryDirectory(prefix="ckl-undef-") as scratch:
        work = git_tree(tree, Path(args.git_copy) if args.git_copy else Path(scratch) / "tree")
        ck_seconds, ck = run_ckptlint(tree)
        ks_seconds, ks = run_kernel_script(work)
        result = compare(tree, work, ck, ks)
    result.update({
        "tree": str(tree), "cores": os.cpu_count(), "loadavg_after": os.getloadavg(),
        "ckptlint_seconds": round(ck_seconds[0], 2), "kernel_script_seconds": round(ks_seconds[0], 2),
        "speedup": round(ks_seconds[0] / ck_seconds[0], 1),
        "ckptlint_cpu_seconds": round(ck_seconds[1], 2),
        "kernel_script_cpu_seconds": round(ks_seconds[1], 2),
        "cpu_ratio": round(ks_seconds[1] / ck_seconds[1], 1),
        "ckptlint_symbols": len(ck), "kernel_script_symbols": len(ks),
        "common_symbols": len(set(ck) & set(ks)),
    })
    result["kconfig_equivalence"] = verify(tree, [l for l in args.verify.split(",") if l])
    if args.markdown:
        Path(args.markdown).write_text(markdown(result))
    print(json.dumps(result, indent=2) if args.json else text(result))
    equivalent = all(v["defined_equal"] and v["undefined_equal"]
                     for v in result["kconfig_equivalence"].values())
    return 1 if result["unexplained"] or not equivalent else 0


def verify(tree: Path, labels: list[str]) -> dict:
    """The fast scan against kconfiglib: same defined symbols, same undefined references."""
    from ckptlint.kconfig import loader
    from ckptlint.kconfig.fast_scan import KconfigScanner

    kernel_tree = KernelTree(tree)
    configs = {c.label: c for c in loader.arch_configs(kernel_tree)}
    scanner = KconfigScanner(kernel_tree)
    out = {}
    for label in labels:
        model = loader.load(kernel_tree, configs[label], use_cache=False)
        scanned = scanner.scan(configs[label])
        model_refs = {(n, loc.path) for n, _, loc in model.undefined_references()}
        scan_refs = {(n, f.path) for f in scanned.files for n, _, _ in f.references
                     if n not in scanned.defined}
        out[label] = {"kconfiglib_seconds": round(model.load_seconds, 2),
                      "scan_seconds": round(scanned.seconds, 3),
                      "defined": len(model.all_defined()),
                      "defined_equal": model.all_defined() == set(scanned.defined),
                      "undefined_references": len(model_refs),
                      "undefined_equal": model_refs == scan_refs}
    return out


# -- running both tools ----------------------------------------------------------
def git_tree(tree: Path, copy: Path) -> Path:
    """A git work tree with TREE's files: TREE itself if it is one, else a (reused) copy."""
    top = subprocess.run(["git", "-C", str(tree), "rev-parse", "--show-toplevel"],
                         capture_output=True, text=True)
    if top.returncode == 0 and Path(top.stdout.strip()).resolve() == tree:
        return tree
    if (copy / ".git").is_dir():
        return copy
    shutil.copytree(tree, copy, symlinks=True)
    env = {**os.environ, "GIT_AUTHOR_NAME": "bench", "GIT_AUTHOR_EMAIL": "bench@localhost",
           "GIT_COMMITTER_NAME": "bench", "GIT_COMMITTER_EMAIL": "bench@localhost"}
    for command in (["git", "init", "-q"], ["git", "add", "-A", "-f"],
                    ["git", "-c", "gc.auto=0", "commit", "-q", "--no-verify", "-m", "snapshot"]):
        subprocess.run(command, cwd=copy, check=True, env=env)
    return copy


def timed(command: list[str], **kwargs) -> tuple[subprocess.CompletedProcess, float, float]:
    """Run a command; (result, wall seconds, user+system CPU seconds of it and its children)."""
    before = resource.getrusage(resource.RUSAGE_CHILDREN)
    started = time.perf_counter()
    done = subprocess.run(command, capture_output=True, text=True, **kwargs)
    wall = time.perf_counter() - started
    after = resource.getrusage(resource.RUSAGE_CHILDREN)
    cpu = (after.ru_utime - before.ru_utime) + (after.ru_stime - before.ru_stime)
    return done, wall, cpu


def run_ckptlint(tree: Path) -> tuple[tuple[float, float], dict[str, set[str]]]:
    """(Wall, CPU) seconds of ``ckptlint symbols --format json`` and symbol -> referencing paths."""
    env = {**os.environ, "PYTHONPATH": str(REPO)}
    done, wall, cpu = timed([sys.executable, "-m", "ckptlint", "symbols", str(tree), "--format", "json"],
                            env=env, cwd=REPO)
    seconds = (wall, cpu)
    if done.returncode not in (0, 1):
        sys.exit(f"ckptlint failed: {done.stderr.strip()}")
    out: dict[str, set[str]] = {}
    for finding in json.loads(done.stdout)["findings"]:
        out.setdefault(finding["symbol"], set()).add(finding["path"])
    return seconds, out


def run_kernel_script(work: Path) -> tuple[tuple[float, float], dict[str, set[str]]]:
    """(Wall, CPU) seconds of ``scripts/checkkconfigsymbols.py`` and symbol -> referencing files."""
    done, wall, cpu = timed([sys.executable, "scripts/checkkconfigsymbols.py", "--no-color"], cwd=work)
    seconds = (wall, cpu)
    if done.returncode != 0:
        sys.exit(f"checkkconfigsymbols.py failed: {done.stderr.strip()[-500:]}")
    out: dict[str, set[str]] = {}
    lines = done.stdout.splitlines()
    for index, line in enumerate(lines[:-1]):
        following = lines[index + 1]
        if line and ": " not in line and following.startswith("Referencing files: "):
            out[line] = set(following[len("Referencing files: "):].split(", "))
    return seconds, out


# -- explaining the differences --------------------------------------------------------
def load_script(work: Path):
    """The kernel script as a module (its functions work on paths relative to the cwd)."""
    spec = importlib.util.spec_from_file_location("checkkconfigsymbols",
                                                  work / "scripts" / "checkkconfigsymbols.py")
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


class Evidence:
    """What each tool sees, for classifying one symbol at a time."""

    def __init__(self, tree: Path, work: Path) -> None:
        self.kernel_tree = KernelTree(tree)
        self.report = tree_symbols.scan(self.kernel_tree, suggest=False)
        self.defined_any = frozenset().union(*(a.defined for a in self.report.arches))
        self.kconfig_read = {f.path for a in self.report.arches for f in a.files}
        self.source_read = set(tree_refs.source_files(self.kernel_tree))
        cwd = os.getcwd()
        os.chdir(work)
        try:
            self.script = load_script(work)
            self.script_files = set(self.script.get_files())
            self.script_kconfig = {f: self.script.parse_kconfig_file(f) for f in self.script_files
                                   if self.script.REGEX_FILE_KCONFIG.match(f)}
        finally:
            os.chdir(cwd)
        self.script_defined = {s for defined, _ in self.script_kconfig.values() for s in defined}

    def is_defined(self, name: str, pool) -> bool:
        return name in pool or (name.endswith("_MODULE") and name[:-7] in pool)


def only_kernel_category(ev: Evidence, name: str, files: set[str]) -> str | None:
    """Why ckptlint does not report a symbol the kernel script reports."""
    if ev.is_defined(name, ev.report.in_code):
        return "defined-in-code"
    read = {f for f in files if f in ev.source_read or f in ev.kconfig_read}
    if not read:
        if all(f.startswith("Documentation/") for f in files):
            return "documentation"
        if all(f.startswith("Documentation/") or "/configs/" in f or f.endswith("defconfig")
               for f in files):
            return "defconfig"
        if all(f.startswith("Documentation/") or "/configs/" in f or f.endswith("defconfig")
               or ev.script.REGEX_FILE_KCONFIG.match(f) for f in files):
            return "unsourced-kconfig"
        return "other-files"
    reasons = {_file_reason(ev, name, f) for f in read}
    if None in reasons:
        return None
    for reason in ("kconfig-help-text", "kconfig-macro-argument", "token-pasting", "comment"):
        if reason in reasons:
            return reason
    return None


def _file_reason(ev: Evidence, name: str, path: str) -> str | None:
    """Why ckptlint finds no undefined ``name`` in one file the script blames."""
    data = (ev.kernel_tree.root / path).read_bytes()
    if path in ev.kconfig_read:
        return _kconfig_reason(ev, data.decode("utf-8", "replace"), name)
    pattern = re.compile(rb"(##\s*)?CONFIG_" + re.escape(name.encode()) + rb"(?![A-Za-z0-9_])(\s*##)?")
    found = list(pattern.finditer(data))
    if any(m.group(1) or m.group(2) for m in found):
        return "token-pasting"
    references = {n for n, _ in tree_refs.scan_bytes(data, tree_refs.is_makefile(path))[0]}
    if found and name not in references:
        return "comment"
    return None


def _kconfig_reason(ev: Evidence, text: str, name: str) -> str | None:
    """Where a name the script takes for a reference sits in a Kconfig file
    (only the lines its statement regex reads count)."""
    word = re.compile(r"(?<![\w$])" + re.escape(name) + r"(?!\w)")
    lines = text.split("\n")
    helps = _help_lines(lines)
    reasons = set()
    for number, line in enumerate(lines):
        code = line.split("#")[0]
        if not word.search(code) or not ev.script.REGEX_KCONFIG_STMT.match(code):
            continue
        if number in helps:
            reasons.add("kconfig-help-text")
        elif any(word.search(call) for call in _macro_calls(line)):
            reasons.add("kconfig-macro-argument")
        else:
            return None
    return min(reasons) if reasons else None


def _macro_calls(line: str) -> list[str]:
    """The outermost ``$(...)`` calls of a line, nested parentheses included."""
    out, depth, start = [], 0, -1
    for index, char in enumerate(line):
        if char == "(" and (depth or line[index - 1:index] == "$"):
            start = index if depth == 0 else start
            depth += 1
        elif char == ")" and depth:
            depth -= 1
            if depth == 0:
                out.append(line[start:index + 1])
    return out


def _help_lines(lines: list[str]) -> set[int]:
    """Indexes of help text lines (kconfiglib's rule: indented at least as the first one)."""
    out: set[int] = set()
    index = 0
    while index < len(lines):
        if lines[index].strip() not in ("help", "---help---"):
            index += 1
            continue
        index += 1
        indent = None
        while index < len(lines):
            line = lines[index].expandtabs()
            if line.strip():
                depth = len(line) - len(line.lstrip())
                indent = depth if indent is None else indent
                if depth < indent or depth == 0:
                    break
                out.add(index)
            index += 1
    return out


def only_ckptlint_category(ev: Evidence, name: str, files: set[str]) -> str | None:
    """Why the kernel script does not report a symbol ckptlint reports."""
    if name in ("FOO", "BAR", "FOO_BAR", "XXX"):
        return "script-whitelist"
    if not re.fullmatch(ev.script.SYMBOL, name) or not ev.script.REGEX_FILTER_SYMBOLS.search(name):
        return "script-name-pattern"
    if ev.is_defined(name, ev.script_defined):
        return "arch-aware" if ev.is_defined(name, ev.defined_any) else "defined-outside-build"
    if not files & ev.script_files:
        return "script-skips-file"
    if all(f in ev.script_kconfig and name not in ev.script_kconfig[f][1] for f in files):
        return "kconfig-property"
    return None


def compare(tree: Path, work: Path, ck: dict[str, set[str]], ks: dict[str, set[str]]) -> dict:
    ev = Evidence(tree, work)
    result: dict = {"only_ckptlint": {}, "only_kernel_script": {}, "unexplained": []}
    for side, mine, other, classify in (("only_ckptlint", ck, ks, only_ckptlint_category),
                                        ("only_kernel_script", ks, ck, only_kernel_category)):
        for name in sorted(set(mine) - set(other)):
            category = classify(ev, name, mine[name])
            result[side][name] = {"category": category, "files": sorted(mine[name])[:3]}
            if category is None:
                result["unexplained"].append(name)
        result[f"{side}_categories"] = dict(Counter(v["category"] for v in result[side].values())
                                            .most_common())
    return result


# -- output ------------------------------------------------------------------------
def text(result: dict) -> str:
    out = [f"tree: {result['tree']} ({result['cores']} cores, load after run "
           f"{', '.join(f'{x:.1f}' for x in result['loadavg_after'])})",
           f"{'ckptlint symbols:':<31} {result['ckptlint_seconds']:7.2f} s wall "
           f"({result['ckptlint_cpu_seconds']:.2f} s CPU), {result['ckptlint_symbols']} symbols",
           f"{'scripts/checkkconfigsymbols.py:':<31} {result['kernel_script_seconds']:7.2f} s wall "
           f"({result['kernel_script_cpu_seconds']:.2f} s CPU), {result['kernel_script_symbols']} symbols",
           f"speedup: {result['speedup']}x wall, {result['cpu_ratio']}x CPU; "
           f"common symbols: {result['common_symbols']}"]
    for side, docs in (("only_ckptlint", ONLY_CKPTLINT), ("only_kernel_script", ONLY_KERNEL)):
        out.append(f"{side}: {len(result[side])} symbols")
        for category, count in result[f"{side}_categories"].items():
            examples = [n for n, v in result[side].items() if v["category"] == category][:4]
            out.append(f"  {count:5d} {category}: {', '.join(examples)}")
    out.append(f"unexplained: {len(result['unexplained'])} {' '.join(result['unexplained'][:20])}")
    for index, (label, v) in enumerate(result["kconfig_equivalence"].items()):
        first = " (the first arch parses every file)" if index == 0 else ""
        out.append(f"kconfig scan vs kconfiglib on {label}: {v['defined']} symbols, equal: "
                   f"{v['defined_equal']}; {v['undefined_references']} undefined references, equal: "
                   f"{v['undefined_equal']}; {v['scan_seconds']} s{first} vs {v['kconfiglib_seconds']} s")
    return "\n".join(out)


def markdown(result: dict) -> str:
    out = ["# Undefined symbols: ckptlint vs scripts/checkkconfigsymbols.py", "",
           f"Generated by `python benchmarks/undefined_symbols.py {Path(result['tree']).name} "
           f"--markdown ...` on `{result['tree']}`. Categories are explained in "
           "[real-trees.md](real-trees.md#undefined-config-symbols-ckl504).", "",
           f"Run: ckptlint {result['ckptlint_seconds']} s wall ({result['ckptlint_cpu_seconds']} s CPU), "
           f"checkkconfigsymbols.py {result['kernel_script_seconds']} s wall "
           f"({result['kernel_script_cpu_seconds']} s CPU): {result['speedup']}x faster by wall "
           f"clock, {result['cpu_ratio']}x by CPU; {result['cores']} cores, load average after the "
           f"run {result['loadavg_after'][0]:.1f}. Symbols: ckptlint {result['ckptlint_symbols']}, "
           f"the script {result['kernel_script_symbols']}, both {result['common_symbols']}.", ""]
    out += [f"Kconfig scan vs kconfiglib on {label}: {v['defined']} defined symbols "
            f"({'identical' if v['defined_equal'] else 'DIFFERENT'}), {v['undefined_references']} "
            f"undefined references ({'identical' if v['undefined_equal'] else 'DIFFERENT'})."
            for label, v in result["kconfig_equivalence"].items()] + [""]
    for side, docs, title in (("only_ckptlint", ONLY_CKPTLINT, "Reported only by ckptlint"),
                              ("only_kernel_script", ONLY_KERNEL, "Reported only by the kernel script")):
        out += [f"## {title} ({len(result[side])})", "", "| category | count | meaning |", "|---|---|---|"]
        out += [f"| {c} | {n} | {docs.get(c, 'UNEXPLAINED')} |"
                for c, n in result[f"{side}_categories"].items()]
        out += ["", "| symbol | category | referenced in (first three) |", "|---|---|---|"]
        out += [f"| `{name}` | {v['category']} | {', '.join(v['files'])} |"
                for name, v in result[side].items()]
        out.append("")
    return "\n".join(out)


if __name__ == "__main__":
    sys.exit(main())
