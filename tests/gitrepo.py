"""Temporary git kernel trees for series, check-patch and pre-commit tests."""

from __future__ import annotations

import os
import shutil
import subprocess
from pathlib import Path

from samples import ROOT

#: A fixed identity and no user/system config, so commits are reproducible anywhere.
GIT_ENV = {**{k: v for k, v in os.environ.items() if not k.startswith("GIT_")},
           "GIT_CONFIG_NOSYSTEM": "1", "GIT_CONFIG_GLOBAL": os.devnull,
           "GIT_AUTHOR_NAME": "Test", "GIT_AUTHOR_EMAIL": "test@example.org",
           "GIT_COMMITTER_NAME": "Test", "GIT_COMMITTER_EMAIL": "test@example.org",
           "GIT_AUTHOR_DATE": "2010-03-17T12:00:00Z", "GIT_COMMITTER_DATE": "2010-03-17T12:00:00Z"}


def git(repo: Path, *args: str, stdin: bytes | None = None) -> bytes:
    """Run git in ``repo`` (tests only; ckptlint itself goes through gitview)."""
    done = subprocess.run(["git", "-C", str(repo), *args], input=stdin, capture_output=True,
                          env=GIT_ENV, check=True)
    return done.stdout


def make_repo(dest: Path, base: str = "clean-2.6.33") -> Path:
    """A git work tree holding sample tree ``base`` as its first commit."""
    shutil.copytree(ROOT / base, dest)
    git(dest, "init", "-q", "-b", "main")
    git(dest, "add", "-A")
    git(dest, "commit", "-q", "-m", f"{base} sample tree")
    return dest


def edit(path: Path, old: str, new: str) -> None:
    """Replace the one occurrence of ``old`` in ``path``."""
    text = path.read_text()
    assert text.count(old) == 1, f"{path}: '{old}' occurs {text.count(old)} times"
    path.write_text(text.replace(old, new))


def commit_all(repo: Path, message: str) -> str:
    """Stage everything, commit, return the commit's full name."""
    git(repo, "add", "-A")
    git(repo, "commit", "-q", "-m", message)
    return git(repo, "rev-parse", "HEAD").decode().strip()


def snapshot(root: Path) -> dict[str, bytes]:
    """Every file under ``root`` (the .git directory included) with its bytes."""
    return {p.relative_to(root).as_posix(): p.read_bytes()
            for p in sorted(root.rglob("*")) if p.is_file() and not p.is_symlink()}


def add_frob(repo: Path) -> None:
    """Wire a new syscall sys_frob correctly on every arch of the sample (all its files),
    with the flags argument adding-syscalls.rst asks for (CKL704)."""
    edit(repo / "arch/arm/include/asm/unistd.h", "#define __NR_getpid\t\t\t(__NR_SYSCALL_BASE+  8)\n",
         "#define __NR_getpid\t\t\t(__NR_SYSCALL_BASE+  8)\n#define __NR_frob\t\t\t(__NR_SYSCALL_BASE+  9)\n")
    edit(repo / "arch/arm/kernel/calls.S", "\t\tCALL(sys_getpid)\n", "\t\tCALL(sys_getpid)\n\t\tCALL(sys_frob)\n")
    edit(repo / "arch/s390/include/asm/unistd.h", "#define __NR_restart             10\n#define NR_syscalls 11",
         "#define __NR_restart             10\n#define __NR_frob                11\n#define NR_syscalls 12")
    edit(repo / "arch/s390/kernel/syscalls.S", "\t\t/* 10 */\n",
         "\t\t/* 10 */\nSYSCALL(sys_frob,sys_frob,sys32_frob_wrapper)\n")
    entry = repo / "arch/s390/kernel/entry.S"
    entry.write_text(entry.read_text() + "\nENTRY(sys32_frob_wrapper)\n\tlgfr\t%r2,%r2\n\tjg\tsys_frob\n")
    edit(repo / "arch/x86/include/asm/unistd_32.h", "#define __NR_restart\t\t10\n",
         "#define __NR_restart\t\t10\n#define __NR_frob\t\t11\n")
    edit(repo / "arch/x86/include/asm/unistd_32.h", "#define NR_syscalls 11", "#define NR_syscalls 12")
    edit(repo / "arch/x86/kernel/syscall_table_32.S", "\t.long sys_restart\t/* 10 */\n",
         "\t.long sys_restart\t/* 10 */\n\t.long sys_frob\n")
    edit(repo / "arch/x86/include/asm/unistd_64.h", "__SYSCALL(__NR_exit, sys_exit)\n",
         "__SYSCALL(__NR_exit, sys_exit)\n#define __NR_frob\t\t\t\t7\n__SYSCALL(__NR_frob, sys_frob)\n")
    edit(repo / "include/linux/syscalls.h", "\n#endif",
         "asmlinkage long sys_frob(int level, unsigned int flags);\n\n#endif")
    sys_c = repo / "kernel/sys.c"
    sys_c.write_text(sys_c.read_text()
                     + "\nSYSCALL_DEFINE2(frob, int, level, unsigned int, flags)\n{\n\treturn level;\n}\n")


def swap_frob(repo: Path) -> None:
    """Put sys_frob before sys_restart: both leave their table positions."""
    edit(repo / "arch/x86/kernel/syscall_table_32.S", "\t.long sys_restart\t/* 10 */\n\t.long sys_frob\n",
         "\t.long sys_frob\n\t.long sys_restart\t/* 10 */\n")


def unswap_frob(repo: Path) -> None:
    """Put sys_frob back at 11."""
    edit(repo / "arch/x86/kernel/syscall_table_32.S", "\t.long sys_frob\n\t.long sys_restart\t/* 10 */\n",
         "\t.long sys_restart\t/* 10 */\n\t.long sys_frob\t\t/* 11 */\n")
