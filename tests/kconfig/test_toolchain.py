

def test_version_pipes_are_matched_against_the_assumed_tools():
    from ckptlint.kconfig.toolchain import answer, probe_succeeds
    assert probe_succeeds("ld -v | grep -q gold") is False  # 5.x Kconfig.include: BFD, not gold
    assert probe_succeeds("$(LD) -v | grep -q gold".replace("$(LD)", "ld")) is False
    assert probe_succeeds("objcopy --version | head -n1 | grep -qv llvm") is True
    assert probe_succeeds("gcc --version | grep -q clang") is False
    assert probe_succeeds("ld -v | grep -q 'GNU ld'") is True
    assert answer("scripts/lld-version.sh ld") == "0"
