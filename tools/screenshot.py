"""Render ckptlint's HTML report of a kernel tree and screenshot it with headless Chromium.

    python tools/screenshot.py /work/realtrees/linux-source-6.12 [--arch all]
        [--syscall mseal] [--out docs/report.png] [--html report.html]

Needs a ``chromium`` binary (Debian: ``apt-get install chromium``); it is a
tool for the docs, not a dependency of ckptlint. Prints the report's size
and how long it took to build, the figures quoted in docs/report.md.
"""

from __future__ import annotations

import argparse
import os
import shutil
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))


def build_report(tree: str, arch: str, html: Path) -> tuple[int, float]:
    """Run ``ckptlint report``; returns its exit code and wall-clock seconds."""
    from ckptlint.cli import main

    started = time.perf_counter()
    code = main(["report", tree, "--arch", arch, "-o", str(html)])
    if code not in (0, 1):
        raise SystemExit(f"ckptlint report failed with exit code {code}")
    return code, time.perf_counter() - started


def screenshot(html: Path, out: Path, syscall: str | None, size: str) -> None:
    """Headless Chromium, one window-sized PNG of the page (opened on ``#syscall``)."""
    chromium = shutil.which("chromium") or shutil.which("chromium-browser")
    if chromium is None:
        raise SystemExit("no chromium on PATH (Debian: apt-get install chromium)")
    url = html.resolve().as_uri() + (f"#{syscall}" if syscall else "")
    with tempfile.TemporaryDirectory(prefix="ckptlint-chromium-") as profile:
        command = [chromium, "--headless", "--disable-gpu", "--hide-scrollbars",
                   "--no-first-run", "--force-device-scale-factor=1",
                   f"--user-data-dir={profile}", f"--window-size={size}",
                   f"--screenshot={out.resolve()}", url]
        if os.geteuid() == 0:
            command.insert(1, "--no-sandbox")  # Chromium refuses to run as root otherwise
        subprocess.run(command, check=True, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL,
                       timeout=120)


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("tree")
    parser.add_argument("--arch", default="all")
    parser.add_argument("--syscall", default="mseal", help="open this syscall's wiring panel")
    parser.add_argument("--out", default=str(ROOT / "docs" / "report.png"))
    parser.add_argument("--html", help="keep the report here (default: a temporary file)")
    parser.add_argument("--size", default="1600,1000", help="window size, WIDTH,HEIGHT")
    args = parser.parse_args()
    with tempfile.TemporaryDirectory(prefix="ckptlint-report-") as tmp:
        html = Path(args.html) if args.html else Path(tmp) / "report.html"
        code, seconds = build_report(args.tree, args.arch, html)
        print(f"report: {html.stat().st_size / 1e6:.2f} MB in {seconds:.1f} s (exit {code})")
        screenshot(html, Path(args.out), args.syscall, args.size)
    print(f"screenshot: {args.out}, {Path(args.out).stat().st_size / 1e3:.0f} KB")
    return 0


if __name__ == "__main__":
    sys.exit(main())
