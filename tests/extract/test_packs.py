"""Rule packs: the shipped pack loads, and malformed packs fail with the key named."""

from __future__ import annotations

import pytest

from ckptlint.extract.packs import PackError, load_pack, load_packs


def test_shipped_pack():
    (pack,) = load_packs()
    assert pack.name == "checkpoint-restart" and pack.source == "rules/checkpoint-restart.toml"
    assert [s.name for s in pack.syscalls] == ["checkpoint", "restart"]
    assert [p.type for p in pack.syscalls[0].params] == ["pid_t", "int", "unsigned long", "int"]
    assert (pack.gate.symbol, pack.gate.depends) == ("CHECKPOINT", "CHECKPOINT_SUPPORT && EXPERIMENTAL")
    assert pack.wire_where == "CHECKPOINT_SUPPORT"


@pytest.mark.parametrize("text, message", [
    ('[pack]\nname = "x"\nbogus = 1\n', "[pack] has unknown key 'bogus'"),
    ('[pack]\ndescription = "d"\n', "[pack] needs 'name'"),
    ('[pack]\nname = "x"\n[gate]\nsymbol = "NOT A SYMBOL"\n',
     "[gate] symbol must be a Kconfig symbol name, got 'NOT A SYMBOL'"),
    ('[pack]\nname = "x"\n[[syscall]]\nname = "a"\nsignature = "int int int ("\n',
     "[[syscall]] #1: signature 'int int int (' is not a C parameter list"),
    ('[pack]\nname = "x"\n[extra]\n', "unknown table [extra]"),
    ('[pack\n', "invalid TOML"),
])
def test_malformed_pack(tmp_path, text, message):
    path = tmp_path / "p.toml"
    path.write_text(text)
    with pytest.raises(PackError) as error:
        load_pack(path)
    assert message in str(error.value) and str(path) in str(error.value)


def test_user_dir_adds_packs(tmp_path):
    (tmp_path / "eclone.toml").write_text(
        '[pack]\nname = "eclone"\n[[syscall]]\nname = "eclone"\n'
        'signature = "unsigned flags_low, struct clone_args *uca, int args_size, pid_t *pids"\n')
    names = [p.name for p in load_packs([str(tmp_path)])]
    assert names == ["checkpoint-restart", "eclone"]
