"""The whole-tree definition scan, file by file: cached by content, run in parallel.

Same result as ``defines.extract(tree, extra_names=...)``: the files of
``defines.discover`` in order, each pre-filtered on its raw bytes and scanned
by ``defines.Scanner``. A file's definitions (and the tree notes its scan
made) are cached under its content digest; the entry's key holds everything
else a file's result depends on (the extra names, the headers that define
argument macros, ckptlint's version). Files not answered by the cache are
split into contiguous chunks scanned by forked workers (``-j``), and results
are put back in file order.
"""

from __future__ import annotations

import logging
import os
import stat
from typing import Any, Iterable

from ckptlint.extract.asm_defines import LABEL_MACROS
from ckptlint.extract.defines import Scanner, discover
from ckptlint.extract.prototypes import arg_macro_headers
from ckptlint.facts import Definition, Location, TreeNote
from ckptlint.runtime.cache import Cache, key_text
from ckptlint.runtime.fingerprints import (FileDigests, code_fingerprint, digest_bytes, stat_digest,
                                           stat_key)
from ckptlint.tree import KernelTree
from ckptlint.treewalk import read_fd

LOG = logging.getLogger(__name__)

_NOFOLLOW = getattr(os, "O_NOFOLLOW", 0) | getattr(os, "O_NONBLOCK", 0)
#: Files per task handed to a worker.
CHUNK = 400

#: One file's outcome: (path, stat key, digest, definitions, notes); digest None = not scanned.
FileResult = tuple[str, list[int] | None, str | None, list[Definition], list[TreeNote]]


def scan_file(tree: KernelTree, scanner: Scanner, rel: str) -> FileResult:
    """Read one file once: pre-filter the bytes, scan it if it may define something.

    A file that cannot define anything (~29,000 of 6.12's ~33,000) gets a
    stat digest instead of a content one: nothing of it is cached but "no
    definitions while this stat holds", and hashing every byte of the tree
    cost as much as the scan. A file that may define something is digested
    by content, and its definitions are kept under its path and that digest (they
    carry the path: two files with the same bytes never share them).
    """
    try:
        fd = os.open(os.path.join(tree.root, rel), os.O_RDONLY | _NOFOLLOW)
    except OSError:
        return rel, None, None, [], []
    try:
        info = os.fstat(fd)
        if not stat.S_ISREG(info.st_mode) or not info.st_size:
            return rel, None, None, [], []
        if info.st_size > tree.max_file_bytes:  # noted like every other skipped read
            return rel, None, None, [], [TreeNote(
                message=f"file is larger than {tree.max_file_bytes} bytes; skipped",
                loc=Location(rel, 1), kind="too-large")]
        data = read_fd(fd, info.st_size)
        tree.answer_along(rel, data, info)  # kept in this process only (lost in a fork)
        if not scanner.wants(rel, data):
            return rel, stat_key(info), stat_digest(info), [], []
        digest = digest_bytes(data)
    except (OSError, ValueError):
        return rel, None, None, [], []
    finally:
        os.close(fd)
    mark = len(tree.notes)
    found = scanner.definitions(tree, rel)
    return rel, stat_key(info), digest, found, tree.notes[mark:]


def _scan_served(tree: KernelTree, scanner: Scanner, rel: str) -> tuple[list[Definition], list[TreeNote]]:
    """(definitions, notes) of a file the tree serves from memory (an overlay's)."""
    data = tree.read_bytes(rel)
    if not data or not scanner.wants(rel, data):
        return [], []
    mark = len(tree.notes)
    found = scanner.definitions(tree, rel)
    return found, tree.notes[mark:]


#: What forked workers inherit (never pickled): the tree, the scanner and the chunks.
_WORK: tuple[KernelTree, Scanner, list[list[str]]] | None = None


def _scan_chunk(index: int) -> list[FileResult]:
    tree, scanner, chunks = _WORK
    return [scan_file(tree, scanner, rel) for rel in chunks[index]]


def scan_definitions(tree: KernelTree, extra_names: Iterable[str], cache: Cache | None,
                     digests: FileDigests | None, jobs: int) -> list[Definition]:
    """All definitions of the tree, as ``defines.extract`` finds them.

    Files are read straight from disk (in forked workers with ``jobs`` > 1), and
    known by digest from the cache; the few an overlay of staged or patched files
    serves from memory are scanned here, through the tree's own reads.
    """
    from ckptlint.extract import defines
    from ckptlint.runtime import codec
    from ckptlint.runtime.workers import merge_notes

    extra = sorted(set(extra_names))
    scanner = Scanner(extra)
    c_paths, s_paths = discover(tree)
    paths = c_paths + s_paths
    # read below (or known by digest), not through tree.read_text; so are the macro
    # headers every file's arguments are expanded with (the key below holds them)
    macro_headers = [*arg_macro_headers(tree), *LABEL_MACROS.values()]
    tree.record([*paths, *macro_headers])
    key = key_text("definitions", code_fingerprint(), tree.max_file_bytes, extra,
                   [[h, digests.digest(h) if digests else None] for h in macro_headers])
    stored = cache.get("definitions", key) if cache is not None else None
    facts: dict[str, Any] = stored if isinstance(stored, dict) else {}
    results: dict[str, tuple[list[Definition], list[TreeNote]]] = {}
    todo: list[str] = []
    for rel in paths:
        if tree.served_elsewhere(rel):  # an overlay's file: scanned here, from memory
            results[rel] = _scan_served(tree, scanner, rel)
            continue
        hit = _cached(tree, rel, facts, digests, codec)
        if hit is None:
            todo.append(rel)
        else:
            results[rel] = hit
    for rel, info, digest, found, notes in _run(tree, scanner, todo, jobs):
        results[rel] = (found, notes)
        if info is not None:
            tree.read_stats.setdefault(rel, info)
        if digest is not None and digests is not None:
            digests.index[rel] = [*info, digest]
            digests.changed = True
            facts[_fact_key(rel, digest)] = codec.encode([found, notes]) if found or notes else 0
    out: list[Definition] = []
    for rel in paths:
        found, notes = results[rel]
        out.extend(found)
        merge_notes(tree, notes)
    if cache is not None and todo:
        live = ({_fact_key(rel, entry[4]) for rel, entry in digests.index.items() if rel in results}
                if digests else set())
        cache.put("definitions", key, {d: v for d, v in facts.items() if d in live})
    LOG.debug("%d definitions; %d of %d files scanned", len(out), len(todo), len(paths))
    return out


def _fact_key(rel: str, digest: str) -> str:
    """A file's stored definitions are its own: they carry its path, so two files with the
    same bytes (a fuzzed tree, a copied driver) never share an entry."""
    return f"{rel}\0{digest}"


def _cached(tree: KernelTree, rel: str, facts: dict, digests: FileDigests | None,
            codec: Any) -> tuple[list[Definition], list[TreeNote]] | None:
    """A file's stored result when its stat (hence digest) is unchanged, else None."""
    if digests is None or not facts:
        return None
    info = digests.lstat(rel)
    if info is None:
        return None
    digest = digests.known(rel, info)
    key = _fact_key(rel, digest) if digest is not None else None
    if key is None or key not in facts:
        return None
    value = facts[key]
    if value == 0:
        return [], []
    try:
        found, notes = codec.decode(value)
    except (ValueError, TypeError):
        return None
    return found, notes


def _run(tree: KernelTree, scanner: Scanner, paths: list[str], jobs: int) -> list[FileResult]:
    """Scan files here (-j1 or few files) or in forked workers, results in input order."""
    if jobs <= 1 or len(paths) < 2 * CHUNK:
        return [scan_file(tree, scanner, rel) for rel in paths]
    import multiprocessing

    global _WORK
    chunks = [paths[i:i + CHUNK] for i in range(0, len(paths), CHUNK)]
    _WORK = (tree, scanner, chunks)
    try:
        with multiprocessing.get_context("fork").Pool(jobs) as pool:
            return [result for chunk in pool.imap(_scan_chunk, range(len(chunks))) for result in chunk]
    finally:
        _WORK = None
