"""A local wheelhouse made from the distributions installed in the running interpreter.

The pre-commit test runs the real framework offline: pre-commit builds the
hook's own virtualenv and pip-installs ckptlint into it, with its runtime
dependencies. With no index, pip finds those dependencies here: each
installed distribution is packed back into a wheel from the files its
``RECORD`` lists (all of them pure Python), so nothing has to be installed
into the system interpreter and nothing is downloaded.
"""

from __future__ import annotations

import base64
import csv
import hashlib
import io
import re
import zipfile
from importlib import metadata
from pathlib import Path


def _wheel_name(dist: metadata.Distribution) -> str:
    name = re.sub(r"[-_.]+", "_", dist.metadata["Name"])
    return f"{name}-{dist.version}-py3-none-any.whl"


def _record_line(arcname: str, data: bytes) -> list[str]:
    digest = base64.urlsafe_b64encode(hashlib.sha256(data).digest()).rstrip(b"=").decode()
    return [arcname, f"sha256={digest}", str(len(data))]


def pack(dist: metadata.Distribution, into: Path) -> Path:
    """Write ``dist`` (as installed) as a wheel into ``into``; return its path."""
    target = into / _wheel_name(dist)
    files = [f for f in (dist.files or []) if not str(f).startswith("..")]
    info_dir = next((f.parts[0] for f in files if f.parts[0].endswith(".dist-info")), None)
    if info_dir is None:
        raise ValueError(f"{dist.metadata['Name']}: no .dist-info in its RECORD")
    rows: list[list[str]] = []
    with zipfile.ZipFile(target, "w", zipfile.ZIP_DEFLATED) as wheel:
        for file in files:
            arcname = file.as_posix()
            if arcname.endswith((".pyc", "/RECORD", "/INSTALLER", "/direct_url.json")) \
                    or "__pycache__" in file.parts:
                continue
            path = Path(file.locate())
            if not path.is_file():
                continue
            data = path.read_bytes()
            wheel.writestr(arcname, data)
            rows.append(_record_line(arcname, data))
        if f"{info_dir}/WHEEL" not in {r[0] for r in rows}:
            data = b"Wheel-Version: 1.0\nGenerator: ckptlint-tests\nRoot-Is-Purelib: true\nTag: py3-none-any\n"
            wheel.writestr(f"{info_dir}/WHEEL", data)
            rows.append(_record_line(f"{info_dir}/WHEEL", data))
        record = io.StringIO()
        csv.writer(record, lineterminator="\n").writerows(rows + [[f"{info_dir}/RECORD", "", ""]])
        wheel.writestr(f"{info_dir}/RECORD", record.getvalue())
    return target


def build(names: list[str], into: Path) -> list[Path]:
    """Wheels of the named installed distributions (KeyError-free: a missing one raises
    ``metadata.PackageNotFoundError``)."""
    into.mkdir(parents=True, exist_ok=True)
    return [pack(metadata.distribution(name), into) for name in names]
