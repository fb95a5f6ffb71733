"""The house along the data flow (docs/architecture.md): which room may import which.

Read from the code's own import statements (every `import` and `from ... import`, at any depth),
so a new upward import or a cycle between packages fails here before anyone has to find it.
"""
from __future__ import annotations

import ast
import re
from collections import defaultdict
from pathlib import Path

PACKAGE = Path(__file__).resolve().parents[1] / "newsarchive"

# Each room and the rooms it may import (docs/architecture.md, "The rooms"). The graph has no cycle,
# so neither can the code; `base` and `demo` import nothing of the project.
ALLOWED = {
    "base": set(),
    "normalize": {"base"},
    "extract": {"base", "normalize"},
    "warc": {"base"},
    "state": {"base", "normalize", "warc"},
    "fetch": {"base", "warc"},
    "export": {"base", "normalize", "warc"},
    "crawl": {"base", "normalize", "extract", "warc", "state", "fetch", "export"},
    "research": {"base", "normalize", "warc", "export"},
    "demo": set(),
    # Many workers, one crawl (scrapy-redis): above the crawl room it drives, below the commands.
    "distributed": {"base", "warc", "state", "crawl"},
    "commands": {"base", "crawl", "research", "state", "warc", "demo", "export", "fetch", "extract", "distributed"},
    # The entry points and the settings module sit on top.
    "cli": {"commands", "base"},
    "__main__": {"cli"},
    "settings": {"base"},
    "__init__": {"extract", "normalize"},  # the public API, a facade over the offline core
}


def room_of(path: Path) -> str:
    parts = path.relative_to(PACKAGE).parts
    return parts[0] if len(parts) > 1 else parts[0].removesuffix(".py")


def imported_modules(path: Path) -> list[str]:
    names = []
    for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
        if isinstance(node, ast.Import):
            names += [alias.name for alias in node.names]
        elif isinstance(node, ast.ImportFrom) and node.module and node.level == 0:
            names.append(node.module)
            if node.module == "newsarchive":  # `from newsarchive import layout` names a module too
                names += [f"newsarchive.{alias.name}" for alias in node.names]
    return names


def project_imports() -> dict[str, dict[str, set[str]]]:
    """room -> imported room -> the files that import it."""
    graph: dict[str, dict[str, set[str]]] = defaultdict(lambda: defaultdict(set))
    for path in sorted(PACKAGE.rglob("*.py")):
        room = room_of(path)
        for name in imported_modules(path):
            parts = name.split(".")
            if parts[0] != "newsarchive" or len(parts) < 2 or parts[1] in (room, "__version__"):
                continue
            graph[room][parts[1]].add(str(path.relative_to(PACKAGE.parent)))
    return graph


def test_every_room_is_known():
    rooms = {room_of(path) for path in PACKAGE.rglob("*.py")}
    assert rooms <= set(ALLOWED), f"rooms missing from ALLOWED (and docs/architecture.md): {rooms - set(ALLOWED)}"


def test_rooms_import_only_downward():
    wrong = [f"{room} -> {target} ({', '.join(sorted(files))})"
             for room, targets in project_imports().items() for target, files in targets.items()
             if target not in ALLOWED.get(room, set())]
    assert wrong == []


def test_the_allowed_graph_has_no_cycle():
    state: dict[str, str] = {}

    def visit(room: str, trail: list[str]) -> None:
        if state.get(room) == "done":
            return
        assert state.get(room) != "open", "cycle: " + " -> ".join(trail + [room])
        state[room] = "open"
        for target in ALLOWED.get(room, ()):
            visit(target, trail + [room])
        state[room] = "done"

    for room in ALLOWED:
        visit(room, [])


def test_only_the_warc_room_imports_warcio():
    readers = sorted(str(path.relative_to(PACKAGE.parent)) for path in PACKAGE.rglob("*.py")
                     if room_of(path) != "warc" and any(n.split(".")[0] == "warcio" for n in imported_modules(path)))
    assert readers == []


def test_no_grab_bag_module_names():
    bad = [str(p.relative_to(PACKAGE.parent)) for p in PACKAGE.rglob("*")
           if p.stem in ("utils", "helpers", "common", "misc")]
    assert bad == []


def test_comments_point_at_documents_in_the_repository():
    outside = [f"{path.relative_to(PACKAGE.parent)}:{number}" for path in PACKAGE.rglob("*")
               if path.suffix in (".py", ".json")
               for number, line in enumerate(path.read_text(encoding="utf-8").splitlines(), 1) if "DESIGN §" in line]
    assert outside == []
    assert (PACKAGE.parent / "docs" / "architecture.md").is_file()


SETTING_READ = re.compile(r"settings\.(?:get|getbool|getint|getfloat|getlist|getdict|getpriority)\(\s*\"([A-Z_0-9]+)\"(\s*,)?")


def setting_reads() -> list[tuple[str, str, bool]]:
    """(file, setting name, has a fallback argument) for every settings.get*("NAME"...) in the package and spiders."""
    reads = []
    for root in (PACKAGE, PACKAGE.parent / "spiders"):
        for path in root.rglob("*.py"):
            for match in SETTING_READ.finditer(path.read_text(encoding="utf-8")):
                reads.append((str(path.relative_to(PACKAGE.parent)), match.group(1), bool(match.group(2))))
    return reads


def test_every_setting_the_code_reads_is_declared_once():
    from scrapy.settings import default_settings

    from newsarchive import settings as project

    undeclared = sorted({f"{name} ({path})" for path, name, _ in setting_reads()
                         if not hasattr(project, name) and not hasattr(default_settings, name)})
    assert undeclared == []
    source = (PACKAGE / "settings.py").read_text(encoding="utf-8")
    assigned = re.findall(r"^([A-Z_0-9]+) = ", source, re.M)
    assert sorted({n for n in assigned if assigned.count(n) > 1}) == []


def test_code_reads_settings_without_fallbacks_of_its_own():
    # A fallback in code is a second default that can disagree with settings.py.
    assert sorted({f"{name} ({path})" for path, name, fallback in setting_reads() if fallback}) == []
