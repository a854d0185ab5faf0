"""Templates as Django reads them: a mistake here prints developer text on a page, so it is caught here."""

from pathlib import Path

import pytest

TEMPLATES = sorted((Path(__file__).resolve().parents[1] / "khoosheh" / "templates").rglob("*.html"))


@pytest.mark.parametrize("template", TEMPLATES, ids=lambda p: str(p).split("templates/", 1)[1])
def test_no_comment_tag_spans_lines(template):
    # Django's {# … #} is a comment on one line only; opened on one line and closed on another, it is printed
    # as text (the import result page once showed its own note to developers).
    for number, line in enumerate(template.read_text(encoding="utf-8").splitlines(), start=1):
        opened = line.rfind("{#")
        assert opened == -1 or "#}" in line[opened:], f"line {number}: use {{% comment %}} for several lines"
