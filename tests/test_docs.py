"""The README's commands and docs/configuration.md's settings are what the code has (as datasette's
tests/test_docs.py keeps its documented settings true): a command, an option or a setting added without its
line, or a line left behind by a removal, fails here."""

from __future__ import annotations

import ast
import re
from pathlib import Path

import pytest
from django.core.management import get_commands, load_command_class

ROOT = Path(__file__).resolve().parent.parent
SETTINGS = ROOT / "khoosheh" / "settings.py"
CONFIGURATION = ROOT / "docs" / "configuration.md"
README = ROOT / "README.md"
READERS = {"get", "envbool", "envlist"}  # os.environ.get(NAME, …) and settings.py's two helpers


def settings_read_from_the_environment() -> set[str]:
    names = set()
    for node in ast.walk(ast.parse(SETTINGS.read_text())):
        if isinstance(node, ast.Call) and node.args and isinstance(node.args[0], ast.Constant):
            reader = node.func.attr if isinstance(node.func, ast.Attribute) else getattr(node.func, "id", "")
            if reader in READERS and str(node.args[0].value).isupper():
                names.add(node.args[0].value)
    return names


def documented_settings() -> set[str]:
    """The names in the first column of configuration.md's table; `_PORT` after `KHOOSHEH_EMAIL_HOST` is
    shorthand for `KHOOSHEH_EMAIL_PORT`."""
    names = set()
    for line in CONFIGURATION.read_text().splitlines():
        if not line.startswith("| `"):
            continue
        full = None
        for token in re.findall(r"`([A-Z_]+)`", line.split("|")[1]):
            if token.startswith("_") and full:
                token = full.rsplit("_", 1)[0] + token
            else:
                full = token
            names.add(token)
    return names


def readme_command_rows() -> list[tuple[list[str], set[str]]]:
    """Each row of the README's command table: the commands it names (as Django names them) and the options
    it shows."""
    rows = []
    for line in README.read_text().splitlines():
        if line.startswith("| `khoosheh "):
            usage = line.split("` |")[0] if "` | " in line else line
            commands = [name.replace("-", "_") for name in re.findall(r"`khoosheh ([a-z][a-z-]*)", usage)]
            rows.append((commands, set(re.findall(r"(--[a-z][a-z-]*)", usage))))
    return rows


def options_of(name: str) -> set[str]:
    parser = load_command_class(get_commands()[name], name).create_parser("khoosheh", name)
    return {option for action in parser._actions for option in action.option_strings}


def test_every_setting_read_from_the_environment_is_documented():
    assert settings_read_from_the_environment() - documented_settings() == set()


def test_every_documented_setting_is_read_by_the_settings():
    assert documented_settings() - settings_read_from_the_environment() == set()


def test_every_command_in_the_readme_exists():
    named = {name for commands, _ in readme_command_rows() for name in commands}
    assert named - set(get_commands()) == set()


def test_every_command_of_khoosheh_is_in_the_readme():
    ours = {name for name, app in get_commands().items() if app.startswith("khoosheh.")}
    named = {name for commands, _ in readme_command_rows() for name in commands}
    assert ours - named == set()


@pytest.mark.parametrize("commands, options", readme_command_rows(),
                         ids=[" / ".join(commands) for commands, _ in readme_command_rows()])
def test_every_option_the_readme_shows_is_an_option_of_its_command(commands, options):
    # A row may show two commands (backup / restore): each option must belong to one of them.
    known = set().union(*(options_of(name) for name in commands))
    assert options - known == set()


def test_the_readmes_make_targets_and_variables_are_the_makefiles():
    makefile = (ROOT / "Makefile").read_text()
    targets = set(re.findall(r"^([a-z][a-z-]*):", makefile, re.MULTILINE))
    variables = set(re.findall(r"^([A-Z_]+)\s*\?=", makefile, re.MULTILINE))
    text = README.read_text()
    code = "\n".join(re.findall(r"```.*?```", text, re.DOTALL) + re.findall(r"`([^`\n]+)`", text))
    shown = re.findall(r"\bmake ([a-z][a-z-]*)((?: [A-Z_]+=\S+)*)", code)  # in code, not prose
    assert {target for target, _ in shown} - targets == set()
    assert {v.split("=")[0] for _, given in shown for v in given.split()} - variables == set()


def api_doc_endpoints() -> set[tuple[str, str]]:
    """(method, path) of every call docs/api.md's endpoint table names, a path's parameters written as `{}`
    (the doc says `{id}` where the schema says `{unit_id}`) and its query string dropped."""
    table = (ROOT / "docs" / "api.md").read_text().split("## Endpoints", 1)[1]
    calls = re.findall(r"`(GET|POST|PUT|PATCH|DELETE) (/[^`?\s]*)", table)
    return {(method, re.sub(r"\{[^}]*\}", "{}", path)) for method, path in calls}


def api_schema_endpoints() -> set[tuple[str, str]]:
    from khoosheh.api.v1 import api

    paths = api.get_openapi_schema()["paths"]
    return {(method.upper(), re.sub(r"\{[^}]*\}", "{}", path.removeprefix("/api/v1")))
            for path, operations in paths.items() for method in operations}


def test_every_api_call_is_in_docs_api_md():
    assert api_schema_endpoints() - api_doc_endpoints() == set()


def test_every_call_docs_api_md_names_is_in_the_api():
    assert api_doc_endpoints() - api_schema_endpoints() == set()
