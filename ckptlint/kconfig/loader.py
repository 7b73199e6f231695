"""Load one architecture's Kconfig tree into a KconfigModel, safely and deterministically."""

from __future__ import annotations

import logging
import posixpath
import time

import kconfiglib

from ckptlint.facts import Location
from ckptlint.kconfig.environ import environment, fixed_environ
from ckptlint.kconfig.model import ArchConfig, KconfigModel
from ckptlint.memory import gc_paused  # noqa: F401 - also imported from here
from ckptlint.kconfig.parser import ParseState, TreeKconfig, sources_from_tree, tolerate_dep_loops
from ckptlint.tree import KernelTree

LOG = logging.getLogger(__name__)

#: The host kbuild is assumed to run on (SUBARCH); for ARCH=um it is the guest's base too.
ASSUMED_SUBARCH = "x86"

#: Loaded models by (tree identity, arch label). A tree's identity is its root
#: unless the caller gives another (series mode: one per commit; an overlay:
#: its own), so a path re-checked with other content gets other models.
_CACHE: dict[tuple[str, str], KconfigModel] = {}
#: Tree identities whose models are kept, least recently loaded first. A
#: process that checks tree after tree (the fuzz campaigns, an embedding tool)
#: kept every model it ever made; four covers a series step (the commit before
#: and the next), check-patch (base and patched) and --staged (HEAD and index).
_MAX_TREES = 4

def arch_configs(tree: KernelTree) -> list[ArchConfig]:
    """The configurations to check: one per SRCARCH, two for x86 (i386, x86_64) and sparc.

    x86 is only reachable through ARCH=i386 / ARCH=x86_64 (both SRCARCH=x86;
    in 2.6.24-2.6.33 there is no arch/i386 or arch/x86_64; before 2.6.24 those are
    SRCARCHes of their own, configured as themselves). A merged sparc gets "sparc"
    (ARCH=sparc32 where the top Makefile knows that alias, else ARCH=sparc, which
    leaves 64BIT user-selectable) and "sparc64". um is only listed when
    arch/um/Kconfig exists (6.x); 2.6 trees configure um from
    arch/um/Kconfig.$(HEADER_ARCH) via KBUILD_KCONFIG, which is skipped here.
    """
    makefile = tree.read_text("Makefile") or ""
    out: list[ArchConfig] = []
    for srcarch in tree.srcarches:
        if srcarch == "x86":
            out.append(ArchConfig("i386", "i386", "x86", ASSUMED_SUBARCH))
            out.append(ArchConfig("x86_64", "x86_64", "x86", ASSUMED_SUBARCH))
        elif srcarch == "sparc" and "sparc64" not in tree.srcarches:  # merged in 2.6.28
            arch32 = "sparc32" if "$(ARCH),sparc32)" in makefile else "sparc"
            out.append(ArchConfig("sparc", arch32, "sparc", ASSUMED_SUBARCH))
            out.append(ArchConfig("sparc64", "sparc64", "sparc", ASSUMED_SUBARCH))
        elif srcarch == "um" and _um_per_host(tree):  # 2.6: one per host
            out += [ArchConfig(f"um-{host}", "um", "um", host) for host in UM_HOSTS_26]
        else:
            out.append(ArchConfig(srcarch, srcarch, srcarch, ASSUMED_SUBARCH))
    return out


#: The SUBARCHes 2.6's um builds on, each with its arch/um/Kconfig.$(SUBARCH).
UM_HOSTS_26 = ("i386", "x86_64")


def _um_per_host(tree: KernelTree) -> bool:
    """2.6's um: configured from arch/um/Kconfig.$(SUBARCH) (Kconfig_i386 in 2.6.12)."""
    return tree.is_file("arch/um/Kconfig.i386") or tree.is_file("arch/um/Kconfig_i386")


def load(tree: KernelTree, arch: ArchConfig, use_cache: bool = True) -> KconfigModel:
    """Parse the Kconfig tree of ``arch``; parse failures end up in ``model.error``."""
    key = (tree.identity, arch.label)
    if use_cache and key in _CACHE:
        _CACHE[key] = _CACHE.pop(key)  # used last: kept longest
        return _CACHE[key]
    root = kconfig_root(tree, arch)
    state = ParseState(tree)
    start = time.perf_counter()
    with tree.recording() as inputs:
        kconf, error = _parse(tree, root, arch, state)
    seconds = time.perf_counter() - start
    model = KconfigModel(arch, kconf, state, error, seconds, root)
    model.inputs = sorted(inputs)  # what a cached answer depends on
    LOG.debug("%s %s: %.2fs, error=%s", tree.root, arch.label, seconds, error)
    if use_cache:
        _CACHE[key] = model
        _forget_old_trees()
    return model


def kconfig_root(tree: KernelTree, arch: ArchConfig) -> str:
    """The top Kconfig file of ``arch``. 2.6.24's transition to arch/x86 (rc1-rc3) had
    no arch/x86/Kconfig: scripts/kconfig/Makefile took ``arch/$(SRCARCH)/Kconfig.$(ARCH)``
    when that file exists (arch/x86/Kconfig.i386, Kconfig.x86_64)."""
    root = tree.kconfig_root_template.format(srcarch=arch.srcarch)
    if root.startswith("arch/"):
        per_arch = f"arch/{arch.srcarch}/Kconfig.{arch.arch}"
        if "Kconfig.$(ARCH)" in (tree.read_text("scripts/kconfig/Makefile") or "") \
                and tree.is_file(per_arch):
            return per_arch
    return root


def _forget_old_trees() -> None:
    """Keep the models of the :data:`_MAX_TREES` identities used last (dicts keep order)."""
    identities = list(dict.fromkeys(identity for identity, _ in reversed(_CACHE)))
    for identity in identities[_MAX_TREES:]:
        clear_cache(identity)


def _parse(tree: KernelTree, root: str, arch: ArchConfig,
           state: ParseState) -> tuple[TreeKconfig | None, tuple[str, Location] | None]:
    """Run the parser in the fixed environment; turn tree-caused failures into an error."""
    if not tree.is_file(root):
        if tree.unreadable(root) and tree.read_text(root) is None:  # noted by the tree
            noted = [n for n in tree.notes if n.loc.path == root]
            if noted:  # unknown, not missing: the tree's note is the cause (CKL010)
                return None, (noted[0].message, noted[0].loc)
        return None, (f"top Kconfig file '{root}' is missing", Location(root, 1))
    try:
        with fixed_environ(environment(tree, arch)), gc_paused(freeze=True), \
                tolerate_dep_loops(state), sources_from_tree(tree):
            return TreeKconfig(root, state), None
    except kconfiglib.KconfigError as exc:
        return None, (_one_line(str(exc)), state.where())
    except RecursionError:
        return None, ("Kconfig nesting too deep to parse", state.where())
    except (OSError, UnicodeError) as exc:
        return None, (f"cannot read Kconfig: {exc}", state.where())


def _one_line(message: str) -> str:
    """A kconfiglib error message squeezed onto one line."""
    return " ".join(part.strip() for part in message.strip().splitlines() if part.strip())


def carry_over(old: KernelTree, new: KernelTree, changed: set[str]) -> bool:
    """Hand ``old``'s cached models to ``new`` (the same root at the next commit) when
    ``changed`` touches nothing their parse read; else forget them. True when carried.

    The top Makefile sets KERNELVERSION, and a new ``Kconfig*`` file may match
    a ``source`` glob, so changes to either always mean a new parse.
    """
    keys = [k for k in _CACHE if k[0] == old.identity]
    read = {"Makefile"}.union(*(_CACHE[k].state.files_read for k in keys))
    if changed & read or any(posixpath.basename(p).startswith("Kconfig") for p in changed):
        clear_cache(old.identity)
        return False
    for key in keys:
        model = _CACHE.pop(key)
        model.state.tree = new
        _CACHE[(new.identity, key[1])] = model
    return True


def clear_cache(identity: str | None = None) -> None:
    """Forget every cached model, or those of one tree identity."""
    for key in [k for k in _CACHE if identity is None or k[0] == identity]:
        del _CACHE[key]
