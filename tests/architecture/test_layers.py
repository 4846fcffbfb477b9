"""The house rules a machine can check (docs/architecture.md, ADR 0090).

- The import-linter layers contract in pyproject.toml holds, with no exception listed.
- Project code imports at module level: fewer than 20 function-local imports of project code remain
  outside the tests, and each says why (``# local import: <reason>``, on its line or heading its block).
"""

import ast
import subprocess
import sys
import tomllib
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
PACKAGE = ROOT / "congso"
MAX_LOCAL_IMPORTS = 20


def _project_import(node: ast.AST) -> bool:
    if isinstance(node, ast.ImportFrom):
        return bool(node.level) or (node.module or "").split(".")[0] == "congso"
    if isinstance(node, ast.Import):
        return any(alias.name.split(".")[0] == "congso" for alias in node.names)
    return False


def function_local_imports() -> list[tuple[Path, int, str]]:
    """(file, line, source line) of every import of project code inside a function, outside tests."""
    found = []
    for path in sorted(PACKAGE.rglob("*.py")):
        parts = path.relative_to(PACKAGE).parts
        if "tests" in parts or "migrations" in parts:
            continue
        lines = path.read_text(encoding="utf-8").splitlines()
        tree = ast.parse("\n".join(lines), filename=str(path))
        for func in ast.walk(tree):
            if not isinstance(func, ast.FunctionDef | ast.AsyncFunctionDef):
                continue
            for node in ast.walk(func):
                if _project_import(node):
                    found.append((path.relative_to(ROOT), node.lineno, lines[node.lineno - 1]))
    # a nested function's import is seen once per enclosing function
    return sorted(set(found))


def _explained(path: Path, lineno: int) -> bool:
    """The import's line, or the comment heading its block of imports, says ``# local import: …``."""
    lines = (ROOT / path).read_text(encoding="utf-8").splitlines()
    index = lineno - 1
    if "# local import:" in lines[index]:
        return True
    while index > 0:
        index -= 1
        text = lines[index].strip()
        if "# local import:" in text:
            return True
        if text and not text.startswith(("#", "from ", "import ", ")")) and not text.endswith(","):
            return False
    return False


def test_function_local_imports_are_few_and_each_says_why():
    imports = function_local_imports()
    listing = "\n".join(f"{p}:{n}: {src.strip()}" for p, n, src in imports)
    assert len(imports) < MAX_LOCAL_IMPORTS, f"{len(imports)} function-local imports:\n{listing}"
    unexplained = [(p, n, s) for p, n, s in imports if not _explained(p, n)]
    assert not unexplained, "each function-local import needs '# local import: <reason>':\n" + "\n".join(
        f"{p}:{n}: {s.strip()}" for p, n, s in unexplained
    )


def test_the_layers_contract_lists_no_exception():
    config = tomllib.loads((ROOT / "pyproject.toml").read_text(encoding="utf-8"))["tool"]["importlinter"]
    contracts = config["contracts"]
    assert [c["type"] for c in contracts] == ["layers"]
    assert not any(c.get("ignore_imports") for c in contracts)
    apps = {p.parent.name for p in PACKAGE.glob("*/apps.py")}
    named = {app.strip() for layer in contracts[0]["layers"] for app in layer.replace(":", "|").split("|")}
    assert apps <= named, f"apps missing from the layers contract: {sorted(apps - named)}"


def test_the_layers_contract_holds():
    lint = Path(sys.executable).with_name("lint-imports")
    result = subprocess.run(
        [str(lint), "--no-cache"], cwd=ROOT, capture_output=True, text=True, timeout=300, check=False
    )
    assert result.returncode == 0, result.stdout[-4000:] + result.stderr[-2000:]
