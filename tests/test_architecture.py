"""The import-direction rules of ARCHITECTURE.md, checked by walking every module's imports."""

from __future__ import annotations

import ast
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[1]
PACKAGES = ("bot", "analysis", "content", "storage")

# What each package may import among the four, and which third-party roots are reserved.
ALLOWED = {
    "bot": {"bot", "analysis", "content", "storage"},
    "analysis": {"analysis"},
    "content": {"content", "analysis"},
    "storage": {"storage"},
}
RESERVED = {"telegram": "bot", "sqlalchemy": "storage", "alembic": "storage"}


def _imports(path: Path) -> set[str]:
    tree = ast.parse(path.read_text(encoding="utf-8"), filename=str(path))
    roots: set[str] = set()
    for node in ast.walk(tree):
        if isinstance(node, ast.Import):
            roots.update(alias.name.split(".")[0] for alias in node.names)
        elif isinstance(node, ast.ImportFrom) and node.module and node.level == 0:
            roots.add(node.module.split(".")[0])
    return roots


def _modules() -> list[tuple[str, Path]]:
    return [(pkg, p) for pkg in PACKAGES for p in sorted((ROOT / pkg).rglob("*.py"))]


@pytest.mark.parametrize(("package", "path"), _modules(), ids=lambda v: str(v))
def test_imports_follow_the_one_direction(package: str, path: Path) -> None:
    roots = _imports(path)
    for root in roots & set(PACKAGES):
        assert root in ALLOWED[package], f"{path.relative_to(ROOT)} imports {root}"
    for library, owner in RESERVED.items():
        if library in roots:
            assert package == owner, f"{path.relative_to(ROOT)} imports {library}"


def test_rule_checker_sees_a_violation(tmp_path: Path) -> None:
    bad = tmp_path / "bad.py"
    bad.write_text("import telegram\nfrom storage.models import User\n")
    assert {"telegram", "storage"} <= _imports(bad)


# --- the structure of issue 15 ------------------------------------------------------------------


def _module_name(path: Path) -> str:
    name = ".".join(path.relative_to(ROOT).with_suffix("").parts)
    return name.removesuffix(".__init__")


MODULES = {_module_name(p): p for _, p in _modules()}


def _resolve(target: str) -> str | None:
    parts = target.split(".")
    while parts:
        if ".".join(parts) in MODULES:
            return ".".join(parts)
        parts.pop()
    return None


def _project_imports(name: str) -> set[str]:
    """Project modules this module imports anywhere (module level and inside functions)."""
    path = MODULES[name]
    package = name if path.name == "__init__.py" else name.rsplit(".", 1)[0]
    found: set[str] = set()
    for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
        if isinstance(node, ast.Import):
            found.update(r for a in node.names if (r := _resolve(a.name)))
        elif isinstance(node, ast.ImportFrom):
            if node.level:
                base = package.split(".")[: len(package.split(".")) - node.level + 1]
                module = ".".join([*base, *([node.module] if node.module else [])])
            else:
                module = node.module or ""
            for alias in node.names:
                if resolved := _resolve(f"{module}.{alias.name}") or _resolve(module):
                    found.add(resolved)
    found.discard(name)
    return found


def _cycles(graph: dict[str, set[str]]) -> list[set[str]]:
    """Strongly connected components of more than one module (Tarjan, iterative)."""
    index: dict[str, int] = {}
    low: dict[str, int] = {}
    on_stack: set[str] = set()
    stack: list[str] = []
    found: list[set[str]] = []
    counter = 0
    for root in graph:
        if root in index:
            continue
        work = [(root, iter(sorted(graph[root])))]
        index[root] = low[root] = counter
        counter += 1
        stack.append(root)
        on_stack.add(root)
        while work:
            node, children = work[-1]
            child = next(children, None)
            if child is not None:
                if child not in index:
                    index[child] = low[child] = counter
                    counter += 1
                    stack.append(child)
                    on_stack.add(child)
                    work.append((child, iter(sorted(graph.get(child, set())))))
                elif child in on_stack:
                    low[node] = min(low[node], index[child])
                continue
            work.pop()
            if work:
                low[work[-1][0]] = min(low[work[-1][0]], low[node])
            if low[node] == index[node]:
                component = set()
                while True:
                    member = stack.pop()
                    on_stack.discard(member)
                    component.add(member)
                    if member == node:
                        break
                if len(component) > 1:
                    found.append(component)
    return found


#: Cycles that exist today and are removed by the formats registry (issue 17). Only shrinks.
KNOWN_CYCLES: list[set[str]] = []


def test_no_import_cycle_in_any_package_function_level_imports_included() -> None:
    graph = {name: _project_imports(name) for name in MODULES}
    cycles = _cycles(graph)
    assert [c for c in cycles if c not in KNOWN_CYCLES] == []
    for known in KNOWN_CYCLES:
        assert known in cycles, f"{sorted(known)} is gone: remove it from KNOWN_CYCLES"


def test_the_cycle_finder_sees_a_cycle() -> None:
    assert _cycles({"a": {"b"}, "b": {"c"}, "c": {"a"}, "d": {"a"}}) == [{"a", "b", "c"}]


def test_services_know_nothing_of_telegram_or_the_handlers() -> None:
    services = [n for n in MODULES if n.startswith("bot.services")]
    assert services, "bot/services is missing"
    for name in services:
        assert "telegram" not in _imports(MODULES[name]), f"{name} imports telegram"
        bot_imports = {m for m in _project_imports(name) if m.startswith("bot.")}
        # bot.reports is the typed-report boundary (pure: pydantic and analysis' models).
        allowed = [m for m in bot_imports if m.startswith("bot.services") or m == "bot.reports"]
        assert len(allowed) == len(bot_imports), (name, bot_imports)
    assert "telegram" not in _imports(MODULES["bot.reports"])


def test_no_flow_imports_the_app_or_a_sibling_flow() -> None:
    flows = [n for n in MODULES if n.startswith("bot.flows.")]
    shared = {"bot.flows", "bot.flows.registry"}
    for name in flows:
        for imported in _project_imports(name):
            assert imported != "bot.app", f"{name} imports bot.app"
            if imported.startswith("bot.flows"):
                assert imported in shared, f"{name} imports the flow {imported}"


def test_every_flow_module_ends_in_a_flow() -> None:
    from bot.flows.registry import Flow

    for name in MODULES:
        if name.startswith("bot.flows.") and name not in {
            "bot.flows.registry",
            "bot.flows.fallback",
        }:
            module = __import__(name, fromlist=["FLOW"])
            assert isinstance(getattr(module, "FLOW", None), Flow), f"{name} has no FLOW"


def test_flows_reach_storage_only_through_services() -> None:
    # Types and enums (storage.models) and the Session type a text hook is handed are fine;
    # repositories, queues and database functions belong to bot/services.
    allowed = {"storage", "storage.models"}
    for name in (n for n in MODULES if n.startswith("bot.flows")):
        reached = {m for m in _project_imports(name) if m.startswith("storage")}
        assert reached <= allowed, f"{name} imports {sorted(reached - allowed)}"


#: The one handler that opens a transaction itself: free text is routed to the dialogue that
#: waits for it (whose hook works in the same transaction) or answered as a question, in one
#: unit of work, because a question must cost one round trip to the database.
TEXT_ROUTER = ("bot.flows.questions", "on_text")


def test_flows_leave_transactions_to_the_services() -> None:
    opened = []
    for name in (n for n in MODULES if n.startswith("bot.flows")):
        tree = ast.parse(MODULES[name].read_text(encoding="utf-8"))
        for function in ast.walk(tree):
            if not isinstance(function, (ast.FunctionDef, ast.AsyncFunctionDef)):
                continue
            for node in ast.walk(function):
                called = getattr(node, "func", None)
                if getattr(called, "id", getattr(called, "attr", None)) in {
                    "unit_of_work",
                    "transaction",
                }:
                    opened.append((name, function.name))
    assert set(opened) <= {TEXT_ROUTER}, sorted(set(opened) - {TEXT_ROUTER})


#: Attributes that hold a state, a kind or a step: compared or set only through their enums.
_STATE_ATTRIBUTES = {"status", "kind", "event", "dialog", "step"}


def _bare_states(path: Path) -> list[str]:
    found: list[str] = []
    where = path.relative_to(ROOT) if path.is_relative_to(ROOT) else path.name

    def is_text(node: ast.AST) -> bool:
        return isinstance(node, ast.Constant) and isinstance(node.value, str)

    def names_state(node: ast.AST) -> bool:
        return isinstance(node, ast.Attribute) and node.attr in _STATE_ATTRIBUTES

    for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
        texts: list[ast.AST] = []
        if isinstance(node, ast.Compare) and names_state(node.left):
            for other in node.comparators:
                texts += (
                    other.elts if isinstance(other, (ast.Tuple, ast.List, ast.Set)) else [other]
                )
        elif isinstance(node, ast.Call) and isinstance(node.func, ast.Attribute):
            if node.func.attr == "in_" and names_state(node.func.value):  # Column.in_((...))
                texts = [e for arg in node.args for e in getattr(arg, "elts", [arg])]
        elif (isinstance(node, ast.keyword) and node.arg in _STATE_ATTRIBUTES) or (
            isinstance(node, ast.Assign) and any(names_state(t) for t in node.targets)
        ):
            texts = [node.value]
        if any(is_text(item) for item in texts):
            found.append(f"{where}:{getattr(node, 'lineno', 0) or texts[0].lineno}")
    return found


def test_states_kinds_and_steps_are_enums_not_free_strings() -> None:
    found = [
        where
        for name, path in MODULES.items()
        if name.startswith(("bot", "storage")) and ".migrations" not in name
        for where in _bare_states(path)
    ]
    assert not found, "use the enum (storage.models, CheckinStep):\n" + "\n".join(found)


def test_the_state_finder_sees_a_bare_string(tmp_path: Path) -> None:
    module = tmp_path / "m.py"
    module.write_text(
        'if entry.status == "complete": pass\n'
        'q = query.where(Reminder.status.in_(("pending", "claimed")))\n'
        'add(kind="upload")\n'
        'entry.step = "note"\n'
        "if entry.status == EntryStatus.COMPLETE: pass\n",
        encoding="utf-8",
    )
    assert sorted(w.rsplit(":", 1)[1] for w in _bare_states(module)) == ["1", "2", "3", "4"]


#: How long a handler (a function taking the update, a Call or a Tap) may be: parse, one
#: service call, render, reply.
MAX_HANDLER_LINES = 30


def test_handlers_are_short() -> None:
    long = []
    for name, path in MODULES.items():
        if not name.startswith("bot.flows"):
            continue
        for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
            if isinstance(node, (ast.FunctionDef, ast.AsyncFunctionDef)) and node.args.args:
                lines = (node.end_lineno or node.lineno) - node.lineno + 1
                if node.args.args[0].arg in {"update", "call", "tap"} and lines > MAX_HANDLER_LINES:
                    long.append(f"{name}.{node.name}: {lines} lines")
    assert not long, f"handlers over {MAX_HANDLER_LINES} lines:\n" + "\n".join(long)


MAX_LINES = 400
#: Modules over the limit today, each to be split by the issue that next touches it. Only shrinks.
OVERSIZED: set[str] = set()  # every module is within the limit now; keep it so


def test_no_module_over_400_lines() -> None:
    sizes = {
        str(p.relative_to(ROOT)): len(p.read_text(encoding="utf-8").splitlines())
        for _, p in _modules()
    }
    over = {path for path, lines in sizes.items() if lines > MAX_LINES}
    assert over - OVERSIZED == set(), f"over {MAX_LINES} lines: {sorted(over - OVERSIZED)}"
    assert OVERSIZED - over == set(), f"now short enough, drop from OVERSIZED: {OVERSIZED - over}"


def test_callback_data_is_built_by_codecs_only() -> None:
    for name, path in MODULES.items():
        if not name.startswith("bot.") or name == "bot.callbacks":
            continue
        source = path.read_text(encoding="utf-8")
        assert 'callback_data=f"' not in source, f"{name} builds callback data by hand"
        assert ".data.split(" not in source, f"{name} parses callback data by hand"


# ---------------------------------------------------------------------------------------------
# Words live in content/: no sentence in analysis/ or in the bot modules a user's replies pass
# through. Log lines, exception messages (for logs and the CLI) and docstrings are not replies.
# ---------------------------------------------------------------------------------------------

#: Three words in a row: what a sentence shown to a person looks like.
_SENTENCE = __import__("re").compile(r"[A-Za-z]{2,}[,;:]? [A-Za-z]{2,}[,;:]? [A-Za-z]{2,}")
_LOG_CALLS = {"debug", "info", "warning", "error", "exception", "critical"}

#: Modules whose every string reaches users (operator tools, the CLI and the local chat do not).
_USER_FACING = (
    "analysis",
    "bot.flows",
    "bot.services",
    "bot.render",
    "bot.handlers",
    "bot.consent",
    "bot.dispatch",
    "bot.concurrency",
    "bot.reports",
    "bot.app",
)

#: Literals that read like words but are data: file signatures, taxon names, panel names and
#: method descriptions stored with a result, the formats list in an error's details (logs, CLI).
DATA_LITERALS = {
    ("analysis.formats.biom", "Biological Observation Matrix"),
    ("analysis.formats.metaphlan", "# Constructed from biom file"),
    ("analysis.formats.qiime2", "# Constructed from biom file"),
    ("analysis.indices.distance", "median Bray-Curtis to healthy panel"),
    ("analysis.plots", "outside lower center"),  # a matplotlib legend location
    ("analysis.reference.build", "GMHI validation healthy"),
    ("analysis.reference.build", "Phenotype == Healthy"),
    ("analysis.reference.build", "dx == normal"),
    ("analysis.taxonomy", "^(unclassified|uncultured"),
    ("analysis.taxonomy", "Streptococcus mitis oralis"),
    ("analysis.taxonomy", "Clostridium sensu stricto"),
}


def _sentences(path: Path) -> list[tuple[int, str]]:
    tree = ast.parse(path.read_text(encoding="utf-8"), filename=str(path))
    skip: set[int] = set()
    for node in ast.walk(tree):
        body = getattr(node, "body", None)
        if (
            isinstance(node, (ast.Module, ast.ClassDef, ast.FunctionDef, ast.AsyncFunctionDef))
            and body
            and isinstance(body[0], ast.Expr)
            and isinstance(body[0].value, ast.Constant)
        ):
            skip.add(id(body[0].value))
        exempt = isinstance(node, ast.Raise)
        if isinstance(node, ast.Call):
            func = node.func
            name = getattr(func, "attr", getattr(func, "id", ""))
            exempt = name.endswith("Error") or name in _LOG_CALLS
        if exempt:
            skip.update(id(sub) for sub in ast.walk(node))
    return [
        (node.lineno, node.value)
        for node in ast.walk(tree)
        if isinstance(node, ast.Constant)
        and isinstance(node.value, str)
        and id(node) not in skip
        and _SENTENCE.search(node.value)
    ]


def test_no_sentence_outside_content() -> None:
    found = []
    for name, path in MODULES.items():
        if not name.startswith(_USER_FACING):
            continue
        for line, literal in _sentences(path):
            if not any(name == m and literal.startswith(p) for m, p in DATA_LITERALS):
                found.append(f"{path.relative_to(ROOT)}:{line}: {literal[:70]!r}")
    assert not found, "words belong in content/messages:\n" + "\n".join(found)


def test_the_sentence_finder_sees_a_sentence(tmp_path: Path) -> None:
    module = tmp_path / "m.py"
    module.write_text(
        '"""Docstring with many words."""\n'
        'log.info("a log line is fine here")\n'
        'raise ValueError("an error message is fine")\n'
        'REPLY = "this one is shown to a person"\n',
        encoding="utf-8",
    )
    assert [line for line, _ in _sentences(module)] == [4]
