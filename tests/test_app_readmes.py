"""Every app's README.md names what the app has — its models, its URLs, its commands — and every pure or low
package's README names its modules and what it must never import (issue 15: docs kept true by tests).

What is named is read from the running project (the app registry, the URL resolver, the management/commands
folders, pyproject's import contracts), so a model, a page or a command added without a line in its README
fails here, by name."""

from __future__ import annotations

import re
import tomllib
from pathlib import Path

import pytest
from django.apps import apps
from django.conf import settings
from django.urls import URLPattern, URLResolver, get_resolver

import khoosheh

ROOT = Path(khoosheh.__file__).parent
APPS = [name for name in settings.INSTALLED_APPS if name.startswith("khoosheh.")]
# Not Django apps, so not in INSTALLED_APPS; they have READMEs all the same.
PACKAGES = ["khoosheh.web", "khoosheh.core", "khoosheh.analysis", "khoosheh.distributed"]


def folder(package: str) -> Path:
    return ROOT / package.split(".")[1]


def readme(package: str) -> str:
    return (folder(package) / "README.md").read_text(encoding="utf-8")


def in_code(text: str, *spellings: str) -> bool:
    """Whether the README writes one of the spellings as code (`…`), possibly after a qualifier
    (`models.Job`, `khoosheh worker`).  Only code spans count: a model called `Cluster` is not named by the
    prose word "cluster development", nor a route `<int:pk>/` by the longer `<int:pk>/status/`."""
    return any(re.search(r"`(?:[\w.]+[. ])?" + re.escape(s) + r"(?=[`\s(\[])", text) for s in spellings)


def app_config(name: str):
    return next(c for c in apps.get_app_configs() if c.name == name)


def models() -> list[tuple[str, str]]:
    return [(name, model.__name__) for name in APPS for model in app_config(name).get_models()]


def commands() -> list[tuple[str, str]]:
    """Each command as people type it: cli.py turns `import-units` into Django's `import_units`."""
    return [(name, path.stem.replace("_", "-")) for name in APPS
            for path in sorted((folder(name) / "management" / "commands").glob("[!_]*.py"))]


def _patterns(resolver: URLResolver, prefix: str = ""):
    for pattern in resolver.url_patterns:
        if isinstance(pattern, URLResolver):
            yield from _patterns(pattern, prefix + str(pattern.pattern))
        elif isinstance(pattern, URLPattern):
            yield pattern, prefix


def urls() -> list[tuple[str, str, str]]:
    """(app, route as its urlpatterns write it, the full path) of every page.

    A page belongs to the app whose module defines its view, so the portal's and the dashboards' pages in
    the root urls.py count too, and Django's own (admin, login) count for no app.  The route text is what
    is compared, not the URL name: it is what a reader types and sees, and a README that says
    `units/<int:pk>/status/` can be checked against urls.py by eye.  An empty route (a list at its mount)
    can only be named by its full path, `/jobs/`."""
    found = []
    for pattern, prefix in _patterns(get_resolver()):
        module = getattr(pattern.callback, "__module__", "") or ""
        owner = next((name for name in APPS if module.startswith(name + ".")), None)
        if owner:
            found.append((owner, str(pattern.pattern), "/" + prefix + str(pattern.pattern)))
    return found


def api_paths() -> list[str]:
    """The API's paths as its OpenAPI schema (and so its clients) spell them, without the `/api/v1` mount."""
    from khoosheh.api.v1 import api
    return sorted({path.removeprefix("/api/v1") for path in api.get_openapi_schema()["paths"]})


def modules_of(package: str) -> list[str]:
    """A package's modules (`geo.py`) and sub-packages (`unitfile/`), as its README names them."""
    here = folder(package)
    return sorted([p.name for p in here.glob("[!_]*.py")]
                  + [p.name + "/" for p in here.iterdir() if (p / "__init__.py").exists()])


def forbidden_imports() -> list[tuple[str, str]]:
    contracts = tomllib.loads((ROOT.parent / "pyproject.toml").read_text())["tool"]["importlinter"]["contracts"]
    return [(package, module) for contract in contracts if contract["type"] == "forbidden"
            for package in contract["source_modules"] if package in PACKAGES
            for module in contract["forbidden_modules"]]


def _id(value) -> str:
    return value.removeprefix("khoosheh.") if isinstance(value, str) else str(value)


@pytest.mark.parametrize("package", APPS + PACKAGES, ids=_id)
def test_every_app_and_low_package_has_a_readme(package):
    assert (folder(package) / "README.md").is_file(), f"{package} has no README.md"


@pytest.mark.parametrize(("app", "model"), models(), ids=_id)
def test_an_apps_readme_names_each_of_its_models(app, model):
    assert in_code(readme(app), model), f"{app}/README.md does not name the model `{model}`"


@pytest.mark.parametrize(("app", "route", "full"), [pytest.param(*url, id=f"{_id(url[0])}:{url[2]}") for url in urls()])
def test_an_apps_readme_names_each_of_its_urls(app, route, full):
    spellings = (route, full) if route else (full,)
    assert in_code(readme(app), *spellings), f"{app}/README.md names neither `{route}` nor `{full}`"


@pytest.mark.parametrize("path", api_paths())
def test_the_api_readme_names_each_of_its_paths(path):
    assert in_code(readme("khoosheh.api"), path, "/api/v1" + path), f"api/README.md does not name `{path}`"


@pytest.mark.parametrize(("app", "command"), commands(), ids=_id)
def test_an_apps_readme_names_each_of_its_commands_as_people_type_them(app, command):
    assert in_code(readme(app), command), f"{app}/README.md does not name the command `{command}`"


@pytest.mark.parametrize(("package", "module"), [(p, m) for p in PACKAGES for m in modules_of(p)],
                         ids=_id)
def test_a_low_packages_readme_names_each_of_its_modules(package, module):
    assert in_code(readme(package), module), f"{package}/README.md does not name `{module}`"


@pytest.mark.parametrize(("package", "module"), forbidden_imports(), ids=_id)
def test_a_pure_packages_readme_says_what_it_must_never_import(package, module):
    assert in_code(readme(package), module), f"{package}/README.md does not say it never imports `{module}`"
