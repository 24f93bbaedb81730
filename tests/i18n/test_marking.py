"""Nothing a person reads is left out of translation: templates and Python are scanned."""

from __future__ import annotations

import ast
import re

import jinja2

from judge.core.catalogs import ROOT

TEMPLATES = ROOT / "judge" / "templates"
# Text that is the same in every language: the brand, symbols, language names.
SAME_IN_EVERY_LANGUAGE = {"judge", "https://", "한국어", "English"}
# Attributes people read (or hear, with a screen reader).
READ_ATTRIBUTES = (
    "title",
    "alt",
    "placeholder",
    "aria-label",
    "aria-description",
    r"data-msg-[\w-]+",
)
LETTERS = re.compile(r"[^\W\d_]{2,}")


def bare_text(source: str) -> list[str]:
    """Text outside {{ }}/{% %} in a template, with tags, entities and comments removed."""
    env = jinja2.Environment()
    joined = "".join(value if kind == "data" else "\x00" for _n, kind, value in env.lex(source))
    attributes = re.findall(rf'\b(?:{"|".join(READ_ATTRIBUTES)})="([^"\x00]*)"', joined)
    text = re.sub(r"<[^>]*>|&[a-z]+;|&#\d+;", "\x00", joined)
    pieces = [a for a in attributes if a.strip()]
    pieces += [t.strip() for t in re.split(r"\x00|\s{2,}|\n", text) if t.strip()]
    return [
        t for t in pieces if LETTERS.search(t) and t.strip("·:()/ ") not in SAME_IN_EVERY_LANGUAGE
    ]


def test_bare_text_finder_catches_an_unmarked_label():
    assert bare_text('<p>{{ _("Fine") }}</p><th>Score</th>') == ["Score"]
    assert bare_text('<input placeholder="e.g. laptop">') == ["e.g. laptop"]
    assert bare_text('<form data-msg-failed="Try again" title="{{ _("Fine") }}">') == ["Try again"]
    assert bare_text('<a href="{{ url }}">{{ name }}</a> · judge') == []


def test_every_template_text_is_marked_for_translation():
    unmarked = {
        str(path.relative_to(TEMPLATES)): found
        for path in sorted(TEMPLATES.rglob("*.html"))
        if (found := bare_text(path.read_text()))
    }
    assert unmarked == {}


# Calls whose first argument or ``message=`` is read by people.
MESSAGE_CALLS = {
    "DomainError", "Invalid", "NotFound", "Forbidden", "Unauthorized", "Conflict",
    "TooLarge", "RateLimited", "flash", "ValidationError", "abort_with",
}  # fmt: skip
FIELD = re.compile(r"^[A-Z]\w*Field$")
# Outside the request cycle or not for participants: the sandboxed engine (English by
# design, no Flask there), the CLI client and the operator commands.
NOT_SCANNED = ("judge/scoring/engine/", "judge/client/", "judge/demo/")


def _name(call: ast.Call) -> str:
    func = call.func
    return func.attr if isinstance(func, ast.Attribute) else getattr(func, "id", "")


def _is_literal(node: ast.AST | None) -> bool:
    if isinstance(node, ast.Constant) and isinstance(node.value, str):
        return bool(LETTERS.search(node.value))
    return isinstance(node, ast.JoinedStr)


def unmarked_calls(source: str) -> list[str]:
    found = []
    for node in ast.walk(ast.parse(source)):
        if not isinstance(node, ast.Call):
            continue
        name = _name(node)
        if name not in MESSAGE_CALLS and not FIELD.match(name):
            continue
        first = node.args[0] if node.args else None
        keyword = {k.arg: k.value for k in node.keywords}
        for value in (first, keyword.get("message"), keyword.get("label")):
            if _is_literal(value):
                found.append(f"line {node.lineno}: {name}({ast.unparse(value)[:60]})")
    return found


def test_python_finder_catches_an_unmarked_message():
    source = 'raise Invalid("Bad")\nflash(_("Good"))\nx = StringField("Name")\n'
    assert unmarked_calls(source) == ["line 1: Invalid('Bad')", "line 3: StringField('Name')"]


def test_every_python_message_is_marked_for_translation():
    unmarked = {}
    for path in sorted((ROOT / "judge").rglob("*.py")):
        relative = str(path.relative_to(ROOT))
        if relative.startswith(NOT_SCANNED):
            continue
        if found := unmarked_calls(path.read_text()):
            unmarked[relative] = found
    assert unmarked == {}
