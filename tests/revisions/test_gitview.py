"""gitview's environment: nothing configured can make git run a program or write."""

from __future__ import annotations

from ckptlint.revisions import gitview


def test_environment_keeps_only_repository_locators(monkeypatch):
    import os

    for key in [k for k in os.environ if k.startswith("GIT_")]:
        monkeypatch.delenv(key)
    for key, value in {"GIT_DIR": "/r/.git", "GIT_INDEX_FILE": "/r/.git/index.lock",
                       "GIT_EXTERNAL_DIFF": "/bin/evil", "GIT_CONFIG_PARAMETERS": "'core.pager=evil'",
                       "GIT_SSH_COMMAND": "evil", "GIT_PAGER": "less", "HOME": "/home/u"}.items():
        monkeypatch.setenv(key, value)
    env = gitview._environment()
    assert {k: v for k, v in env.items() if k.startswith("GIT_")} == {
        "GIT_DIR": "/r/.git", "GIT_INDEX_FILE": "/r/.git/index.lock",
        "GIT_CONFIG_NOSYSTEM": "1", "GIT_PAGER": "cat", "GIT_TERMINAL_PROMPT": "0",
        "GIT_OPTIONAL_LOCKS": "0", "GIT_NO_LAZY_FETCH": "1", "GIT_NO_REPLACE_OBJECTS": "1",
        "GIT_ATTR_NOSYSTEM": "1"}
    assert (env["PAGER"], env["LC_ALL"], env["HOME"]) == ("cat", "C", "/home/u")


def test_every_call_disables_the_fsmonitor_program():
    assert gitview._FIXED_CONFIG == ("-c", "core.fsmonitor=false", "-c", "core.pager=cat")
