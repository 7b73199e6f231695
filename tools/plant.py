#!/usr/bin/env python3
"""Plant mistakes in copies of real kernel trees and show what ckptlint reports.

    python tools/plant.py REALTREES_DIR [--only NAME ...] [--markdown OUT]

Each demo names a real tree under REALTREES_DIR (``linux-source-6.12``,
``v2.6.33``...), a list of edits (file, old text, new text; ``old`` must occur
exactly once) and the ckptlint arguments. The tree is copied with hard links
(``cp -al``) into a scratch directory, each edited file is replaced by a new
file (never written through a link), and ``ckptlint check`` runs on the copy.
The findings it introduces (compared with the pristine tree, by rule, path
and line) are printed, or written as the markdown tables of
docs/real-trees.md. Kernel sources are never copied into this repository.
This script starts processes (cp, ckptlint); ckptlint itself never does.
"""

from __future__ import annotations

import argparse
import json
import shutil
import subprocess
import sys
import tempfile
from dataclasses import dataclass, field
from pathlib import Path


@dataclass
class Demo:
    name: str
    tree: str
    what: str
    edits: list[tuple[str, str | None, str]] = field(default_factory=list)
    args: list[str] = field(default_factory=list)
    #: a pristine demo shows only the findings whose message contains this
    about: str | None = None


# -- the checkpoint/restart v19 patch (shared/seed), as edits of eclone-2.6.35: the
# tree it was posted against (2.6.35 with eclone at 338)
SEED_KCONFIG = """# Architectures should define CHECKPOINT_SUPPORT when they have
# implemented the hooks for processor state etc. needed by the
# core checkpoint/restart code.

config CHECKPOINT
\tbool "Checkpoint/restart (EXPERIMENTAL)"
\tdepends on CHECKPOINT_SUPPORT && EXPERIMENTAL
\thelp
\t  Save the state of a running application and resume it later.
"""
SEED_SYS_C = """#include <linux/sched.h>
#include <linux/kernel.h>
#include <linux/syscalls.h>

SYSCALL_DEFINE4(checkpoint, pid_t, pid, int, fd,
\t\tunsigned long, flags, int, logfd)
{
\treturn -ENOSYS;
}

SYSCALL_DEFINE4(restart, pid_t, pid, int, fd,
\t\tunsigned long, flags, int, logfd)
{
\treturn -ENOSYS;
}
"""
SEED = [
    ("Makefile", "help %docs check% \\\n", "help %docs checkstack \\\n"),
    ("arch/x86/Kconfig", "config HAVE_LATENCYTOP_SUPPORT\n\tdef_bool y\n",
     "config HAVE_LATENCYTOP_SUPPORT\n\tdef_bool y\n\nconfig CHECKPOINT_SUPPORT\n\tbool\n"
     "\tdefault y if X86_32\n"),
    ("arch/x86/include/asm/unistd_32.h", "#define __NR_eclone\t\t338\n",
     "#define __NR_eclone\t\t338\n#define __NR_checkpoint\t\t339\n#define __NR_restart\t\t340\n"),
    ("arch/x86/include/asm/unistd_32.h", "#define NR_syscalls 339\n", "#define NR_syscalls 341\n"),
    ("arch/x86/kernel/syscall_table_32.S", "\t.long ptregs_eclone\n",
     "\t.long ptregs_eclone\n\t.long sys_checkpoint\n\t.long sys_restart\t/* 340 */\n"),
    ("checkpoint/Kconfig", None, SEED_KCONFIG),
    ("checkpoint/Makefile", None, "obj-$(CONFIG_CHECKPOINT) += sys.o\n"),
    ("checkpoint/sys.c", None, SEED_SYS_C),
    ("include/linux/syscalls.h", "\t\t\t  size_t);\n\n",
     "\t\t\t  size_t);\nasmlinkage long sys_checkpoint(pid_t pid, int fd, unsigned long flags,\n"
     "\t\t\t       int logfd);\nasmlinkage long sys_restart(pid_t pid, int fd, unsigned long flags,\n"
     "\t\t\t    int logfd);\n\n"),
    ("init/Kconfig", "\t  of the network stack.\n\n",
     "\t  of the network stack.\n\nsource \"checkpoint/Kconfig\"\n\n"),
    ("kernel/sys_ni.c", "cond_syscall(sys_perf_event_open);\n",
     "cond_syscall(sys_perf_event_open);\n\n/* checkpoint/restart */\ncond_syscall(sys_checkpoint);\n"
     "cond_syscall(sys_restart);\n"),
]
#: What the posted patch lacks: checkpoint/ in the Kbuild descent.
SEED_FIXED = SEED + [("Makefile", "core-y\t\t+= kernel/ mm/ fs/ ipc/ security/ crypto/ block/\n",
                      "core-y\t\t+= kernel/ mm/ fs/ ipc/ security/ crypto/ block/ checkpoint/\n")]


def seed_with(*changes: tuple[str, str, str]) -> list:
    """The fixed seed with some of its lines changed back to a mistake of its changelog."""
    out = []
    for rel, old, new in SEED_FIXED:
        for crel, cold, cnew in changes:
            if crel == rel and cold in new:
                new = new.replace(cold, cnew)
        out.append((rel, old, new))
    return out


DEMOS = [
    Demo("seed-as-posted", "eclone-2.6.35", "the c/r v19 patch as posted (shared/seed)", SEED),
    Demo("seed-fixed", "eclone-2.6.35", "the same, with checkpoint/ added to core-y", SEED_FIXED),
    Demo("seed-v19-prototype", "eclone-2.6.35", "fixed seed, prototypes without v19's logfd",
         seed_with(("include/linux/syscalls.h", ",\n\t\t\t       int logfd);", ");"),
                   ("include/linux/syscalls.h", ",\n\t\t\t    int logfd);", ");"))),
    Demo("seed-v16-pid", "eclone-2.6.35", "fixed seed, sys_restart's prototype before v16 (int crid)",
         seed_with(("include/linux/syscalls.h", "sys_restart(pid_t pid", "sys_restart(int crid"))),
    Demo("seed-v14-config-name", "eclone-2.6.35", "fixed seed, checkpoint/Makefile before v14 "
         "(CONFIG_CHEKCPOINT_RESTART)",
         seed_with(("checkpoint/Makefile", "CONFIG_CHECKPOINT", "CONFIG_CHEKCPOINT_RESTART"))),
    Demo("seed-v18-nodotconfig", "eclone-2.6.35", "fixed seed, check% kept in no-dot-config-targets",
         seed_with(("Makefile", "%docs checkstack", "%docs check%"))),
    Demo("seed-nr-syscalls", "eclone-2.6.35", "fixed seed, NR_syscalls not bumped",
         seed_with(("arch/x86/include/asm/unistd_32.h", "NR_syscalls 341", "NR_syscalls 339"))),

    Demo("swap-contained-names", "v2.6.33", "sys_mount and sys_oldumount swapped in the i386 table",
         [("arch/x86/kernel/syscall_table_32.S", "\t.long sys_mount\n\t.long sys_oldumount\n",
           "\t.long sys_oldumount\n\t.long sys_mount\n")]),
    Demo("sh-pwritev", "v2.6.33", "sh32's pwritev slot calls sys_writev (the 2.6.31 bug)",
         [("arch/sh/kernel/syscalls_32.S", "\t.long sys_pwritev\n", "\t.long sys_writev\n")]),
    Demo("misspelt-definition", "linux-source-6.12", "SYSCALL_DEFINE1(memfd_secrets, ...)",
         [("mm/secretmem.c", "SYSCALL_DEFINE1(memfd_secret,", "SYSCALL_DEFINE1(memfd_secrets,")]),
    Demo("removed-definition", "linux-source-6.12", "SYSCALL_DEFINE0(munlockall) made a static helper",
         [("mm/mlock.c", "SYSCALL_DEFINE0(munlockall)", "static long munlockall_gone(void)")]),
    Demo("misspelt-compat-definition", "linux-source-6.12", "COMPAT_SYSCALL_DEFINE6(io_pgetevent, ...)",
         [("fs/aio.c", "COMPAT_SYSCALL_DEFINE6(io_pgetevents,", "COMPAT_SYSCALL_DEFINE6(io_pgetevent,")]),
    Demo("listmount-arity-x86", "linux-source-6.12", "sys_listmount's prototype loses 'flags' (--arch x86)",
         [("include/linux/syscalls.h", "size_t nr_mnt_ids,\n\t\t\t      unsigned int flags);",
           "size_t nr_mnt_ids);")], ["--arch", "x86"]),
    Demo("rseq-slice-yield", "linux-source-7.3", "pristine: rseq_slice_yield is under "
         "#ifdef CONFIG_RSEQ_SLICE_EXTENSION in kernel/rseq.c", [], ["--select", "CKL404"],
         about="rseq_slice_yield"),
    Demo("ia32-uname", "eclone-2.6.35", "ia32's slot 122 back to sys_uname, as before 2.6.34's "
         "fix, while i386 calls sys_newuname", [("arch/x86/ia32/ia32entry.S", "\t.quad sys_newuname\n",
                                                  "\t.quad sys_uname\n")]),
    Demo("s390-tkill-wrapper", "v2.6.24", "pristine: s390's 31-bit column calls sys_tkill, "
         "sys_tgkill directly", [], ["--select", "CKL109"]),
    Demo("n32-ustat-native", "linux-source-6.12", "mips n32 calls sys_ustat instead of compat_sys_ustat",
         [("arch/mips/kernel/syscalls/syscall_n32.tbl", "133\tn32\tustat\t\t\t\tcompat_sys_ustat",
           "133\tn32\tustat\t\t\t\tsys_ustat")], ["--show-notes"]),
    Demo("landlock-not-sourced", "linux-source-6.12", 'security/Kconfig without source "security/landlock/Kconfig"',
         [("security/Kconfig", 'source "security/landlock/Kconfig"\n', "")]),
    Demo("mseal-on-n-abis", "linux-source-6.12", "mseal dropped from scripts/syscall.tbl (every generic arch)",
         [("scripts/syscall.tbl", "462\tcommon\tmseal\t\t\t\tsys_mseal\n", "")]),
    Demo("m68k-reference", "linux-source-6.12", "m68k's cachestat row dropped, checked with --arch m68k",
         [("arch/m68k/kernel/syscalls/syscall.tbl", "451\tcommon\tcachestat\t\t\tsys_cachestat\n", "")],
         ["--arch", "m68k"]),
    Demo("arm-last-call", "v2.6.33", "arm calls.S loses its last CALL() before the padding",
         [("arch/arm/kernel/calls.S", "/* 365 */\tCALL(sys_recvmmsg)\n", "")]),
    Demo("arm-private", "linux-source-6.12", "arm_syscall() loses its cacheflush case",
         [("arch/arm/kernel/traps.c", "\tcase NR(cacheflush):\n", "")]),
    Demo("kconfig-line", "linux-source-6.12", "init/Kconfig: 'depends on MMU &&' added to SYSVIPC",
         [("init/Kconfig", 'config SYSVIPC\n\tbool "System V IPC"\n\thelp\n',
           'config SYSVIPC\n\tbool "System V IPC"\n\tdepends on MMU &&\n\thelp\n')]),
]


def run(tree: Path, args: list[str]) -> dict:
    with tempfile.NamedTemporaryFile(suffix=".json") as out:
        subprocess.run([sys.executable, "-m", "ckptlint", "check", str(tree), "--format", "json",
                        "-o", out.name, *args], check=False, capture_output=True)
        return json.loads(Path(out.name).read_text())


def plant(root: Path, demo: Demo, scratch: Path) -> Path:
    copy = scratch / demo.name
    subprocess.run(["cp", "-al", str(root / demo.tree), str(copy)], check=True)
    for rel, old, new in demo.edits:
        path = copy / rel
        if old is None:  # a new file
            if path.exists():
                raise SystemExit(f"{demo.name}: {rel} exists already")
            path.parent.mkdir(parents=True, exist_ok=True)
            path.write_text(new, encoding="utf-8")
            continue
        text = path.read_text(encoding="utf-8", errors="surrogateescape")
        if text.count(old) != 1:
            raise SystemExit(f"{demo.name}: {rel}: the text to replace occurs {text.count(old)} times")
        path.unlink()  # a new file, not a write through the hard link
        path.write_text(text.replace(old, new), encoding="utf-8", errors="surrogateescape")
    return copy


def introduced(before: dict | None, after: dict, about: str | None = None) -> list[dict]:
    """The findings of ``after`` that ``before`` lacks, matched by fingerprint (which
    leaves out line numbers: a finding that only moved is not new), and by message
    for findings that regrouped (one finding a gate, its first line moved)."""
    if before is None:
        return [f for f in after["findings"] if about is None or about in f["message"]]
    seen = {f["fingerprint"] for f in before["findings"]}
    said = {(f["rule"], f["message"]) for f in before["findings"]}
    return [f for f in after["findings"] if f["fingerprint"] not in seen
            and (f["rule"], f["message"]) not in said]


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("realtrees")
    parser.add_argument("--only", nargs="*")
    parser.add_argument("--markdown")
    args = parser.parse_args()
    root = Path(args.realtrees)
    rows = []
    with tempfile.TemporaryDirectory() as scratch:
        baselines: dict[tuple[str, tuple[str, ...]], dict] = {}
        for demo in DEMOS:
            if args.only and demo.name not in args.only:
                continue
            if not demo.edits:  # a pristine tree's own finding
                new = introduced(None, run(root / demo.tree, demo.args), demo.about)
            else:
                key = (demo.tree, tuple(demo.args))
                if key not in baselines:
                    baselines[key] = run(root / demo.tree, demo.args)
                copy = plant(root, demo, Path(scratch))
                new = introduced(baselines[key], run(copy, demo.args))
                shutil.rmtree(copy)
            rows.append((demo, new))
            print(f"== {demo.name} ({demo.tree}): {demo.what}")
            for f in new:
                print(f"   {f['severity']} {f['rule']} {f['path']}:{f['line']}: {f['message'][:160]}")
    if args.markdown:
        lines = ["| demo | tree | edit | findings it introduces |", "| --- | --- | --- | --- |"]
        for demo, new in rows:
            found = "<br>".join(f"{f['severity']} {f['rule']} `{f['path']}:{f['line']}`" for f in new) or "none"
            lines.append(f"| {demo.name} | {demo.tree} | {demo.what}"
                         f"{' (' + ' '.join(demo.args) + ')' if demo.args else ''} | {found} |")
        Path(args.markdown).write_text("\n".join(lines) + "\n")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
