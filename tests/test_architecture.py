"""The pure packages never reach Django, so the CLI, a notebook or a distributed engine can use them alone.

The floors themselves (no floor imports a higher one, core/ and analysis/ import no Django) are contracts
checked by `lint-imports` in `make lint` (pyproject.toml, [tool.importlinter]).  This test checks what a
static contract cannot see: that importing them loads no Django module at all, also through a third-party
package."""

import pkgutil
import subprocess
import sys
from pathlib import Path

import pytest

import khoosheh

PURE_PACKAGES = ["khoosheh.core", "khoosheh.analysis"]


def modules_of(package: str) -> list[str]:
    path = Path(khoosheh.__file__).parent / package.split(".")[1]
    if not path.exists():
        return []
    return [package] + [f"{package}.{m.name}" for m in pkgutil.walk_packages([str(path)]) if "tests" not in m.name]


@pytest.mark.parametrize("package", PURE_PACKAGES)
def test_pure_packages_import_no_django(package):
    modules = modules_of(package)
    if not modules:
        pytest.skip(f"{package} does not exist yet")
    code = ("import sys, importlib\n"
            f"for m in {modules!r}: importlib.import_module(m)\n"
            "leaked = sorted(m for m in sys.modules if m == 'django' or m.startswith('django.'))\n"
            "print(','.join(leaked))")
    env = {"PATH": "/usr/bin:/bin", "PYTHONPATH": str(Path(khoosheh.__file__).parents[1])}
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, env=env, check=True)
    assert out.stdout.strip() == "", f"{package} pulls in Django: {out.stdout}"
