"""One vocabulary of arch names for every command.

A user may name an arch by its SRCARCH (``x86``, the directory under
``arch/``), by a Kconfig label (``i386``, ``x86_64``, ``sparc64``), or by a
syscall ABI label (``x32``, ``ppc64``, ``s390x``). ``check``, ``matrix`` and
``graph`` keep the ABIs such a name covers; ``why`` and ``symbols`` the Kconfig
configurations. An unknown name is one line with a "did you mean".
"""

from __future__ import annotations

from ckptlint.tree import KernelTree


def split(values) -> set[str]:
    """``--arch a,b --arch c`` as a set of names."""
    return {v.strip() for value in values for v in value.split(",") if v.strip()}


def unknown_message(name: str, known) -> str:
    """``unknown arch 'NAME' for this tree; did you mean X? (one of: ...)``."""
    from ckptlint.suggest import hint

    known = sorted(set(known))
    # arch names are short: one letter off in x86 is already a ratio of 0.67
    return (f"unknown arch '{name}' for this tree{hint(name.lower(), known, 0.6)} "
            f"(one of: {', '.join(known) or 'none found'})")


def kconfig_configs(tree: KernelTree, names: set[str]):
    """The Kconfig configurations (``loader.ArchConfig``) that ``names`` cover, in the
    tree's order; every configuration for ``all``. A SRCARCH covers each of its
    configurations (``x86``: i386 and x86_64); an ABI label its ABI's Kconfig arch.
    Raises ConfigError for a name that is none of these."""
    from ckptlint.engine.options import ConfigError
    from ckptlint.kconfig import loader

    configs = loader.arch_configs(tree)
    if "all" in names:
        return configs
    wanted = {c.label for c in configs if {c.label, c.srcarch} & names}
    rest = sorted(n for n in names if not any(n in (c.label, c.srcarch) for c in configs))
    if rest:
        from ckptlint.extract.syscall_tables import abi_tables

        abis = {t.label: t for t in abi_tables(tree)}
        for name in rest:
            table = abis.get(name)
            label = table and next((c.label for c in configs if c.label == table.kconfig_arch
                                    or (c.srcarch == table.srcarch and c.label == table.label)), None)
            if label is None:
                known = {c.label for c in configs} | {c.srcarch for c in configs} | set(abis)
                raise ConfigError(unknown_message(name, known | {"all"}))
            wanted.add(label)
    return [c for c in configs if c.label in wanted]
