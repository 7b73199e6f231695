"""The page's script decodes the embedded wiring as htmldata.unpack does.

Runs report.js's ``unpack`` under Node.js when it is installed (skipped
otherwise: CI has only Python), on every syscall of the sample tree.
"""

from __future__ import annotations

import json
import shutil
import subprocess
from pathlib import Path

import pytest

from ckptlint.cli import main
from ckptlint.report import htmldata

ROOT = Path(__file__).resolve().parents[2]
SCRIPT = ROOT / "ckptlint" / "report" / "assets" / "report.js"


@pytest.mark.skipif(shutil.which("node") is None, reason="needs Node.js")
def test_script_unpack_matches_python(tmp_path):
    out = tmp_path / "report.html"
    assert main(["report", str(ROOT / "sample_trees" / "clean-2.6.33"), "--arch", "all",
                 "-o", str(out)]) == 0
    page = out.read_text(encoding="utf-8")
    start = page.index('id="ckptlint-data">') + len('id="ckptlint-data">')
    (tmp_path / "data.json").write_text(page[start:page.index("</script>", start)])
    script = SCRIPT.read_text(encoding="utf-8")
    body = script[script.index("  const W = data.wiring;"):script.index("  function el(")]
    program = tmp_path / "unpack.js"
    program.write_text(
        "const fs = require('fs');\n"
        f"const data = JSON.parse(fs.readFileSync({json.dumps(str(tmp_path / 'data.json'))}, 'utf8'));\n"
        f"{body}\nconst out = {{}};\n"
        "for (const name of Object.keys(W.syscalls)) out[name] = unpack(name);\n"
        "process.stdout.write(JSON.stringify(out));\n")
    decoded = json.loads(subprocess.run(["node", str(program)], capture_output=True, text=True,
                                        check=True, timeout=60).stdout)
    data = json.loads((tmp_path / "data.json").read_text())
    assert sorted(decoded) == sorted(data["wiring"]["syscalls"])
    for name, info in decoded.items():
        assert info == htmldata.unpack(data["wiring"], name), name
