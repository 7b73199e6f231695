"""Tests for ckptlint.extract.kbuild (Kbuild descent) on tiny synthetic trees."""

from __future__ import annotations

import os
import textwrap
from pathlib import Path

import pytest

from ckptlint.extract.kbuild import KbuildModel, extract, scope_of
from ckptlint.extract.makefile import c_and, c_not, c_or, render
from ckptlint.facts import Location
from ckptlint.tree import KernelTree

# A 2.6-style top Makefile; {core} is appended to the core-y line (line 11).
TOP_26 = """\
VERSION = 2
PATCHLEVEL = 6
no-dot-config-targets := clean mrproper \\
\t\t\t cscope help check% \\
\t\t\t kernelversion
no-dot-config-targets += headers_%
SRCARCH := $(ARCH)
init-y := init/
core-y := usr/
include $(srctree)/arch/$(SRCARCH)/Makefile
core-y += kernel/ mm/{core}
core-y := $(patsubst %/, %/built-in.o, $(core-y))
"""

ARCH_26 = """\
ifeq ($(CONFIG_X86_32),y)
        BITS := 32
else
        BITS := 64
endif
export BITS
head-y := arch/x86/kernel/head_$(BITS).o
core-y += arch/x86/
libs-y += arch/x86/lib/
drivers-$(CONFIG_PCI) += arch/x86/pci/
"""

KERNEL_MK = """\
#
# Makefile for the kernel
#
obj-y = sys.o
obj-y += sys_ni.o
"""


def make_tree(root: Path, files: dict[str, str]) -> KernelTree:
    """Write a tiny kernel-like tree (top Makefile + arch/x86) and open it."""
    base = {"Makefile": TOP_26.format(core=""), "arch/x86/Kconfig": "",
            "arch/x86/Makefile": ARCH_26, "arch/x86/Kbuild": "obj-y += kernel/\n",
            "kernel/Makefile": KERNEL_MK}
    base.update(files)
    for rel, text in base.items():
        path = root / rel
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(text)
    return KernelTree(root)


def run(tmp_path: Path, files: dict[str, str]) -> KbuildModel:
    return extract(make_tree(tmp_path, files), "x86")


def obj(model: KbuildModel, path: str) -> tuple[str, Location]:
    found = model.objects[path]
    return found.condition, found.loc


def test_checkpoint_not_in_core_y_is_not_reached(tmp_path: Path) -> None:
    model = run(tmp_path, {"checkpoint/Makefile": "obj-$(CONFIG_CHECKPOINT) += sys.o\n"})
    assert "checkpoint/sys.o" not in model.objects
    assert model.condition_for_source("checkpoint/sys.c") is None
    assert not model.is_reached("checkpoint")
    assert "checkpoint/Makefile" not in model.makefiles
    assert model.condition_for_source("kernel/sys.c") == "y"


def test_checkpoint_in_core_y(tmp_path: Path) -> None:
    ckpt = "#\n# checkpoint\n#\n\nobj-$(CONFIG_CHECKPOINT) += sys.o \\\n\tobjhash.o\n"
    model = run(tmp_path, {"Makefile": TOP_26.format(core=" checkpoint/"),
                           "checkpoint/Makefile": ckpt})
    assert obj(model, "checkpoint/sys.o") == ("CHECKPOINT", Location("checkpoint/Makefile", 5))
    assert obj(model, "checkpoint/objhash.o") == ("CHECKPOINT", Location("checkpoint/Makefile", 6))
    assert model.condition_for_source("checkpoint/sys.c") == "CHECKPOINT"
    assert model.is_reached("checkpoint/")
    assert model.reached_dirs["checkpoint/"].loc == Location("Makefile", 11)
    tops = {d.path: (d.condition, d.loc) for d in model.top_dirs}
    assert tops["checkpoint/"] == ("y", Location("Makefile", 11))
    assert tops["init/"] == ("y", Location("Makefile", 8))
    assert tops["arch/x86/"] == ("y", Location("arch/x86/Makefile", 8))
    assert tops["arch/x86/pci/"] == ("PCI", Location("arch/x86/Makefile", 10))
    # the patsubst line turns dirs into built-in.o: not new directories
    assert not any(d.path.endswith("built-in.o/") for d in model.top_dirs)


def test_arch_kbuild_bits_and_head(tmp_path: Path) -> None:
    model = run(tmp_path, {"arch/x86/kernel/Makefile":
                           "extra-y := head_$(BITS).o\nobj-y := process_$(BITS).o traps.o\n"})
    assert obj(model, "arch/x86/kernel/process_32.o") == ("X86_32", Location("arch/x86/kernel/Makefile", 2))
    assert obj(model, "arch/x86/kernel/process_64.o")[0] == "!X86_32"
    assert obj(model, "arch/x86/kernel/traps.o")[0] == "y"
    assert obj(model, "arch/x86/kernel/head_32.o") == ("X86_32", Location("arch/x86/Makefile", 7))
    assert model.reached_dirs["arch/x86/kernel/"].loc == Location("arch/x86/Kbuild", 1)
    assert "arch/x86/Kbuild" in model.makefiles and "arch/x86/Makefile" in model.makefiles


def test_kbuild_file_wins_over_makefile(tmp_path: Path) -> None:
    model = run(tmp_path, {"mm/Kbuild": "obj-y += fromkbuild.o\n",
                           "mm/Makefile": "obj-y += frommakefile.o\n"})
    assert "mm/fromkbuild.o" in model.objects
    assert "mm/frommakefile.o" not in model.objects


NESTED = """\
obj-y = sys.o
ifeq ($(CONFIG_A),y)
  ifdef CONFIG_B
    obj-y += ab.o
  else
    obj-y += a_not_b.o
  endif
endif
ifneq ($(CONFIG_C),)
obj-y += c.o
endif
ifndef CONFIG_D
obj-y += not_d.o
endif
ifeq ($(CONFIG_E),m)
obj-y += e_mod.o
else ifeq ($(CONFIG_F),y)
obj-y += f.o
else
obj-y += neither.o
endif
ifeq "$(CONFIG_G)" "y"
obj-$(CONFIG_H) += gh.o
endif
obj-$(subst m,y,$(CONFIG_HYPERV)) += hyperv/
"""


def test_nested_conditionals_are_conjunctions(tmp_path: Path) -> None:
    model = run(tmp_path, {"kernel/Makefile": NESTED, "kernel/hyperv/Makefile": "obj-y := hv.o\n"})
    assert obj(model, "kernel/ab.o") == ("A && B", Location("kernel/Makefile", 4))
    assert obj(model, "kernel/a_not_b.o")[0] == "A && !B"
    assert obj(model, "kernel/c.o")[0] == "C"
    assert obj(model, "kernel/not_d.o")[0] == "!D"
    assert obj(model, "kernel/e_mod.o")[0] == "E = m"
    assert obj(model, "kernel/f.o")[0] == "!(E = m) && F"
    assert obj(model, "kernel/neither.o")[0] == "!(E = m || F)"
    assert obj(model, "kernel/gh.o")[0] == "G && H"
    assert model.reached_dirs["kernel/hyperv/"].condition == "HYPERV"
    assert model.condition_for_source("kernel/hyperv/hv.c") == "HYPERV"


def test_dir_conditions_multiply_down_the_tree(tmp_path: Path) -> None:
    model = run(tmp_path, {
        "kernel/Makefile": "obj-$(CONFIG_BPF) += bpf/\nsubdir-$(CONFIG_X) += sub\n"
                           "subdir-ccflags-y += notadir\n",
        "kernel/bpf/Makefile": "obj-$(CONFIG_BPF_SYSCALL) += syscall.o\n",
        "kernel/sub/Makefile": "obj-y += s.o\n",
        "kernel/notadir/Makefile": "obj-y += n.o\n",
    })
    assert model.condition_for_source("kernel/bpf/syscall.c") == "BPF && BPF_SYSCALL"
    assert model.condition_for_source("kernel/sub/s.c") == "X"
    assert not model.is_reached("kernel/notadir/")


def test_composite_objects(tmp_path: Path) -> None:
    mk = """\
obj-$(CONFIG_FOO) += foo.o
foo-y := a.o b.o
foo-$(CONFIG_BAR) += c.o
obj-m += bar.o
bar-objs := d.o
lib-y += l.o
obj-$(CONFIG_P) += shared.o
obj-$(CONFIG_Q) += shared.o
"""
    model = run(tmp_path, {"kernel/Makefile": mk})
    assert model.condition_for_source("kernel/a.c") == "FOO"
    assert model.objects["kernel/a.o"].loc == Location("kernel/Makefile", 2)
    assert model.condition_for_source("kernel/c.c") == "FOO && BAR"
    assert model.condition_for_source("kernel/d.S") == "y"
    assert model.condition_for_source("kernel/l.c") == "y"
    assert obj(model, "kernel/shared.o") == ("P || Q", Location("kernel/Makefile", 7))
    assert model.condition_for_source("kernel/foo.c") == "FOO"


def test_no_dot_config_patterns_with_exact_lines(tmp_path: Path) -> None:
    model = run(tmp_path, {})
    got = [(p.pattern, p.loc.line) for p in model.no_dot_config]
    assert got == [("clean", 3), ("mrproper", 3), ("cscope", 4), ("help", 4), ("check%", 4),
                   ("kernelversion", 5), ("headers_%", 6)]
    assert all(p.loc.path == "Makefile" for p in model.no_dot_config)


def test_shell_is_never_run_and_is_recorded(tmp_path: Path) -> None:
    mk = ("obj-y := sys.o\n"
          "obj-y += safe.o \\\n"
          "\t$(shell touch PWNED) \\\n"
          "\tother.o\n"
          "X != touch PWNED2\n"
          "ifeq ($(shell touch PWNED3),)\n"
          "obj-y += maybe.o\n"
          "endif\n")
    cwd = os.getcwd()
    model = run(tmp_path, {"kernel/Makefile": mk})
    for name in ("PWNED", "PWNED2", "PWNED3"):
        assert not (tmp_path / name).exists() and not (tmp_path / "kernel" / name).exists()
        assert not Path(cwd, name).exists()
    assert {"kernel/safe.o", "kernel/other.o", "kernel/maybe.o"} <= set(model.objects)
    shell = [loc for msg, loc in model.dynamic if "$(shell touch PWNED)" in msg]
    assert shell == [Location("kernel/Makefile", 3)]
    unknown = [loc for msg, loc in model.dynamic if "condition not evaluated" in msg]
    assert unknown == [Location("kernel/Makefile", 6)]
    assert model.objects["kernel/maybe.o"].condition == "y"


def test_unknown_condition_either_branch(tmp_path: Path) -> None:
    mk = """\
cc-name := $(shell $(CC) -v 2>&1 | grep -q clang && echo clang)
ifeq ($(cc-name),clang)
KBUILD_CFLAGS += -foo
obj-y += clang.o
else
obj-y += gcc.o
endif
ifeq ($(cc-name),clang)
KBUILD_CFLAGS += -bar
endif
"""
    model = run(tmp_path, {"kernel/Makefile": mk})
    assert model.condition_for_source("kernel/clang.c") == "y"
    assert model.condition_for_source("kernel/gcc.c") == "y"
    assert [loc.line for _, loc in model.dynamic] == [2]


def test_include_cycle_terminates(tmp_path: Path) -> None:
    model = run(tmp_path, {
        "kernel/Makefile": "include $(srctree)/$(src)/a.mk\nobj-y += k.o\n",
        "kernel/a.mk": "obj-y += a.o\ninclude $(srctree)/kernel/b.mk\n",
        "kernel/b.mk": "obj-y += b.o\ninclude kernel/a.mk\n-include kernel/missing.mk\n",
    })
    assert {"kernel/a.o", "kernel/b.o", "kernel/k.o"} <= set(model.objects)
    assert model.objects["kernel/b.o"].loc == Location("kernel/b.mk", 1)
    assert "kernel/a.mk" in model.makefiles and "kernel/b.mk" in model.makefiles


def test_include_outside_tree_not_followed(tmp_path: Path) -> None:
    outside = tmp_path.parent / "outside.mk"
    outside.write_text("obj-y += evil.o\n")
    model = run(tmp_path / "t", {"kernel/Makefile": f"include {outside}\ninclude ../../outside.mk\n"})
    assert not any("evil" in path for path in model.objects)


def test_comments_recipes_and_defines(tmp_path: Path) -> None:
    mk = """\
obj-y += real.o # fake.o
# obj-y += commented.o
define cmd_x
obj-y += indefine.o
endef
ifdef CONFIG_W
$(warning W: not a rule)
\tobj-y += tabbed.o
endif
$(obj)/gen.c: FORCE
\tobj-y += recipe.o
obj-y += after.o
"""
    model = run(tmp_path, {"kernel/Makefile": mk})
    names = {p.rsplit("/", 1)[-1] for p in model.objects if p.startswith("kernel/")}
    assert {"real.o", "after.o"} <= names
    assert model.objects["kernel/tabbed.o"].condition == "W"
    assert not names & {"fake.o", "commented.o", "indefine.o", "recipe.o"}


def test_config_refs_exact_lines(tmp_path: Path) -> None:
    mk = "obj-$(CONFIG_A) += a.o \\\n\tb.o $(if $(CONFIG_B),c.o)\n# CONFIG_COMMENTED\n"
    model = run(tmp_path, {"kernel/Makefile": mk})
    refs = [(r.symbol, r.loc.line) for r in model.config_refs if r.loc.path == "kernel/Makefile"]
    assert refs == [("A", 1), ("B", 2)]
    assert ("X86_32", Location("arch/x86/Makefile", 1)) in [(r.symbol, r.loc) for r in model.config_refs]
    assert model.condition_for_source("kernel/c.c") == "A && B"


def test_modern_top_kbuild(tmp_path: Path) -> None:
    top = ("no-dot-config-targets := clean\n"
           "libs-y := lib/\n"
           "include $(srctree)/arch/$(SRCARCH)/Makefile\n"
           "export ARCH_LIB := $(filter %/, $(libs-y))\n")
    kbuild = "obj-y += init/ kernel/\nobj-y += arch/$(SRCARCH)/\nobj-$(CONFIG_NET) += net/\nobj-y += $(ARCH_LIB)\n"
    model = run(tmp_path, {"Makefile": top, "Kbuild": kbuild, "net/Makefile": "obj-y += socket.o\n",
                           "lib/Makefile": "lib-y += string.o\n"})
    tops = {d.path: (d.condition, d.loc) for d in model.top_dirs}
    assert tops["init/"] == ("y", Location("Kbuild", 1))
    assert tops["net/"] == ("NET", Location("Kbuild", 3))
    assert tops["lib/"] == ("y", Location("Makefile", 2))
    assert model.condition_for_source("net/socket.c") == "NET"
    assert model.condition_for_source("lib/string.c") == "y"
    assert model.condition_for_source("kernel/sys.c") == "y"


def test_conditions_render_in_kconfig_syntax() -> None:
    assert render(c_or(c_and("A", "B"), c_and("A", "C"))) == "A && (B || C)"
    assert render(c_and("A", c_not(c_or("B", "C")))) == "A && !(B || C)"
    assert render(c_or("A", c_not("A"))) == "y"
    assert render(c_and("A", c_not("A"))) == "n"


@pytest.mark.realtree
def test_real_tree() -> None:
    root = os.environ.get("CKPTLINT_REALTREE")
    if not root:
        pytest.skip("CKPTLINT_REALTREE is not set (path of a real kernel tree)")
    model = extract(KernelTree(root), "x86")
    assert model.objects["kernel/sys.o"].condition == "y"
    assert "kernel/sys_ni.o" in model.objects
    assert model.is_reached("kernel/") and model.is_reached("arch/x86/kernel/")
    assert any(p.pattern == "check%" for p in model.no_dot_config)


def test_int_symbol_inside_an_object_name_takes_its_kconfig_values(tmp_path: Path) -> None:
    # 2.6.33 powerpc: obj-$(CONFIG_PCI) += pci_$(CONFIG_WORD_SIZE).o, and
    # WORD_SIZE is "default 64 if PPC64" / "default 32 if !PPC64"
    model = run(tmp_path, {
        "arch/x86/Kconfig": "config WORD_SIZE\n\tint\n\tdefault 64 if PPC64\n"
                            "\tdefault 32 if !PPC64\n\nconfig PCI\n\tbool \"PCI\"\n",
        "arch/x86/kernel/Makefile": "obj-y := traps.o\nobj-$(CONFIG_PCI) += pci_$(CONFIG_WORD_SIZE).o\n"
                                    "obj-y += odd_$(CONFIG_UNKNOWN).o\n"})
    assert obj(model, "arch/x86/kernel/pci_64.o") == ("PCI && PPC64",
                                                      Location("arch/x86/kernel/Makefile", 2))
    assert obj(model, "arch/x86/kernel/pci_32.o")[0] == "PCI && !PPC64"
    # a symbol without plain defaults keeps the old reading: built when it is set
    assert obj(model, "arch/x86/kernel/odd_y.o")[0] == "UNKNOWN"


# -- one evaluation per directory, shared between srcarches -----------------------
SHARED_FILES = {
    "arch/arm/Kconfig": "",
    "arch/arm/Makefile": "export BITS := 32\ncore-y += arch/arm/\n",
    "arch/arm/Kbuild": "obj-y += kernel/\n",
    "arch/x86/Kbuild": "obj-y += kernel/\n",
    "arch/arm/kernel/Makefile": "obj-y += traps.o\n",
    "arch/x86/kernel/Makefile": "obj-y += traps.o\n",
    # reads nothing inherited that differs between arches: evaluated once
    "mm/Makefile": "obj-y := slab.o\nobj-$(CONFIG_NUMA) += numa.o\n",
    # reads $(SRCARCH) and the exported $(BITS): evaluated once per arch
    "kernel/Makefile": KERNEL_MK + "obj-y += entry_$(SRCARCH).o\nobj-y += uid$(BITS).o\n",
}


def test_a_directory_read_the_same_way_by_two_arches_is_evaluated_once(tmp_path):
    tree = make_tree(tmp_path, SHARED_FILES)
    x86, arm = extract(tree, "x86"), extract(tree, "arm")
    evals = tree.__dict__["_kbuild_evals"]
    assert len(evals[("mm/Makefile", "mm/")]) == 1
    assert len(evals[("kernel/Makefile", "kernel/")]) == 2
    def arch_objects(model):
        return {p: o.condition for p, o in model.objects.items() if p.startswith(("kernel/entry", "kernel/uid"))}
    # x86's BITS is 32 or 64 by CONFIG_X86_32; arm exports 32
    assert arch_objects(x86) == {"kernel/entry_x86.o": "y", "kernel/uid32.o": "X86_32",
                                 "kernel/uid64.o": "!X86_32"}
    assert arch_objects(arm) == {"kernel/entry_arm.o": "y", "kernel/uid32.o": "y"}
    assert arm.objects["mm/numa.o"].condition == x86.objects["mm/numa.o"].condition == "NUMA"
    # each descent still lists the files it read and their CONFIG_ references
    assert "mm/Makefile" in arm.makefiles and "mm/Makefile" in x86.makefiles
    assert [(r.symbol, r.loc) for r in arm.config_refs if r.loc.path == "mm/Makefile"] == \
        [("NUMA", Location("mm/Makefile", 2))]


def test_shared_evaluations_give_what_separate_evaluations_give(tmp_path):
    shared = make_tree(tmp_path / "a", SHARED_FILES)
    models = {arch: extract(shared, arch) for arch in ("x86", "arm")}
    for arch in ("arm", "x86"):  # a fresh tree per arch: nothing to share
        assert extract(make_tree(tmp_path / arch, SHARED_FILES), arch) == models[arch]


def test_a_shared_directory_reached_under_other_conditions_keeps_each_arch_s(tmp_path):
    """One evaluation of lib/Makefile serves both arches; its objects are combined
    with each arch's condition for reaching lib/, and an object listed twice gets
    the OR of its conditions at its first line, as separate evaluations give."""
    files = {**SHARED_FILES,
             "arch/arm/Makefile": SHARED_FILES["arch/arm/Makefile"] + "core-$(CONFIG_ARM_LPAE) += lib/\n",
             "arch/x86/Makefile": ARCH_26 + "core-y += lib/\n",
             "lib/Makefile": "obj-y += a.o\nobj-$(CONFIG_B) += b.o\nobj-$(CONFIG_C) += b.o c.o\n"}
    tree = make_tree(tmp_path / "shared", files)
    models = {arch: extract(tree, arch) for arch in ("x86", "arm", "x86")}  # x86 again: all shared
    assert len(tree.__dict__["_kbuild_evals"][("lib/Makefile", "lib/")]) == 1
    lib = {arch: {p: (o.condition, o.loc.line) for p, o in model.objects.items() if p.startswith("lib/")}
           for arch, model in models.items()}
    assert lib["x86"] == {"lib/": ("y", 11), "lib/a.o": ("y", 1), "lib/b.o": ("B || C", 2), "lib/c.o": ("C", 3)}
    assert lib["arm"] == {"lib/": ("ARM_LPAE", 3), "lib/a.o": ("ARM_LPAE", 1),
                          "lib/b.o": ("ARM_LPAE && (B || C)", 2), "lib/c.o": ("ARM_LPAE && C", 3)}
    for arch in ("arm", "x86"):
        assert extract(make_tree(tmp_path / arch, files), arch) == models[arch]


def test_a_scoped_descent_evaluates_only_what_the_wanted_files_need(tmp_path: Path) -> None:
    # mm/ holds nothing asked about: its Makefile is not evaluated, and the model says it
    # does not know how mm/ files are built rather than "never built"
    tree = make_tree(tmp_path, {"mm/Makefile": "obj-$(CONFIG_MMU) += mmap.o\n"})
    scope = scope_of(tree, frozenset({"kernel/"}))
    assert scope == frozenset({"kernel/"})
    model = extract(tree, "x86", scope)
    assert model.condition_for_source("kernel/sys.c") == "y"
    assert "mm/Makefile" not in model.makefiles
    assert model.covers("kernel/sys.c") and not model.covers("mm/mmap.c")
    assert model.is_reached("mm/")  # the edge from the top Makefile is still known
    assert extract(tree, "x86").condition_for_source("mm/mmap.c") == "MMU"


def test_a_makefile_reaching_outside_its_subtree_is_in_every_scope(tmp_path: Path) -> None:
    # drivers/frob/Makefile builds ../../kernel/frob.c: a descent scoped to kernel/
    # must evaluate it, or kernel/frob.c would look never built
    tree = make_tree(tmp_path, {
        "Makefile": TOP_26.format(core=" drivers/"),
        "drivers/Makefile": "obj-$(CONFIG_FROB) += frob/\nobj-y += char/\n",
        "drivers/frob/Makefile": "obj-y += ../../kernel/frob.o\n",
        "drivers/char/Makefile": "obj-y += mem.o\nccflags-y += -I$(srctree)/include\n",
        "kernel/frob.c": ""})
    scope = scope_of(tree, frozenset({"kernel/"}))
    assert scope == frozenset({"kernel/", "drivers/", "drivers/frob/"})
    model = extract(tree, "x86", scope)
    assert obj(model, "kernel/frob.o") == ("FROB", Location("drivers/frob/Makefile", 1))
    assert "drivers/char/Makefile" not in model.makefiles


def test_the_graph_asks_a_full_descent_about_a_file_outside_the_scope(tmp_path: Path) -> None:
    from ckptlint.graph.factgraph import FactGraph, Facts

    tree = make_tree(tmp_path, {"mm/Makefile": "obj-$(CONFIG_MMU) += mmap.o\n"})
    scoped = extract(tree, "x86", scope_of(tree, frozenset({"kernel/"})))
    graph = FactGraph(Facts(tree=tree, kbuild={"x86": scoped}))
    assert graph.gate("kernel/sys.c", "x86") == "y"
    assert graph.kbuild("x86", "kernel/sys.c") is scoped
    assert graph.gate("mm/mmap.c", "x86") == "MMU"  # not "never built"
    assert graph.kbuild("x86", "mm/mmap.c").scope is None
