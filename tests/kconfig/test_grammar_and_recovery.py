"""The tree's own Kconfig language, and going on past a line that does not parse."""

from __future__ import annotations

from pathlib import Path

from ckptlint.facts import Location
from ckptlint.kconfig import ArchConfig, load
from ckptlint.kconfig.grammar import LENIENT, read_grammar, rewriter
from ckptlint.unknown import is_unknown

from test_kconfig_loader import MAKEFILE, write_tree

X86_64 = ArchConfig("x86_64", "x86_64", "x86", "x86")

#: The lexer and grammar lines that decide the old forms (2.6.12's zconf.l / zconf.y).
OLD_LEXER = ('<COMMAND>{\n\t"depends"\t\tBEGIN(PARAM); return T_DEPENDS;\n'
             '\t"requires"\t\tBEGIN(PARAM); return T_REQUIRES;\n'
             '\t"def_boolean"\t\tBEGIN(PARAM); return T_DEF_BOOLEAN;\n'
             '\t"enable"\t\tBEGIN(PARAM); return T_SELECT;\n}\n')
OLD_PARSER = ("depends: T_DEPENDS T_ON expr T_EOL\n\t| T_DEPENDS expr T_EOL\n\t| T_REQUIRES expr T_EOL\n")
#: 7.x: ``depends on X if Y``; 6.x grammar has neither form.
NEW_LEXER = '"depends"\t\treturn T_DEPENDS;\n"if"\t\t\treturn T_IF;\n"transitional"\treturn T_TRANSITIONAL;\n'
NEW_PARSER = "depends: T_DEPENDS T_ON expr if_expr T_EOL\n"
MID_PARSER = "depends: T_DEPENDS T_ON expr T_EOL\n"


def era_tree(root: Path, kconfig: str, lexer: str, parser: str, lexer_name: str = "lexer.l",
             parser_name: str = "parser.y"):
    return write_tree(root, {"Makefile": MAKEFILE, "arch/x86/Kconfig": kconfig,
                             f"scripts/kconfig/{lexer_name}": lexer,
                             f"scripts/kconfig/{parser_name}": parser})


def test_grammar_is_read_from_the_trees_own_lexer_and_parser():
    files = {"scripts/kconfig/zconf.l": OLD_LEXER, "scripts/kconfig/zconf.y": OLD_PARSER}
    old = read_grammar(files.get)
    assert old.known and old.depends_without_on and old.requires and old.enable and old.def_boolean
    assert not old.depends_if
    new = read_grammar({"scripts/kconfig/lexer.l": NEW_LEXER, "scripts/kconfig/parser.y": NEW_PARSER}.get)
    assert new.depends_if and not (new.depends_without_on or new.requires or new.enable)
    assert new.knows("transitional") and not new.knows("requires")
    assert read_grammar({}.get) is LENIENT and LENIENT.knows("anything")


def test_old_forms_are_rewritten_keeping_the_rest_of_the_line():
    rewrite = rewriter(read_grammar({"scripts/kconfig/zconf.l": OLD_LEXER,
                                     "scripts/kconfig/zconf.y": OLD_PARSER}.get))
    assert rewrite("\tdepends X86 && !MMU\n") == "\tdepends on X86 && !MMU\n"
    assert rewrite("\tdepends on X86\n") == "\tdepends on X86\n"
    assert rewrite("\trequires PCI\n") == "\tdepends on PCI\n"
    assert rewrite("\tenable FW_LOADER\n") == "\tselect FW_LOADER\n"
    assert rewrite("\tdef_boolean y\n") == "\tdef_bool y\n"
    assert rewrite("\tbool \"depends X\"\n") == "\tbool \"depends X\"\n"


def test_a_2_6_12_tree_parses_its_old_forms(tmp_path):
    tree = era_tree(tmp_path, 'config X86\n\tdef_boolean y\nconfig PCI\n\tbool "pci"\n'
                              'config FW\n\tbool\nconfig A\n\tbool "a"\n\tdepends X86 && !B\n\tenable FW\n'
                              'config B\n\tbool "b"\n\trequires PCI\n',
                    OLD_LEXER, OLD_PARSER, "zconf.l", "zconf.y")
    model = load(tree, X86_64)
    assert model.causes == []
    assert model.can_be("A") is True and model.can_be("X86", "n") is False
    assert model.selectors("FW") == [("A", Location("arch/x86/Kconfig", 10))]


def test_the_same_old_form_in_a_6_x_tree_is_an_error_at_its_line(tmp_path):
    tree = era_tree(tmp_path, 'config A\n\tbool "a"\n\tdepends B\nconfig B\n\tbool "b"\n',
                    NEW_LEXER, MID_PARSER)
    model = load(tree, X86_64)
    [cause] = model.causes
    assert (cause.loc, cause.refused) == (Location("arch/x86/Kconfig", 3), True)
    assert "expected 'on' after 'depends'" in cause.message
    assert is_unknown(model.can_be("A")) and model.can_be("B") is True


def test_depends_on_x_if_y_as_7_x_builds_it(tmp_path):
    tree = era_tree(tmp_path, 'config FOO\n\tbool "foo"\nconfig BAR\n\tbool "bar"\n'
                              'config BAZ\n\tbool "baz"\n\tdepends on FOO if BAR\n'
                              'config NEVER\n\tbool\n\tdepends on n if y\n',
                    NEW_LEXER, NEW_PARSER)
    model = load(tree, X86_64)
    assert model.causes == []
    assert model.can_expr_be("BAZ && !FOO && !BAR") is True  # BAR off: no dependency
    assert model.can_expr_be("BAZ && BAR && FOO") is True
    assert model.can_be("NEVER") is False


def test_depends_on_x_if_y_in_a_6_x_tree_is_refused(tmp_path):
    tree = era_tree(tmp_path, 'config FOO\n\tbool "foo"\n\tdepends on A if B\n', NEW_LEXER, MID_PARSER)
    [cause] = load(tree, X86_64).causes
    assert cause.loc == Location("arch/x86/Kconfig", 3) and "extra tokens" in cause.message


def test_a_bad_if_line_still_pairs_with_its_endif(tmp_path):
    tree = era_tree(tmp_path, 'config A\n\tbool "a"\nif A &&\nconfig INNER\n\tbool "inner"\nendif\n'
                              'config AFTER\n\tbool "after"\n\tdepends on A\n', NEW_LEXER, NEW_PARSER)
    model = load(tree, X86_64)
    [cause] = model.causes
    assert cause.loc == Location("arch/x86/Kconfig", 3) and cause.refused
    assert is_unknown(model.can_be("INNER")) and model.is_defined("INNER")
    assert model.can_be("AFTER") is True and model.can_be("A") is True


def test_a_broken_config_line_takes_its_properties_and_help_with_it(tmp_path):
    tree = era_tree(tmp_path, 'config A B\n\tbool "a"\n\tdepends on C\n\thelp\n\t  depends on nothing\n'
                              '\t  select what\nconfig C\n\tbool "c"\n', NEW_LEXER, NEW_PARSER)
    model = load(tree, X86_64)
    [cause] = model.causes
    assert cause.loc == Location("arch/x86/Kconfig", 1) and "extra tokens" in cause.message
    assert model.is_defined("A") is False and model.can_be("C") is True


def test_an_if_left_open_at_the_end_of_a_file_is_one_error(tmp_path):
    tree = era_tree(tmp_path, 'source "lib/Kconfig"\nconfig AFTER\n\tbool "after"\n', NEW_LEXER, NEW_PARSER)
    (tmp_path / "lib").mkdir()
    (tmp_path / "lib/Kconfig").write_text('if y\nconfig L\n\tbool "l"\n')
    model = load(tree, X86_64)
    [cause] = model.causes
    assert cause.loc.path == "lib/Kconfig" and "'endif' missing" in cause.message and cause.refused
    assert model.can_be("L") is True and model.can_be("AFTER") is True


def test_a_keyword_of_the_trees_era_that_ckptlint_cannot_read_is_not_refused(tmp_path):
    lexer = NEW_LEXER + '"frobnicate"\t\treturn T_FROB;\n'
    tree = era_tree(tmp_path, 'config A\n\tbool "a"\n\tfrobnicate\nconfig B\n\tbool "b"\n', lexer, NEW_PARSER)
    [cause] = load(tree, X86_64).causes
    assert not cause.refused and "'frobnicate' is a Kconfig keyword of this tree" in cause.message


def test_an_unevaluated_shell_result_makes_only_its_dependents_unknown(tmp_path):
    tree = era_tree(tmp_path, 'config PLUGINS\n\tdef_bool $(shell,gcc -print-file-name=plugin)\n'
                              'config USES\n\tbool "uses"\n\tdepends on PLUGINS\n'
                              'config OTHER\n\tbool "other"\n'
                              'config LLVM\n\tint\n\tdefault $(shell,expr 190000 / 10000)\n',
                    NEW_LEXER, NEW_PARSER)
    model = load(tree, X86_64)
    [cause] = model.causes
    assert cause.loc == Location("arch/x86/Kconfig", 2) and not cause.refused
    assert is_unknown(model.can_be("USES")) and model.can_be("USES").cause == cause
    assert model.can_be("OTHER") is True and model.can_be("LLVM", "19") is True
