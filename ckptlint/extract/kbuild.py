"""Kbuild descent: which objects and directories a tree builds, and under what condition.

The top Makefile (with the arch Makefile it includes) and, in 6.x trees, the
top-level ``Kbuild`` name the first directories; each directory's ``Kbuild``
(else ``Makefile``) is then evaluated statically by
:mod:`ckptlint.extract.makefile`. Nothing from the tree is ever executed.
"""

from __future__ import annotations

import logging
import posixpath
import re
from collections import deque
from dataclasses import dataclass, field
from functools import lru_cache

from ckptlint.extract.makefile import (
    FALSE, TRUE, Cond, CWord, MakeEval, ReadLog, Var, c_and, c_not, c_or, config_refs_of, render,
    tree_path,
)
from ckptlint.extract.kbuild_shared import Inherited, shared_eval
from ckptlint.facts import ConfigRef, KbuildObject, Location, NoDotConfigPattern
from ckptlint.memory import gc_paused
from ckptlint.tree import KernelTree

LOG = logging.getLogger(__name__)

#: Top Makefile / arch Makefile lists naming the first directories.
_TOP_LISTS = re.compile(r"(?:core|init|drivers|net|libs|virt)-[ym]$")
#: Lists whose ``.o`` words are objects and ``dir/`` words are descents.
_OBJ_LISTS = ("obj-y", "obj-m", "lib-y", "lib-m")
#: Lists naming subdirectories (``subdir-ccflags-y`` is not one of them).
_SUBDIR_LISTS = ("subdir-y", "subdir-m")
#: Suffixes of the lists naming the parts of a composite object ``foo.o``.
_PART_SUFFIXES = ("-y", "-objs", "-m")
_MAX_COMPOSITE_DEPTH = 4
_SOURCE_SUFFIX = re.compile(r"\.(?:c|S|s|rs)$")

#: One thing a directory adds: path, condition relative to the directory,
#: the line, and whether it is a directory.
Entry = tuple[str, Cond, Location, bool]
Note = tuple[str, Location]


@dataclass
class KbuildModel:
    """What the Kbuild descent from the top Makefile reaches."""

    objects: dict[str, KbuildObject] = field(default_factory=dict)
    reached_dirs: dict[str, KbuildObject] = field(default_factory=dict)
    top_dirs: list[KbuildObject] = field(default_factory=list)
    no_dot_config: list[NoDotConfigPattern] = field(default_factory=list)
    dynamic: list[tuple[str, Location]] = field(default_factory=list)
    config_refs: list[ConfigRef] = field(default_factory=list)
    makefiles: list[str] = field(default_factory=list)
    #: The directories the descent was allowed to evaluate (``kernel/``), None: all of
    #: them. Outside the scope an answer is not known (:meth:`covers`).
    scope: frozenset[str] | None = None

    def condition_for_source(self, path: str) -> str | None:
        """Condition of the object built from a C/assembly source, or None."""
        obj = self.objects.get(_SOURCE_SUFFIX.sub("", path) + ".o")
        return None if obj is None or obj.is_dir else obj.condition

    def is_reached(self, directory: str) -> bool:
        """True when the descent reached a directory (``kernel`` or ``kernel/``)."""
        return directory.rstrip("/") + "/" in self.reached_dirs

    def covers(self, path: str) -> bool:
        """Whether this model knows how ``path`` (a file, or a directory ending in
        ``/``) is built: every kbuild file that could name it was evaluated."""
        if self.scope is None:
            return True
        directory = posixpath.dirname(path.rstrip("/")) if path.endswith("/") else posixpath.dirname(path)
        return not directory or directory + "/" in self.scope


def fixed_vars(srcarch: str, directory: str, um_hosts: tuple = ()) -> dict[str, Var]:
    """Variables as in the final make of a plain in-tree build (never reassigned)."""
    values = {
        "ARCH": srcarch, "SRCARCH": srcarch, "srctree": ".", "objtree": ".",
        "src": directory or ".", "obj": directory or ".",
        # no O=, M=, goals; the top Makefile has already re-invoked itself
        "KBUILD_EXTMOD": "", "KBUILD_SRC": "", "KBUILD_OUTPUT": "", "MAKECMDGOALS": "",
        "need-sub-make": "", "sub_make_done": "1",
        # set by the top Makefile in every kbuild run; out-of-tree module
        # Makefiles test it (``ifneq ($(KERNELRELEASE),)``)
        "KERNELRELEASE": "kernelrelease",
    }
    out = {name: Var([(value, TRUE, None)] if value else [], fixed=True)
           for name, value in values.items()}
    if um_hosts:
        out["SUBARCH"] = Var(list(um_hosts), fixed=True)
    return out


_UM_HOST_DIR = re.compile(r"^arch/um/sys-(\w+)$")
_SYMLINKS = re.compile(r"^SYMLINKS[ \t]*[:+]?=[ \t]*(.*)$", re.M)


def _um_symlinks(ev: MakeEval, directory: str) -> list[tuple[str, str]]:
    """2.6 um's borrowed sources: ``SYMLINKS = ldt.c ...`` with ``ldt.c-dir = dir``,
    which arch/um/scripts/Makefile.rules links in at build time from
    ``arch/$(SUBARCH)/dir`` (``/dir``: from the top of the tree)."""
    host = _UM_HOST_DIR.match(directory)
    if host is None:
        return []
    # Makefile.rules rewrites SYMLINKS with $(foreach); the directory's own list is read
    text = re.sub(r"\\\n", " ", ev.tree.read_text(f"{directory}/Makefile") or "")
    names = [w for m in _SYMLINKS.finditer(text) for w in m.group(1).split()]
    out = []
    for word in names:
        var = ev.vars.get(f"{word}-dir")
        if var is None or var.reason is not None or len(var.words) != 1 or "/" in word:
            continue
        where = var.words[0][0]
        base = where.lstrip("/") if where.startswith("/") else f"arch/{host.group(1)}/{where}"
        stem = _SOURCE_SUFFIX.sub("", word)
        out.append((f"{directory}/{stem}.o", posixpath.normpath(f"{base}/{stem}.o")))
    return out


def um_subarch(tree: KernelTree) -> tuple:
    """``SUBARCH`` of ARCH=um: the host it builds on (the top Makefile's ``uname -m``,
    never run here). 2.6 um has ``Makefile-$(SUBARCH)`` per host: both hosts at once,
    each under the bitness um's Kconfig gives it; later, x86 (arch/x86/um)."""
    if tree.is_file("arch/um/Makefile-i386"):
        return (("i386", "!64BIT", None), ("x86_64", "64BIT", None))
    return (("x86", TRUE, None),)


class _Descent:
    """State of one extraction: the graph of directories and local entries."""

    def __init__(self, tree: KernelTree, srcarch: str) -> None:
        self.tree, self.srcarch = tree, srcarch
        self.log = ReadLog()
        self.env: dict[str, Var] = {}
        self.edges: dict[str, list[tuple[str, Cond, Location]]] = {}
        #: (directory, what its lists add), in the order the descent applied them
        self.applied: list[tuple[str, _Entries]] = []
        self.notes: list[Note] = []
        self._memo: dict[str, Cond] = {}
        self._queue: deque[str] = deque()
        self._values: dict[str, list[tuple[str, Cond]] | None] = {}
        self._fixed: dict[str, Var] | None = None
        #: (object a build-time link compiles, object of the source it links to)
        self.symlinks: list[tuple[str, str]] = []
        #: Directories the walk may evaluate (None: every one reached).
        self.scope: frozenset[str] | None = None

    def top(self) -> MakeEval:
        """Evaluate the top Makefile (and the arch Makefile it includes)."""
        hosts = um_subarch(self.tree) if self.srcarch == "um" else ()
        top = MakeEval(self.tree, fixed_vars(self.srcarch, "", hosts), self.log)
        top.values = self._kconfig_values
        top.run("Makefile")
        self.env = {name: top.vars[name] for name in top.exported
                    if name in top.vars and not top.vars[name].fixed}
        for name, words in top.lists.items():
            if _TOP_LISTS.match(name):
                self._add_words(top, name, "", words, dirs_only=True)
            elif name == "head-y":
                self._add_words(top, name, "", words, objects_only=True)
        if self.tree.is_file("Kbuild"):
            self._add_dir_file("", "Kbuild")
        return top

    def _kconfig_values(self, symbol: str) -> list[tuple[str, Cond]] | None:
        """Values of an int/string symbol the arch's Kconfig sets by plain defaults.

        powerpc: ``config WORD_SIZE`` / ``int`` / ``default 64 if PPC64`` /
        ``default 32 if !PPC64``. Only ``default V [if [!]SYM]`` lines are
        read; anything else leaves the symbol unknown (None).
        """
        if symbol not in self._values:
            self._values[symbol] = _defaults(self.tree, self.srcarch, symbol)
        return self._values[symbol]

    def walk(self) -> None:
        """Breadth-first descent through every directory reached (each read once)."""
        while self._queue:
            directory = self._queue.popleft()
            if self.scope is not None and directory.rstrip("/") + "/" not in self.scope:
                continue  # reached (its edge is kept), but nothing asked about is built there
            path = self._kbuild_file(directory)
            if path is not None:
                self._add_dir_file(directory, path)

    def _kbuild_file(self, directory: str) -> str | None:
        """``Kbuild`` wins over ``Makefile``; the arch Makefile is not a kbuild file."""
        base = directory.rstrip("/")
        for name in ("Kbuild", "Makefile"):  # read_text caches, unlike is_file
            if self.tree.read_text(f"{base}/{name}") is not None:
                return None if f"{base}/{name}" == f"arch/{self.srcarch}/Makefile" else f"{base}/{name}"
        return None

    def _add_dir_file(self, directory: str, path: str) -> None:
        """Evaluate a directory's kbuild file and add its objects and subdirectories."""
        if self._fixed is None:
            self._fixed = fixed_vars(self.srcarch, "", um_subarch(self.tree) if self.srcarch == "um" else ())
        variables = Inherited(self.env, self._fixed, directory.rstrip("/"))
        ev = shared_eval(self.tree, path, directory, variables, self._kconfig_values)
        for ran in ev.ran:  # what this descent read, as if it had evaluated the file itself
            if self.log.first_read(ran):
                self.log.config_refs.extend(config_refs_of(ran, self.tree.read_text(ran) or ""))
        entries = ev.__dict__.get("kbuild_entries")
        if entries is None:  # the same for every descent sharing the evaluation
            entries = ev.__dict__["kbuild_entries"] = _Entries()
            for name in _OBJ_LISTS:
                entries.add_words(ev, name, directory, ev.lists.get(name, []))
            for name in _SUBDIR_LISTS:
                words = [(w if w.endswith("/") else w + "/", c, loc) for w, c, loc in ev.lists.get(name, [])]
                entries.add_words(ev, name, directory, words, dirs_only=True)
            for word, _, loc in ev.lists.get("obj-n", []):  # written as never built
                if word.endswith(".o"):
                    entries.objects.append((_join(directory, word), FALSE, loc))
        self._apply(directory, entries)
        self.symlinks += _um_symlinks(ev, directory.rstrip("/"))

    def _add_words(self, ev: MakeEval, name: str, directory: str, words: list[CWord],
                   dirs_only: bool = False, objects_only: bool = False) -> None:
        """Turn list words into edges and objects, expanding composite objects."""
        entries = _Entries()
        entries.add_words(ev, name, directory, words, dirs_only, objects_only)
        self._apply(directory, entries)

    def _apply(self, directory: str, entries: _Entries) -> None:
        """Add what a directory's lists say, in the order they say it."""
        self.notes.extend(entries.notes)
        for child, cond, loc in entries.edges:
            self._add_edge(child, directory, cond, loc)
        if entries.objects:
            self.applied.append((directory, entries))

    def _add_edge(self, child: str, parent: str, cond: Cond, loc: Location) -> None:
        """Record that ``parent`` descends into ``child`` under ``cond``."""
        if cond != FALSE and child != parent:
            if child not in self.edges:
                self._queue.append(child)
            self.edges.setdefault(child, []).append((parent, cond, loc))

    def dir_cond(self, directory: str) -> Cond:
        """Condition under which make descends into a directory (OR over parents)."""
        if directory == "":
            return TRUE
        if directory not in self._memo:
            self._memo[directory] = FALSE  # cuts a (malformed) cycle
            self._memo[directory] = c_or(*(c_and(self.dir_cond(parent), cond)
                                           for parent, cond, _ in self.edges.get(directory, [])))
        return self._memo[directory]


class _Entries:
    """What one directory's lists add: notes, subdirectory edges and objects (with conditions)."""

    def __init__(self) -> None:
        self.notes: list[Note] = []
        self.edges: list[tuple[str, Cond, Location]] = []
        self.objects: list[tuple[str, Cond, Location]] = []

    def add_words(self, ev: MakeEval, name: str, directory: str, words: list[CWord],
                  dirs_only: bool = False, objects_only: bool = False) -> None:
        """Turn list words into edges and objects, expanding composite objects."""
        self.notes.extend(ev.notes.get(name, []))
        for word, cond, loc in words:
            path = _join(directory, word)
            if path is None:
                continue
            if word.endswith("/") and not objects_only:
                self.edges.append((path + "/", cond, loc))
            elif word.endswith(".o") and not dirs_only:
                self.objects.append((path, cond, loc))
                self._add_parts(ev, directory, word[:-2], cond, 0)

    def _add_parts(self, ev: MakeEval, directory: str, stem: str, cond: Cond, depth: int) -> None:
        """Parts of a composite object (``foo-y``, ``foo-objs``, ``foo-$(CONFIG_X)``)."""
        if depth >= _MAX_COMPOSITE_DEPTH:
            return
        for suffix in _PART_SUFFIXES:
            self.notes.extend(ev.notes.get(stem + suffix, []))
            for word, part_cond, loc in ev.lists.get(stem + suffix, []):
                path = _join(directory, word)
                if path is not None and word.endswith(".o") and word[:-2] != stem:
                    both = c_and(cond, part_cond)
                    self.objects.append((path, both, loc))
                    self._add_parts(ev, directory, word[:-2], both, depth + 1)


def _join(directory: str, word: str) -> str | None:
    """Tree-relative path of a list word written in ``directory``."""
    path = tree_path(posixpath.join(directory, word))
    return path or None


def _merge(found: dict[str, tuple[Cond, Location]], path: str, cond: Cond, loc: Location) -> None:
    """OR a new condition into a path's entry, keeping the first location."""
    old = found.get(path)
    found[path] = (cond, loc) if old is None else (c_or(old[0], cond), old[1])


def _no_dot_config(top: MakeEval) -> list[NoDotConfigPattern]:
    """Patterns of ``no-dot-config-targets``, each at the line it is written on."""
    var = top.vars.get("no-dot-config-targets")
    words = var.words if var is not None else []
    return [NoDotConfigPattern(w, loc) for w, _, loc in words if loc is not None]


#: Every srcarch's descent combines and renders the same few thousand conditions
#: ~125,000 times (6.12); both are pure functions of their arguments.
_and = lru_cache(maxsize=65536)(c_and)
_render = lru_cache(maxsize=65536)(render)


@lru_cache(maxsize=262144)
def _object(path: str, condition: str, loc: Location, is_dir: bool) -> KbuildObject:
    """One (frozen) object per distinct row: srcarches that descend alike share them
    (6.12: ~33,000 distinct of ~640,000), and the cache stores each row once."""
    return KbuildObject(path, condition, loc, is_dir)


def _assembled(entries: _Entries, dir_cond: Cond) -> list[tuple[str, Cond, Location, KbuildObject]]:
    """A directory's objects under the condition of reaching it: (path, condition,
    line, object). Kept on the entries (shared by the srcarches that evaluate the
    directory alike) for each directory condition: most srcarches reach most
    directories under the same one."""
    memo = entries.__dict__.setdefault("assembled", {})
    rows = memo.get(dir_cond)
    if rows is None:
        rows = memo[dir_cond] = []
        for path, cond, loc in entries.objects:
            both = _and(dir_cond, cond)
            rows.append((path, both, loc, _object(path, _render(both), loc, path.endswith("/"))))
    return rows


def extract(tree: KernelTree, srcarch: str, scope: frozenset[str] | None = None) -> KbuildModel:
    """Descend from the top Makefile and report objects, directories and conditions;
    with a ``scope`` (:func:`scope_of`), only into the directories it holds."""
    with gc_paused(freeze=True):  # the model and the shared evaluations live until the run ends
        return _extract(tree, srcarch, scope)


#: A kbuild line that may name an object or directory outside its own subtree:
#: a parent path, an included file, an absolute tree path in a list (not in flags),
#: or 2.6 um's borrowed sources.
_REACHES_OUT = re.compile(
    r"\.\./|^[ \t]*-?s?include[ \t]|SYMLINKS"
    r"|^[ \t]*(?![^=#\n]*(?:flags|FLAGS))[^=#\n]*=[^#\n]*\$[({](?:srctree|objtree)[)}]", re.M)


def scope_of(tree: KernelTree, wanted: frozenset[str]) -> frozenset[str]:
    """The directories a descent must evaluate to know how the files in the ``wanted``
    directories are built: their ancestors, and the ancestors of every directory whose
    kbuild file may reach outside its own subtree (:data:`_REACHES_OUT`), since that
    file could name a wanted file too. Reading every kbuild file's text for that
    costs far less than evaluating them all (6.12: ~2,700 evaluations).

    Kept on the tree per ``wanted`` (every srcarch's descent asks); the files read
    are recorded again for each caller, as the inputs of what it computes.
    """
    memo: dict = tree.__dict__.setdefault("_kbuild_scopes", {})
    if wanted in memo:
        scope, reads = memo[wanted]
        tree.record(reads)
        return scope
    dirs = {d.strip("/") for d in wanted}
    with tree.recording() as reads:
        for rel in tree.listing:
            name = rel.rpartition("/")[2]
            if name in ("Makefile", "Kbuild") and "/" in rel:
                text = tree.read_text(rel)
                if text and _REACHES_OUT.search(text):
                    dirs.add(rel.rpartition("/")[0])
    out: set[str] = set()
    for directory in dirs:
        while directory and directory + "/" not in out:
            out.add(directory + "/")
            directory = posixpath.dirname(directory)
    memo[wanted] = (frozenset(out), frozenset(reads))
    return memo[wanted][0]


def _extract(tree: KernelTree, srcarch: str, scope: frozenset[str] | None = None) -> KbuildModel:
    descent = _Descent(tree, srcarch)
    descent.scope = scope
    top = descent.top()
    descent.walk()
    dirs: dict[str, tuple[Cond, Location]] = {}
    tops: dict[str, tuple[Cond, Location]] = {}
    for child, parents in descent.edges.items():
        cond = descent.dir_cond(child)
        if cond != FALSE:
            dirs[child] = (cond, parents[0][2])
        for parent, edge_cond, loc in parents:
            if parent == "":
                _merge(tops, child, edge_cond, loc)
    reached = {p: _object(p, _render(c), loc, True) for p, (c, loc) in dirs.items()}
    objects = dict(dirs)
    built = dict(reached)  # the final object of each path added once
    for directory, entries in descent.applied:
        for path, cond, loc, obj in _assembled(entries, descent.dir_cond(directory)):
            old = objects.get(path)
            if old is None:
                objects[path] = (cond, loc)
                built[path] = obj
            else:  # added again: conditions ORed, the first line kept
                objects[path] = (c_or(old[0], cond), old[1])
                built.pop(path, None)
    for link, source in descent.symlinks:  # the linked source is compiled as the link
        if link in objects:
            cond, loc = objects[link]
            old = objects.get(source)
            objects[source] = (c_or(old[0], cond), old[1]) if old else (cond, loc)
            built.pop(source, None)
    return KbuildModel(
        objects={p: built.get(p) or _object(p, _render(c), loc, p.endswith("/"))
                 for p, (c, loc) in objects.items()},
        reached_dirs=reached,
        top_dirs=[_object(p, _render(c), loc, True) for p, (c, loc) in tops.items()],
        no_dot_config=_no_dot_config(top),
        dynamic=list(dict.fromkeys(descent.notes)),
        config_refs=descent.log.config_refs,
        makefiles=descent.log.files,
        scope=scope,
    )


_DEFAULT_LINE = re.compile(r"^\s+default\s+\"?([\w.-]+)\"?(?:\s+if\s+(!?)\s*(\w+))?\s*$")


def _defaults(tree: KernelTree, srcarch: str, symbol: str) -> list[tuple[str, Cond]] | None:
    """``[(value, condition)]`` from the ``config symbol`` block of an arch Kconfig file."""
    header = re.compile(rf"^(?:menu)?config\s+{re.escape(symbol)}\s*$")
    for path in tree.glob(f"arch/{srcarch}/Kconfig*") + tree.glob(f"arch/{srcarch}/*/Kconfig*"):
        lines = tree.lines(path)
        for index, line in enumerate(lines):
            if not header.match(line):
                continue
            out: list[tuple[str, Cond]] = []
            for body in lines[index + 1:]:
                if body.strip() and not body[0].isspace():
                    break
                match = _DEFAULT_LINE.match(body)
                if match:
                    value, negated, cond = match.groups()
                    out.append((value, TRUE if cond is None
                                else c_not(cond) if negated else cond))
                elif body.strip().startswith("default"):
                    return None  # an expression default: not read
            return out or None
    return None
