"""Tree-wide, arch-aware undefined ``CONFIG_`` references (CKL504, ``ckptlint symbols``).

Which arches can build a file:

- a Kconfig file: the arches whose Kconfig walk reads it (kconfig/fast_scan.py);
- a file under ``arch/X/``: the arches with SRCARCH X, plus those whose
  HEADER_ARCH is X (ARCH=um builds arch/x86/um and uses arch/x86 headers),
  plus those whose arch Makefiles reach into that directory with a relative
  path (arm64's ``../../arm/xen/`` and vdso32's ``../../../arm/vdso/``);
- any other file: every arch.

A reference is undefined when no arch that can build its file defines the
symbol (``CONFIG_FOO_MODULE`` is also satisfied by FOO). Files no arch builds
(arch/um of a 2.6 tree without arch/um/Kconfig, Kconfig files nothing
sources) are not checked.
"""

from __future__ import annotations

import logging
import posixpath
import re
import time
from dataclasses import dataclass, field

from ckptlint.facts import Location
from ckptlint.kconfig import names, tree_refs
from ckptlint.kconfig.environ import environment
from ckptlint.kconfig.fast_scan import ArchSymbols, KconfigScanner
from ckptlint.kconfig.loader import arch_configs
from ckptlint.kconfig.model import ArchConfig
from ckptlint.suggest import Suggester
from ckptlint.tree import KernelTree

LOG = logging.getLogger(__name__)


@dataclass(frozen=True)
class UndefinedRef:
    """One reference that no arch building its file defines.

    ``name`` is as written (after ``CONFIG_`` in sources, the bare token in
    Kconfig); ``kind`` is ``source`` or the Kconfig property (``depends on``);
    ``elsewhere`` names arches that define it but do not build the file.
    """

    name: str
    loc: Location
    kind: str
    builders: tuple[str, ...]
    elsewhere: tuple[str, ...] = ()
    defined_at: Location | None = None
    suggestion: str | None = None


@dataclass
class SymbolReport:
    """Outcome of one scan."""

    arches: list[ArchSymbols]
    undefined: list[UndefinedRef]
    files: int = 0
    references: int = 0
    in_code: set[str] = field(default_factory=set)
    timings: dict[str, float] = field(default_factory=dict)


def builders_of(path: str, by_dir: dict[str, tuple[str, ...]], everyone: tuple[str, ...]) -> tuple[str, ...]:
    """Arch labels that can build a non-Kconfig file.

    ``by_dir`` maps an arch/ subdirectory (``x86`` or ``arm/xen``) to its builders.
    """
    if not path.startswith("arch/"):
        return everyone
    parts = path.split("/", 3)
    builders = by_dir.get(parts[1], ())
    borrowed = by_dir.get("/".join(parts[1:3]), ()) if len(parts) > 3 else ()
    if not borrowed:
        return builders
    return tuple(label for label in everyone if label in builders or label in borrowed)


#: A relative path in a Makefile (``$(addprefix ../../arm/xen/, ...)``).
_RELATIVE = re.compile(r"(?<![\w.])((?:\.\./)+[\w-]+/[\w-]+)")


def borrowed_dirs(tree: KernelTree, makefiles: list[str]) -> dict[str, set[str]]:
    """``Y/dir`` -> SRCARCHes X whose arch/X Makefiles name ``arch/Y/dir`` relatively."""
    out: dict[str, set[str]] = {}
    for makefile in makefiles:
        parts = makefile.split("/")
        if parts[0] != "arch" or len(parts) < 3:
            continue
        text = tree.read_text(makefile) or ""
        for relative in _RELATIVE.findall(text):
            target = posixpath.normpath(posixpath.join(posixpath.dirname(makefile), relative))
            pieces = target.split("/")
            if len(pieces) >= 3 and pieces[0] == "arch" and pieces[1] != parts[1]:
                out.setdefault("/".join(pieces[1:3]), set()).add(parts[1])
    return out


class _Definitions:
    """Union of defined symbols per set of arches, computed once per set."""

    def __init__(self, arches: list[ArchSymbols]) -> None:
        self.by_label = {a.arch.label: a for a in arches}
        self._unions: dict[tuple[str, ...], frozenset[str]] = {}

    def union(self, labels: tuple[str, ...]) -> frozenset[str]:
        if labels not in self._unions:
            self._unions[labels] = frozenset().union(*(self.by_label[l].defined for l in labels))
        return self._unions[labels]

    def is_defined(self, name: str, labels: tuple[str, ...]) -> bool:
        defined = self.union(labels)
        return names.is_defined(name, defined)


def scan(tree: KernelTree, scope: set[str] | None = None, suggest: bool = True) -> SymbolReport:
    """Undefined references in every file some arch of ``scope`` builds (None: all arches).

    ``scope`` holds arch labels (``x86_64``) or SRCARCHes (``x86``); definitions
    always come from every arch that builds a file, in scope or not.
    """
    timings: dict[str, float] = {}
    started = time.perf_counter()
    configs = arch_configs(tree)
    scanner = KconfigScanner(tree)
    arches = [scanner.scan(config) for config in configs]
    timings["kconfig scan"] = time.perf_counter() - started
    labels = tuple(config.label for config in configs)
    in_scope = {c.label for c in configs if scope is None or c.label in scope or c.srcarch in scope}
    started = time.perf_counter()
    files = tree_refs.source_files(tree)
    by_dir = arch_dir_builders(tree, configs, files)
    paths = [p for p in files if in_scope & set(builders_of(p, by_dir, labels))]
    refs, in_code = tree_refs.extract(tree, paths)
    timings["source scan"] = time.perf_counter() - started
    report = SymbolReport(arches, [], files=len(paths), in_code=in_code, timings=timings)
    definitions = _Definitions(arches)
    found: list[UndefinedRef] = []
    for path, items in refs.items():
        builders = builders_of(path, by_dir, labels)
        report.references += len(items)
        found += [UndefinedRef(name, Location(path, line), "source", builders) for name, line in items
                  if name not in in_code and not definitions.is_defined(name, builders)]
    found += _kconfig_undefined(report, scanner, in_scope, definitions)
    started = time.perf_counter()
    report.undefined = sorted(_explain(found, definitions, labels, suggest),
                              key=lambda r: (r.loc, r.name, r.kind))
    timings["explain"] = time.perf_counter() - started
    return report


def arch_dir_builders(tree: KernelTree, configs: list[ArchConfig],
                      files: list[str]) -> dict[str, tuple[str, ...]]:
    """arch/ subdirectory (``x86``, ``arm/xen``) -> labels of the arches that build it."""
    makefiles = [p for p in files if p.startswith("arch/") and tree_refs.is_makefile(p)]
    borrowed = borrowed_dirs(tree, makefiles)
    out: dict[str, tuple[str, ...]] = {}
    for config in configs:
        homes = {config.srcarch, environment(tree, config)["HEADER_ARCH"]}
        homes |= {directory for directory, users in borrowed.items() if config.srcarch in users}
        for home in sorted(homes):
            out[home] = out.get(home, ()) + (config.label,)
    return out


def _kconfig_undefined(report: SymbolReport, scanner: KconfigScanner, in_scope: set[str],
                       definitions: _Definitions) -> list[UndefinedRef]:
    """Undefined references of the Kconfig files read by an arch in scope."""
    readers: dict[str, list[str]] = {}
    for arch in report.arches:
        for parsed in arch.files:
            readers.setdefault(parsed.path, []).append(arch.arch.label)
    found: list[UndefinedRef] = []
    for path in sorted(readers):
        builders = tuple(readers[path])
        if not in_scope & set(builders):
            continue
        references = scanner.files[path].references
        report.files += 1
        report.references += len(references)
        found += [UndefinedRef(name, Location(path, line), kind, builders)
                  for name, kind, line in references if not definitions.is_defined(name, builders)]
    return found


def _explain(found: list[UndefinedRef], definitions: _Definitions, labels: tuple[str, ...],
             suggest: bool) -> list[UndefinedRef]:
    """Add who else defines each symbol, and a close defined name."""
    from dataclasses import replace

    cache: dict[tuple[str, tuple[str, ...]], tuple] = {}
    suggester = Suggester(definitions.union(labels)) if suggest and found else None
    out = []
    for ref in found:
        key = (ref.name, ref.builders)
        if key not in cache:
            elsewhere = tuple(l for l in labels if definitions.is_defined(ref.name, (l,)))
            defined_at = _where(definitions, elsewhere, ref.name)
            hint = None if elsewhere or suggester is None else _suggestion(
                suggester, ref.name, definitions.union(ref.builders))
            cache[key] = (elsewhere, defined_at, hint)
        elsewhere, defined_at, hint = cache[key]
        out.append(replace(ref, elsewhere=elsewhere, defined_at=defined_at, suggestion=hint))
    return out


def _where(definitions: _Definitions, elsewhere: tuple[str, ...], name: str) -> Location | None:
    for label in elsewhere:
        arch = definitions.by_label[label]
        loc = arch.where(name) or ((base := names.module_base(name)) and arch.where(base)) or None
        if loc:
            return loc
    return None


def _suggestion(suggester: Suggester, name: str, pool: frozenset[str]) -> str | None:
    """The closest name ``pool`` defines (for ``FOO_MODULE``, the closest to FOO, suffixed)."""
    if (base := names.module_base(name)) is not None:
        closest = suggester.closest(base, pool)
        if closest:
            return closest + names.SUFFIX
    return suggester.closest(name, pool)
