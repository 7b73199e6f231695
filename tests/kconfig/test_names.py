"""kconfig.names: one rule for what CONFIG_FOO_MODULE means."""

from __future__ import annotations

from ckptlint.extract import ppcond
from ckptlint.kconfig import names


def test_name_as_written_wins_over_its_module_base():
    defined = {"DUAL_CORE_TEST_MODULE", "DUAL_CORE_TEST", "EXT4"}
    assert names.resolve("DUAL_CORE_TEST_MODULE", defined) == "DUAL_CORE_TEST_MODULE"
    assert names.resolve("EXT4_MODULE", defined) == "EXT4"
    assert names.resolve("EXT3_MODULE", defined) is None
    assert names.resolve("_MODULE", {""}) is None


def test_rewrite_means_module_only_for_an_undefined_name():
    defined = {"EXT4", "SELFTEST_MODULE", "SELFTEST"}
    assert names.rewrite_modules("EXT4_MODULE || SELFTEST_MODULE", defined) == \
        "(EXT4 = m) || SELFTEST_MODULE"
    assert names.rewrite_modules("NOPE_MODULE && EXT4", defined) == "NOPE_MODULE && EXT4"


def test_preprocessor_conditions_keep_the_name_as_written():
    assert ppcond.translate("defined(CONFIG_EXT4_MODULE) || defined(CONFIG_EXT4)") == \
        "EXT4_MODULE || EXT4"
