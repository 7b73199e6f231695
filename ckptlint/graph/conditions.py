"""The graph's Kconfig and preprocessor conditions: under which configuration a
file is built, a definition linked, a table slot filled, an ABI's table built.

A mixin of FactGraph: these queries join the Kbuild and Kconfig facts with the
``#if`` conditions of a few source lines, which ckptlint.extract reads on
demand; the answers are kept on the graph.
"""

from __future__ import annotations

from ckptlint.extract import archmacros, source_text
from ckptlint.extract.ppcond import condition_at
from ckptlint.facts import Location, TableEntry
from ckptlint.kconfig.query import satisfiable
from ckptlint.unknown import is_yes


class Conditions:
    """Condition queries of :class:`ckptlint.graph.factgraph.FactGraph`."""

    def abi_condition(self, label: str) -> str:
        """Kconfig condition under which an ABI's table is built: its arch's choice of
        ABIs (``Abi.condition``) and, for a table written in an assembly or C file,
        that file's own Kbuild gate (2.6 cris builds arch-v10's entry.S or
        arch-v32's, as ETRAX_ARCH_V32 says)."""
        abi = self.abi(label)
        condition = abi.condition
        if abi.path.endswith((".S", ".c")) and self.facts.kbuild:
            gate = self.gate(abi.path, abi.srcarch)
            if gate is not None and gate != "y":
                condition = gate if condition == "y" else f"({condition}) && ({gate})"
        return condition

    def gate(self, path: str, srcarch: str) -> str | None:
        """Kconfig condition under which ``path`` is built for srcarch (None: never built).

        A .c or .S file that no Makefile names but a built sibling ``#include``s
        (6.x kernel/sched/build_policy.c includes syscalls.c; sparc64's
        head_64.S includes syscalls.S) is built with it.
        """
        kbuild = self.kbuild(srcarch, path)
        if kbuild is None:
            return None
        condition = kbuild.condition_for_source(path)
        if condition is None and path.endswith((".c", ".S")):
            outer = [kbuild.condition_for_source(p) for p in self._includers(path)]
            outer = [c for c in outer if c is not None]
            condition = " || ".join(f"({c})" for c in outer) if outer else None
        return condition

    def _includers(self, path: str) -> list[str]:
        """Sibling .c/.S files that ``#include "<name>.c"`` (or ``.S``) the given file."""
        directory, name = path.rsplit("/", 1) if "/" in path else ("", path)
        if directory not in self._include_index:
            self._include_index[directory] = source_text.source_includers(self.tree, directory)
        return self._include_index[directory].get(name, [])

    def source_condition(self, path: str, line: int, srcarch: str,
                         function: str | None = None) -> str | None:
        """Kbuild gate of ``path`` and the #if conditions around ``line``; None if never built.

        Kept on the graph: the checks ask it of every definition on every srcarch,
        several times over (6.12: ~64,000 questions, ~19,000 distinct).
        """
        key = (path, line, srcarch, function)
        try:
            return self._source_conditions[key]
        except KeyError:
            answer = self._source_conditions[key] = self._source_condition(path, line, srcarch, function)
            return answer

    def _source_condition(self, path: str, line: int, srcarch: str, function: str | None) -> str | None:
        gate = self.gate(path, srcarch)
        if gate is None:
            return None
        inner = condition_at(self.tree, path, line)
        inner = self.resolve_arch_wants(inner, srcarch)
        switched = source_text.compat_switched(self.tree, path, line)
        if function and switched:
            inner = f"({inner}) && " + ("COMPAT" if function.startswith("compat_") else "!COMPAT")
        return gate if inner == "y" else f"({gate}) && ({inner})"

    def linked_condition(self, definition, srcarch: str) -> str | None:
        """:meth:`source_condition` of a definition, less the configurations where
        a strong definition of the same function replaces a weak one at link time."""
        built = self.source_condition(definition.loc.path, definition.loc.line, srcarch,
                                      definition.function)
        if built is None or not definition.weak:
            return built
        strong = [c for other in self.definitions(definition.function)
                  if not other.weak and other.kind != "asm"
                  and (c := self.source_condition(other.loc.path, other.loc.line, srcarch,
                                                  other.function)) is not None]
        if not strong:
            return built
        if "y" in strong:
            return None
        return f"({built}) && !({' || '.join(f'({c})' for c in strong)})"

    def slot_condition(self, slot: TableEntry, srcarch: str) -> str:
        """Kconfig condition under which a table slot holds its entry at all.

        The ``#if`` around the slot's line (alpha's systbls.S: ``#ifdef
        CONFIG_OSF4_COMPAT`` around ``.quad sys_osf_readv``), and, for a slot
        written through a one-parameter macro of the same file, the branches
        where that macro is the identity (frv: ``.long __MMU(sys_mlock)`` with
        ``#define __MMU(X) X`` under CONFIG_MMU and ``sys_ni_syscall`` otherwise).
        """
        path, line = slot.loc.path, slot.loc.line
        if not path.endswith((".S", ".h")):
            return "y"
        condition = self.resolve_arch_wants(condition_at(self.tree, path, line), srcarch)
        for macro in source_text.slot_macros(self.tree, path, line):
            identity = [self.resolve_arch_wants(condition_at(self.tree, path, number), srcarch)
                        for number, body in self._wrappers(path).get(macro, ())
                        if body == "identity"]
            if identity and len(identity) < len(self._wrappers(path)[macro]):
                either = "y" if "y" in identity else " || ".join(f"({c})" for c in identity)
                condition = either if condition == "y" else f"({condition}) && ({either})"
        return condition

    def _wrappers(self, path: str) -> dict[str, list[tuple[int, str]]]:
        """One-parameter macros a table file defines: name -> [(line, "identity" or body)]."""
        if path not in self._slot_wrappers:
            self._slot_wrappers[path] = source_text.wrapper_macros(self.tree, path)
        return self._slot_wrappers[path]

    def entry_aliases(self, srcarch: str) -> dict[str, list[tuple[str, str, Location]]]:
        """``#define sys_x other`` in an arch's table files: entry -> [(other, condition, loc)]
        (``ckptlint.extract.source_text.entry_aliases``)."""
        if srcarch not in self._aliases:
            self._aliases[srcarch] = source_text.entry_aliases(self.tree, srcarch)
        return self._aliases[srcarch]

    def resolve_arch_wants(self, expr: str, srcarch: str) -> str:
        """``__ARCH_x`` names in a condition replaced by the arch's own conditions
        (``ckptlint.extract.archmacros``)."""
        if "__ARCH_" not in expr:
            return expr
        if srcarch not in self._wants:
            self._wants[srcarch] = archmacros.arch_macros(self.tree, srcarch)
        if self._generic_macros is None:
            self._generic_macros = archmacros.generic_macros(self.tree)
        return archmacros.resolve(expr, self._wants[srcarch], self._generic_macros)

    def first_arch_where(self, conditions: list[str], srcarch: str | None = None) -> str | None:
        """The first Kconfig arch (of ``srcarch`` if given) where all conditions can be
        shown to hold at once (an arch whose Kconfig cannot tell is not one)."""
        expr = " && ".join(f"({c})" for c in conditions) or "y"
        for label, model in sorted(self.facts.kconfig.items()):
            if srcarch is not None and model.arch.srcarch != srcarch:
                continue
            if is_yes(satisfiable(model, expr)):
                return label
        return None

    def in_scope(self, path: str) -> str | None | bool:
        """The srcarch a path belongs to (None: generic), or False when it is outside
        the arches whose tables this run reads."""
        arches = {self.abi(a).srcarch for a in self.abis()}
        if path.startswith("include/asm-generic/"):
            name = path[len("include/asm-generic/"):]
            return None if any(self.uses_generic(a, name) for a in arches) else False
        if path.startswith("include/asm-"):  # before the header moves: include/asm-<hdr-arch>/
            hdr = path.split("/")[1][len("asm-"):]
            owners = sorted(a for a in arches if self.tree.header_arch(a) == hdr or a == hdr)
            return owners[0] if owners else False
        if not path.startswith("arch/"):
            return None
        srcarch = path.split("/")[1]
        return srcarch if srcarch in arches else False

    def uses_generic(self, srcarch: str, name: str) -> bool:
        """Whether an arch compiles include/asm-generic/<name> (by #include or Kbuild generic-y)."""
        return source_text.uses_generic(self.tree, srcarch, name)
