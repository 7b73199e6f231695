"""Loader: safety (no processes, no escaping files), tolerance, findings, environment."""

from __future__ import annotations

import os
import sys
from pathlib import Path

import pytest

from ckptlint.facts import Location
from ckptlint.kconfig import ArchConfig, arch_configs, fixed_environ, load
from ckptlint.kconfig.toolchain import _virtual_shell, answer, probe_succeeds
from ckptlint.tree import KernelTree
from ckptlint.unknown import UndecidedError, is_unknown

MAKEFILE = "VERSION = 6\nPATCHLEVEL = 12\nSUBLEVEL = 0\nEXTRAVERSION =\n"
X86_64 = ArchConfig("x86_64", "x86_64", "x86", "x86")


def write_tree(root: Path, files: dict[str, str]) -> KernelTree:
    """Create a tree from {relative path: content} and open it."""
    for rel, text in files.items():
        path = root / rel
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(text)
    return KernelTree(root)


def load_x86(tmp_path: Path, kconfig: str, **files: str) -> object:
    """Load a one-file x86 tree (plus extra files) for ARCH=x86_64."""
    tree = write_tree(tmp_path, {"Makefile": MAKEFILE, "arch/x86/Kconfig": kconfig,
                                 **{k.replace("__", "/"): v for k, v in files.items()}})
    return load(tree, X86_64)


def test_stray_semicolon_is_ignored_with_a_note(tmp_path: Path) -> None:
    model = load_x86(tmp_path, 'config A\n\tbool "a"\n\nconfig SENSORS_F75375S\n'
                               '\ttristate "Fintek F75375S/SP and F75373";\n\tdepends on A\n')
    assert model.error is None
    assert model.notes == [("ignoring unsupported character(s) ';'", Location("arch/x86/Kconfig", 5))]
    assert model.is_defined("SENSORS_F75375S") and model.can_be("SENSORS_F75375S", "y")


def test_missing_source_is_a_finding_and_parsing_continues(tmp_path: Path) -> None:
    model = load_x86(tmp_path, 'config A\n\tbool "a"\n\nsource "drivers/gone/Kconfig"\n'
                               'osource "drivers/optional/Kconfig"\nconfig B\n\tbool "b"\n')
    assert model.error is None
    assert model.missing_sources == [("source of missing file 'drivers/gone/Kconfig'",
                                      Location("arch/x86/Kconfig", 4))]
    assert model.is_defined("B")


def test_source_cycle_does_not_hang(tmp_path: Path) -> None:
    model = load_x86(tmp_path, 'source "lib/Kconfig"\nconfig A\n\tbool "a"\n',
                     lib__Kconfig='config L\n\tbool "l"\nsource "lib/Kconfig"\nsource "arch/x86/Kconfig"\n')
    assert model.error is None
    assert [loc for _, loc in model.notes] == [Location("lib/Kconfig", 3), Location("lib/Kconfig", 4)]
    assert model.definitions("L") == [Location("lib/Kconfig", 1)]
    assert model.is_defined("A")


def test_source_escaping_the_tree_is_not_followed(tmp_path: Path) -> None:
    outside = tmp_path / "outside"
    outside.mkdir()
    (outside / "Kconfig").write_text('config SECRET\n\tbool "s"\n')
    root = tmp_path / "tree"
    tree = write_tree(root, {"Makefile": MAKEFILE,
                             "arch/x86/Kconfig": 'source "evil/Kconfig"\nsource "../outside/Kconfig"\n'})
    (root / "evil").symlink_to(outside)
    model = load(tree, X86_64)
    # ../outside is not the tree's: a missing source. evil/Kconfig is there, through a link
    # ckptlint does not follow: what it defines is unknown, not undefined
    assert model.error is None and is_unknown(model.is_defined("SECRET"))
    assert [loc for _, loc in model.missing_sources] == [Location("arch/x86/Kconfig", 2)]
    assert [str(c.loc) for c in model.state.unread_sources] == ["arch/x86/Kconfig:1"]


def test_modules_keyword_and_transitional(tmp_path: Path) -> None:
    model = load_x86(tmp_path, 'config MODULES\n\tbool "Enable loadable module support"\n\tmodules\n\n'
                               'config OLD_NAME\n\tbool\n\ttransitional\n\n'
                               'config FOO\n\ttristate "foo"\n')
    assert model.error is None
    assert model.can_be("FOO", "m")
    assert model.can_be("OLD_NAME", "y")
    assert model.notes == [("'transitional' attribute: symbol treated as user-settable",
                            Location("arch/x86/Kconfig", 7))]


def test_a_parse_error_is_recorded_and_the_parse_goes_on(tmp_path: Path) -> None:
    model = load_x86(tmp_path, 'config A\n\tbool "a"\n\tdepends on (B\n'
                               'config C\n\tbool "c"\n\tdepends on A\n'
                               'config D\n\tbool "d"\n')
    assert model.error is None
    [cause] = model.causes
    assert cause.loc == Location("arch/x86/Kconfig", 3) and cause.refused
    assert "couldn't parse 'depends on (B': malformed expression" in cause.message
    # A is defined but unknown, and so is C (it depends on A); D is untouched
    assert model.is_defined("A") and model.is_defined("D")
    assert is_unknown(model.can_be("A")) and is_unknown(model.can_expr_be("C || D"))
    assert model.can_be("D") is True and model.can_expr_be("D && !D", "y") is True
    assert model.can_be("A").cause == cause


def test_a_failed_model_answers_unknown(tmp_path: Path) -> None:
    tree = write_tree(tmp_path, {"Makefile": MAKEFILE, "arch/x86/Kconfig": ""})
    model = load(tree, ArchConfig("arm", "arm", "arm", "x86"))
    assert model.cause is not None and model.cause.refused
    for answer in (model.is_defined("A"), model.can_be("A", "n"), model.can_expr_be("y"),
                   model.undefined_references()):
        assert is_unknown(answer) and answer.cause == model.cause
    with pytest.raises(UndecidedError):
        bool(model.can_be("A"))


def test_missing_top_kconfig_is_an_error(tmp_path: Path) -> None:
    tree = write_tree(tmp_path, {"Makefile": MAKEFILE, "arch/x86/Kconfig": ""})
    model = load(tree, ArchConfig("arm", "arm", "arm", "x86"))
    assert model.error == ("top Kconfig file 'arch/arm/Kconfig' is missing", Location("arch/arm/Kconfig", 1))


def test_shell_is_virtual_and_nothing_is_spawned(tmp_path: Path, monkeypatch: pytest.MonkeyPatch,
                                                 no_spawn_from_ckptlint) -> None:
    kconfig = ('PWN := $(shell,touch PWNED1)\n'
               'config PWN\n\tstring\n\tdefault "$(shell,touch PWNED2)"\n'
               'config CC_VERSION\n\tint\n\tdefault $(shell,set -- $(shell,$(srctree)/scripts/cc-version.sh $(CC)) && echo $2)\n'
               'config CC_HAS_FOO\n\tdef_bool $(shell,{ $(CC) -Werror -mfoo -c -x c /dev/null -o /dev/null; } >/dev/null 2>&1 && echo "y" || echo "n")\n'
               'config RUST_OK\n\tdef_bool $(shell,{ rustc --version; } >/dev/null 2>&1 && echo "y" || echo "n")\n')
    planted = 'open(__file__ + ".ran", "w").close()\nfunctions = {}\n'
    tree = write_tree(tmp_path, {"Makefile": MAKEFILE, "arch/x86/Kconfig": kconfig,
                                 "kconfigfunctions.py": planted})
    monkeypatch.chdir(tmp_path)
    monkeypatch.syspath_prepend(str(tmp_path))
    monkeypatch.setenv("KCONFIG_FUNCTIONS", "kconfigfunctions")
    model = load(tree, X86_64, use_cache=False)  # the conftest spawn guard refuses any spawn
    assert no_spawn_from_ckptlint.events() == [] and model.error is None
    assert sorted(p.name for p in tmp_path.iterdir()) == ["Makefile", "arch", "kconfigfunctions.py"]
    assert "kconfigfunctions" not in sys.modules
    assert model.virtual_shell_calls == 6
    # touch is never run, and what it would print is unknown: PWN's value is not guessed
    assert is_unknown(model.can_be("PWN", "")) and model.can_be("CC_VERSION", "120200")
    assert [(c.loc, c.refused) for c in model.causes] == [
        (Location("arch/x86/Kconfig", 1), False), (Location("arch/x86/Kconfig", 4), False)]
    assert model.can_be("CC_HAS_FOO", "y") and not model.can_be("CC_HAS_FOO", "n")
    assert not model.can_be("RUST_OK", "y")


def test_environment_is_restored_exactly(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("ARCH", "bogus")
    monkeypatch.setenv("CKPTLINT_MARK", "1")
    before = dict(os.environ)
    model = load_x86(tmp_path, 'config ARCH\n\tstring\n\toption env="ARCH"\n')
    assert dict(os.environ) == before
    assert model.can_be("ARCH", "x86_64") and not model.can_be("ARCH", "bogus")
    with pytest.raises(KeyError), fixed_environ({"ONLY": "1"}):
        assert dict(os.environ) == {"ONLY": "1"}
        raise KeyError
    assert dict(os.environ) == before


def test_arch_configs(tmp_path: Path) -> None:
    tree = write_tree(tmp_path, {"Makefile": MAKEFILE + "ifeq ($(ARCH),sparc32)\n SRCARCH := sparc\nendif\n",
                                 "arch/x86/Kconfig": "", "arch/sparc/Kconfig": "", "arch/arm/Kconfig": "",
                                 "arch/um/Kconfig.x86": ""})
    assert arch_configs(tree) == [
        ArchConfig("arm", "arm", "arm", "x86"),
        ArchConfig("sparc", "sparc32", "sparc", "x86"), ArchConfig("sparc64", "sparc64", "sparc", "x86"),
        ArchConfig("i386", "i386", "x86", "x86"), ArchConfig("x86_64", "x86_64", "x86", "x86"),
    ]


def test_cache_returns_same_model(tmp_path: Path) -> None:
    tree = write_tree(tmp_path, {"Makefile": MAKEFILE, "arch/x86/Kconfig": 'config A\n\tbool "a"\n'})
    assert load(tree, X86_64) is load(tree, X86_64)
    assert load(tree, X86_64, use_cache=False) is not load(tree, X86_64)


@pytest.mark.parametrize("command,expected", [
    ("/t/scripts/ld-version.sh ld", "BFD 24000"),
    ("/t/scripts/cc-version.sh gcc", "GCC 120200"),
    ("set -- GNU 24000 && echo $1", "GNU"),
    ('{ test -z "GCC 120200"; } >/dev/null 2>&1 && echo "y" || echo "n"', "n"),
    ('{ command -v gcc; } >/dev/null 2>&1 && echo "n" || echo "y"', "n"),
    ('{ ld -v --gc-sections; } >/dev/null 2>&1 && echo "y" || echo "n"', "y"),
    ('{ /t/scripts/rust_is_available.sh; } >/dev/null 2>&1 && echo "y" || echo "n"', "n"),
    ("gcc -print-file-name=plugin", None),
    ("rm -rf /", None),
    ("expr 1900 / 10000", "0"),
    ("expr 190000 / 10000", "19"),
    ("expr 7 - 9 \\* 2", "-11"),
    ("expr 7 - 9 * 2", "-11"),
    ("expr -7 / 2", "-3"),
    ("expr 1 / 0", None),
    ("expr 3 = 3", "1"),
    ("expr ( 1 + 2 ) * 3", "9"),
    ("expr abc + 1", None),
    ("expr CKPTLINT_UNEVALUATED_SHELL_0 / 10000", None),
])
def test_virtual_shell_answers(command: str, expected: str) -> None:
    assert answer(command) == expected


def test_an_unevaluated_result_fed_to_another_command_is_the_same_unknown() -> None:
    class Kconf:
        filename, linenr = "init/Kconfig", 9

    kconf = Kconf()
    word = _virtual_shell(kconf, "shell", "uname -m")
    assert word == "CKPTLINT_UNEVALUATED_SHELL_0"
    assert _virtual_shell(kconf, "shell", f"expr {word} / 100") == word
    assert kconf.unevaluated == [(word, "uname -m", "init/Kconfig", 9)]


def test_probe_rules() -> None:
    assert probe_succeeds('echo x | $CC -x c - -c -o /dev/null')
    assert not probe_succeeds("test -e /include/plugin-version.h")
    assert not probe_succeeds("rustc --version")


def _dump(model: object) -> tuple:
    """Everything a parse yields that ckptlint reads, as plain text and numbers."""
    import kconfiglib

    nodes = []
    for node in model.kconf.node_iter():
        item = node.item
        name = item.name if isinstance(item, (kconfiglib.Symbol, kconfiglib.Choice)) else str(item)
        nodes.append((node.filename, node.linenr, name, node.prompt and node.prompt[0],
                      kconfiglib.expr_str(node.dep), node.help,
                      [(kconfiglib.expr_str(v), kconfiglib.expr_str(c)) for v, c in node.defaults]))
    log = [(f, line, kind, [getattr(t, "name", t) if t is not None else None for t in tokens])
           for f, line, kind, tokens in model.state.line_log]
    return nodes, log, model.notes, model.missing_sources, model.warnings, sorted(model.kconf.syms)


KNOWN_LINES = (
    '# a comment \\\nconfig HIDDEN_BY_COMMENT\n'
    'config A\n\tbool "a"\n\tdefault y if B && !C\n\thelp\n\t  Text.\n\n\t  More.\n'
    'config B\n\tbool "b"\n\thelp\n\nconfig C\n\ttristate "c" if A\n'
    '\tdepends on \\\n\t\tB\n\tselect D\n'
    'config D\n\tbool\n\tmodules\n'
    'source "drivers/maybe/Kconfig"\n'
    'config E\n\tbool "e";\n\thelp\n\t  Last.\n')


@pytest.mark.parametrize("first_exists", [False, True])
def test_lines_known_from_an_earlier_parse_parse_the_same(tmp_path: Path, monkeypatch: pytest.MonkeyPatch,
                                                          first_exists: bool) -> None:
    """A second parse takes tokens, help-text ends and line kinds from the first one's
    lexing; what it builds is what a parse in a fresh process builds. A ``source``
    is always resolved again (here: missing in one tree, present in the other)."""
    from ckptlint.kconfig import lexing, parser

    tables = ((lexing, "_TOKEN_TEMPLATES"), (lexing, "_FAST_LINES"), (parser, "_HELP_SKIPS"))
    for module, table in tables:
        monkeypatch.setattr(module, table, {})
    maybe = {"drivers/maybe/Kconfig": 'config MAYBE\n\tbool "maybe"\n\thelp\n'}
    trees = []
    for index, exists in enumerate((first_exists, not first_exists)):
        trees.append(write_tree(tmp_path / str(index), {"Makefile": MAKEFILE, "arch/x86/Kconfig": KNOWN_LINES,
                                                        **(maybe if exists else {})}))
    fresh = [_dump(load(tree, X86_64, use_cache=False)) for tree in trees]
    for module, table in tables:  # the first parse filled them
        assert getattr(module, table)
    again = [_dump(load(tree, X86_64, use_cache=False)) for tree in reversed(trees)][::-1]
    assert again == fresh
    with_file = fresh[0 if first_exists else 1]
    assert "MAYBE" in with_file[5] and "MAYBE" not in fresh[1 if first_exists else 0][5]
    assert [n[:3] for n in with_file[0] if n[2] in ("A", "B", "C", "E", "HIDDEN_BY_COMMENT")] == [
        ("arch/x86/Kconfig", 3, "A"), ("arch/x86/Kconfig", 10, "B"), ("arch/x86/Kconfig", 14, "C"),
        ("arch/x86/Kconfig", 23, "E")]
    assert [(line, kind) for f, line, kind, _ in with_file[1] if f == "arch/x86/Kconfig"] == [
        (4, "prompt"), (5, "default"), (11, "prompt"), (15, "prompt"), (17, "depends on"),
        (18, "select"), (24, "prompt")]


def test_a_dependency_loop_is_reported_the_same_way_every_run(tmp_path: Path) -> None:
    # A loop reached from A through B or through D: dependents are walked in
    # definition order (kconfiglib's sets followed object addresses), so it is B.
    model = load_x86(tmp_path, 'config A\n\tbool "a"\n\tdepends on C\n'
                               'config B\n\tbool "b"\n\tdepends on A\n'
                               'config C\n\tbool "c"\n\tdepends on D || B\n'
                               'config D\n\tbool "d"\n\tdepends on A\n')
    assert model.error is None
    assert model.notes == [("recursive dependency: A -> C -> B -> A", Location("arch/x86/Kconfig", 1))]
    syms = model.kconf.syms
    assert syms["A"]._dependents == (syms["B"], syms["D"])  # a tuple, in definition order
    assert syms["B"].ranges == () and syms["B"].defaults == ()  # empty lists are shared


def test_models_of_trees_no_longer_used_are_let_go(tmp_path: Path) -> None:
    from ckptlint.kconfig import loader

    loader.clear_cache()
    trees = [write_tree(tmp_path / f"t{index}", {"Makefile": MAKEFILE, "arch/x86/Kconfig": 'config A\n\tbool "a"\n'})
             for index in range(6)]
    first = load(trees[0], X86_64)
    for tree in trees[1:4]:
        load(tree, X86_64)
    assert load(trees[0], X86_64) is first  # used again: kept longest
    for tree in trees[4:]:
        load(tree, X86_64)
    kept = {identity for identity, _ in loader._CACHE}
    assert kept == {trees[i].identity for i in (0, 3, 4, 5)}
    loader.clear_cache()
