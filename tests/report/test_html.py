"""ckptlint report: the self-contained HTML page, checked by parsing it (html.parser)."""

from __future__ import annotations

import json
from html.parser import HTMLParser
from pathlib import Path

import pytest

from ckptlint.cli import main
from ckptlint.facts import Location, SyscallNumber
from ckptlint.findings import Finding, Related
from ckptlint.report import html, htmldata

ROOT = Path(__file__).resolve().parents[2]
CLEAN = ROOT / "sample_trees" / "clean-2.6.33"
VOID = {"meta", "input", "br", "img", "link", "hr", "wbr", "source", "area", "base", "col"}
URL_ATTRS = {"src", "href", "action", "formaction", "srcset", "poster", "data", "background"}


class Page(HTMLParser):
    """The parts of the report a test looks at: matrix cells, scripts, references."""

    def __init__(self, text: str) -> None:
        super().__init__(convert_charrefs=True)
        self.abis: list[str] = []
        self.rows: dict[str, list[tuple[str, str]]] = {}
        self.scripts: list[tuple[dict, str]] = []
        self.urls: list[str] = []
        self.handlers: list[str] = []
        self.tags: list[str] = []
        self.texts: list[str] = []
        self.findings: list[list[str]] = []
        self._open: list[tuple[str, dict, list[str]]] = []
        self.feed(text)
        self.close()

    def handle_starttag(self, tag, attrs):
        attributes = dict(attrs)
        self.tags.append(tag)
        self.urls += [v for k, v in attrs if k in URL_ATTRS]
        self.handlers += [k for k, _ in attrs if k.startswith("on")]
        if tag == "tr" and "data-name" in attributes:
            self.rows[attributes["data-name"]] = []
        if tag == "tr" and attributes.get("id", "").startswith("f-"):
            self.findings.append([])
        if tag not in VOID:
            self._open.append((tag, attributes, []))

    def handle_endtag(self, tag):
        tag_, attributes, buffer = self._open.pop()
        assert tag_ == tag, f"</{tag}> closes <{tag_}>"
        text = "".join(buffer)
        inside = [t for t, _, _ in self._open]
        if tag == "span" and inside[-2:] == ["tr", "th"] and "thead" in inside:
            self.abis.append(text)
        elif tag == "td" and "tbody" in inside and self.rows and "matrix" in self._ids():
            self.rows[list(self.rows)[-1]].append((attributes["class"], text))
        elif tag == "script":
            self.scripts.append((attributes, text))
        if tag == "td" and self._row_id().startswith("f-"):
            self.findings[-1].append(text)

    def _ids(self) -> set[str]:
        return {a.get("id", "") for _, a, _ in self._open}

    def _row_id(self) -> str:
        return next((a.get("id", "") for t, a, _ in reversed(self._open) if t == "tr"), "")

    def handle_data(self, data):
        for _, _, buffer in self._open:
            buffer.append(data)
        self.texts.append(data)

    def data(self) -> dict:
        (attributes, text), = [s for s in self.scripts if s[0].get("type") == "application/json"]
        assert attributes == {"type": "application/json", "id": "ckptlint-data"}
        return json.loads(text)

    def cells(self, name: str) -> dict[str, tuple[str, str]]:
        return dict(zip(self.abis, self.rows[name]))


def _report(tmp_path, tree, *args, code=0) -> Page:
    out = tmp_path / "report.html"
    # the x86 ABIs of the sample (every arch by default): the cells below are x86's
    assert main(["report", str(tree), "-o", str(out), "--arch", "x86", *args]) == code
    return Page(out.read_text(encoding="utf-8"))


W, M, X = "wired", "missing", "inconsistent"


def test_clean_tree_matrix_cells(tmp_path):
    page = _report(tmp_path, CLEAN)
    assert page.abis == ["i386", "x86_64"]
    assert {name: page.rows[name] for name in page.rows} == {
        "checkpoint": [(W, "9"), (M, "")],
        "close": [(W, "6"), (W, "3")],
        "exit": [(W, "1"), (W, "6")],
        "fork": [(W, "2"), (W, "5")],
        "getpid": [(W, "8"), (W, "4")],
        "open": [(W, "5"), (W, "2")],
        "read": [(W, "3"), (W, "0")],
        "restart": [(W, "10"), (M, "")],
        "restart_syscall": [(W, "0"), (M, "")],
        "write": [(W, "4"), (W, "1")],
    }
    assert page.findings == []


def test_all_arches_show_holes_and_other_abis(tmp_path):
    page = _report(tmp_path, CLEAN, "--arch", "all")
    assert page.abis == ["arm", "i386", "s390", "s390x", "x86_64"]
    assert page.cells("checkpoint") == {"arm": (M, ""), "i386": (W, "9"), "s390": (W, "9"),
                                        "s390x": (W, "9"), "x86_64": (M, "")}


def test_failing_case_marks_the_shifted_cells(tmp_path, sample):
    page = _report(tmp_path, sample("table-shift"), code=1)
    assert page.cells("checkpoint") == {"i386": (X, "9"), "x86_64": (M, "")}
    assert page.cells("restart") == {"i386": (X, "10"), "x86_64": (M, "")}
    assert page.cells("write") == {"i386": (W, "4"), "x86_64": (W, "1")}
    assert [row[:3] for row in page.findings] == [
        ["error", "CKL101 table-position-mismatch", "arch/x86/kernel/syscall_table_32.S:13:2"],
        ["error", "CKL102 table-length-mismatch", "arch/x86/kernel/syscall_table_32.S:14:2"]]
    assert page.findings[0][3] == (
        "sys_checkpoint is at table position 10, but __NR_checkpoint is 9 (entries from here are "
        "shifted by +1) (i386)arch/x86/include/asm/unistd_32.h:15: __NR_checkpoint is 9")


def test_gate_that_can_never_be_y_is_gated_off(tmp_path, sample):
    tree = sample("gate-never-enabled")
    page = _report(tmp_path, tree, code=1)  # CKL404 on i386; CKL601 and CKL901 on x86_64
    assert page.cells("checkpoint") == {"i386": ("gated", "9"), "x86_64": (X, "")}
    assert page.cells("restart") == {"i386": ("gated", "10"), "x86_64": (X, "")}
    assert page.cells("read") == {"i386": (W, "3"), "x86_64": (W, "0")}
    assert [row[1] for row in page.findings].count("CKL404 gate-never-enabled") == 1  # one gate
    page = _report(tmp_path, tree, "--ignore", "CKL601,CKL901")
    assert page.cells("checkpoint") == {"i386": ("gated", "9"), "x86_64": (M, "")}


def test_embedded_wiring_is_matrix_syscall_json(tmp_path, capsys):
    data = _report(tmp_path, CLEAN, "--arch", "all").data()
    assert sorted(data["wiring"]["syscalls"]) == sorted(
        json.loads(_matrix_json(capsys))["syscalls"])
    for name in data["wiring"]["syscalls"]:
        expected = json.loads(_matrix_json(capsys, "--syscall", name))
        del expected["edges"]
        assert htmldata.unpack(data["wiring"], name) == expected, name


def _matrix_json(capsys, *args) -> str:
    assert main(["matrix", str(CLEAN), "--format", "json", *args]) == 0
    return capsys.readouterr().out


def test_self_contained(tmp_path):
    page = _report(tmp_path, CLEAN)
    assert page.urls and all(url.startswith("#") for url in page.urls)
    assert not {"link", "img", "iframe", "object", "embed", "base"} & set(page.tags)
    assert [a for a, _ in page.scripts] == [{"type": "application/json", "id": "ckptlint-data"}, {}]
    assert page.handlers == []


HOSTILE = '"><script>alert(1)</script><img src=x onerror=alert(2)>&amp;</td>'


def test_hostile_names_are_text(tmp_path, sample, monkeypatch):
    from ckptlint.engine.options import Options
    from ckptlint.engine.run import run
    from ckptlint.tree import KernelTree

    tree = sample("seed-as-posted").rename(tmp_path / HOSTILE.replace("/", "_"))
    result = run(KernelTree(tree), Options(facts={"numbers", "tables", "kconfig"}, arches={"x86"}))
    result.graph.facts.numbers["i386"].append(
        SyscallNumber("i386", HOSTILE, 99, Location(HOSTILE, 1)))
    result.findings.append(Finding(HOSTILE, 1, "CKL101", "table-position-mismatch", "error",
                                   HOSTILE, (Related(Location(HOSTILE, 2), HOSTILE),),
                                   symbol=HOSTILE, arch="i386"))
    text = html.render(result)
    page = Page(text)
    assert page.tags.count("script") == 2 and "img" not in page.tags and page.handlers == []
    assert page.cells(HOSTILE) == {"i386": (X, "99"), "x86_64": (M, "")}
    assert [row for row in page.findings if row[1].startswith("CKL101")] == [
        ["error", "CKL101 table-position-mismatch", f"{HOSTILE}:1:1",
         f"{HOSTILE} (i386){HOSTILE}:2: {HOSTILE}"]]
    assert str(tree) in "".join(page.texts)
    data = page.data()
    assert data["findings"][-1] == ["CKL101", "table-position-mismatch", "error", f"{HOSTILE}:1",
                                    HOSTILE]
    assert HOSTILE in data["wiring"]["syscalls"] and "</" not in page.scripts[0][1]


def test_exit_codes_and_atomic_output(tmp_path, sample, capsys):
    out = tmp_path / "r.html"
    assert main(["report", str(sample("seed-as-posted")), "-o", str(out)]) == 1
    assert out.read_text().startswith("<!DOCTYPE html>")
    assert capsys.readouterr().err == (f"ckptlint: wrote {out}: 1 finding (1 error, 0 warnings, "
                                       "0 notes); ABIs: arm, i386, s390, s390x, x86_64\n")
    assert main(["report", str(tmp_path / "nope"), "-o", str(tmp_path / "x.html")]) == 2
    assert capsys.readouterr().err == f"ckptlint: error: {tmp_path / 'nope'}: no such directory\n"
    assert sorted(p.name for p in tmp_path.iterdir()) == ["r.html", "seed-as-posted"]
    assert main(["report", str(CLEAN), "--fail-on", "note", "--show-notes"]) == 1
    assert capsys.readouterr().out.startswith("<!DOCTYPE html>")


@pytest.mark.parametrize("text, expected", [
    ("VERSION = 2\nPATCHLEVEL = 6\nSUBLEVEL = 33\nEXTRAVERSION =\nNAME = Man-Eating Seals\n", "2.6.33"),
    ("VERSION = 6\nPATCHLEVEL = 12\nSUBLEVEL = 0\nEXTRAVERSION = -rc1\n", "6.12.0-rc1"),
    ("all:\n", None)])
def test_kernel_version(text, expected):
    from ckptlint.tree import KernelTree

    class Tree:
        def read_text(self, path):
            return text

    assert KernelTree.kernel_version(Tree()) == expected


def test_findings_come_by_severity_and_can_be_filtered_without_a_script(sample):
    """Errors first, then warnings, then notes, whatever their paths; the radio buttons
    hide the lower ones with CSS alone."""
    from ckptlint.engine.options import Options
    from ckptlint.engine.run import run
    from ckptlint.tree import KernelTree

    result = run(KernelTree(sample("seed-as-posted")), Options(facts={"numbers", "tables", "kconfig"},
                                                             min_severity="note"))
    text = html.render(result)
    page = Page(text)
    severities = [row[0] for row in page.findings]
    assert "note" in severities and severities[0] == "error"
    assert severities == sorted(severities, key=["error", "warning", "note"].index)
    assert 'id="show-error"' in text and 'class="sev-note"' in text


def test_placeholder_rows_come_after_every_syscall():
    from ckptlint.report.htmldata import _PLACEHOLDER

    assert [n for n in ("available165", "reserved221", "unused59", "ni_syscall", "read", "unused",
                        "readv")
            if _PLACEHOLDER.match(n)] == ["available165", "reserved221", "unused59", "ni_syscall", "unused"]
