"""Every Chinese word a user can see goes through Django's i18n, so an English locale needs no code change.

Templates: Chinese text outside {% translate %} / {% blocktranslate %} (and outside _("…") in tag arguments) fails.
JavaScript (ours, not vendored): a Chinese string literal not passed straight to gettext() (the jsi18n catalogue) fails.
Python (src/minsheng without the engine, which has no Django, and migrations): a string literal holding Chinese
characters outside a gettext call fails, unless it is a docstring or listed below with the reason it is data.
Only ideographs count: full-width punctuation alone ("；" as a separator) is not a message.
"""

from __future__ import annotations

import ast
import re
from pathlib import Path

import pytest
from django.template.base import Lexer, TokenType

import minsheng

PACKAGE = Path(minsheng.__file__).parent
IDEOGRAPH = re.compile(r"[\u3400-\u4dbf\u4e00-\u9fff\uf900-\ufaff]")
TRANSLATED_LITERAL = re.compile(r"""_\(("[^"]*"|'[^']*')\)""")
JS_TOKEN = re.compile(r"""(?P<comment>//[^\n]*|/\*.*?\*/)|(?P<gettext>gettext\(\s*)?"""
                      r"""(?P<string>"(?:[^"\\\n]|\\.)*"|'(?:[^'\\\n]|\\.)*'|`(?:[^`\\]|\\.)*`)""", re.S)
GETTEXT = {"_", "gettext", "gettext_lazy", "ngettext", "ngettext_lazy", "pgettext", "pgettext_lazy", "gettext_noop"}

# Rendered by the `minsheng report` CLI with Jinja2 and without Django settings: not Django templates.
NOT_DJANGO_TEMPLATES = {"reports/templates/report.html"}

# Whole modules whose Chinese literals are data or whose output is not rendered through Django.
EXEMPT_MODULES = {
    # The `minsheng report` CLI writes HTML/PDF/XLSX without Django (no settings, no active language).
    "reports/_data.py": "report built by the CLI without Django",
    "reports/_labels.py": "report built by the CLI without Django",
    "reports/charts.py": "report built by the CLI without Django",
    "reports/pdf.py": "report built by the CLI without Django",
    "reports/xlsx.py": "report built by the CLI without Django",
    # Demo people, places and messages: sample data, like a gazetteer, not interface text.
    "demo/accounts.py": "demo people and places",
    "demo/assistance.py": "demo recipients, needs and service records",
    "demo/consultation.py": "demo campaigns and citizens' messages",
    "demo/management/commands/seed_demo.py": "demo data",
    # Synthetic load for `minsheng bench` (messages, campaign names, search words): data.
    "bench/intake.py": "benchmark data",
    "bench/platform.py": "benchmark data",
    # The command line prints for operators, bilingually, without Django settings (no active language).
    "cli.py": "operator command line",
    "commands/evaluate.py": "operator command line",
    "commands/route_bench.py": "operator command line",
    "commands/stages.py": "operator command line",
    "commands/train.py": "operator command line",
}

# Module-level names whose value is Chinese data the code parses or stores, not text it shows.
DATA_NAMES = {
    # Words read out of a provider's free-text availability note ("工作日上午", "随叫随到").
    ("assistance/selectors/dispatch.py", "DAY_WORDS"): "parsed vocabulary",
    ("assistance/selectors/dispatch.py", "PART_WORDS"): "parsed vocabulary",
    ("assistance/selectors/dispatch.py", "ANY_TIME"): "parsed vocabulary",
    # Words that hold a citizen's message for moderation: matched against Chinese text, whatever the interface.
    ("consultation/intake/clean.py", "MODERATION_WORDS"): "matched vocabulary",
    # How people write a date and a time (2026年12月4日 9时30分): formats and patterns a typed value is read with.
    ("forms.py", "DATE_FORMATS"): "parsed formats",
    ("forms.py", "TIME_FORMATS"): "parsed formats",
    ("forms.py", "_UNIT_BLANKS"): "parsed pattern",
    ("forms.py", "_DAY_THEN_HOUR"): "parsed pattern",
}

# Single literals that are data: stored values, matched text.
DATA_LITERALS = {
    # Recipient.gender stores the sex read from the ID number, as the civil-affairs registers write it.
    ("assistance/services/recipients.py", "男"): "stored value",
    ("assistance/services/recipients.py", "女"): "stored value",
    # The default of the SITE_NAME setting, which operators set per deployment: configuration, not a message.
    ("web/settings.py", "民声"): "setting default",
    # A language is listed by its own name (autonym), whatever the interface language is.
    ("web/settings.py", "简体中文"): "autonym",
}


# Script literals that are keys, not text.
DATA_SCRIPT_LITERALS = {
    # The period key of the chart code shared with the CLI report (UNITS in reports/static/shared-charts.js).
    ("consultation/static/consultation/analysis.js", '"日"'): "period key",
}


def _relative(path: Path) -> str:
    return path.relative_to(PACKAGE).as_posix()


def untranslated_template_text(source: str) -> list[str]:
    """Chinese text of a Django template that no translate tag or _("…") covers."""
    found, inside_block = [], False
    for token in Lexer(source).tokenize():
        contents = token.contents
        if token.token_type == TokenType.BLOCK:
            if contents.startswith("blocktranslate") or contents.startswith("blocktrans "):
                inside_block = True
            elif contents.startswith("endblocktranslate") or contents.startswith("endblocktrans"):
                inside_block = False
                continue
            if contents.startswith(("translate ", "trans ")):
                continue
        if token.token_type == TokenType.COMMENT or (inside_block and token.token_type == TokenType.TEXT):
            continue
        if token.token_type in (TokenType.VAR, TokenType.BLOCK):
            contents = TRANSLATED_LITERAL.sub("", contents)
        if token.token_type == TokenType.TEXT:
            contents = re.sub(r"<!--.*?-->", "", contents, flags=re.S)
        if IDEOGRAPH.search(contents):
            found.append(contents.strip()[:80])
    return found


def untranslated_js_strings(source: str) -> list[str]:
    """Chinese string literals of a script that are not the argument of gettext()."""
    return [m["string"][:80] for m in JS_TOKEN.finditer(source)
            if m["string"] and not m["gettext"] and IDEOGRAPH.search(m["string"])]


def untranslated_python_literals(path: Path) -> list[str]:
    """Chinese string literals of a module outside gettext calls, docstrings and the data lists above."""
    relative = _relative(path)
    tree = ast.parse(path.read_text(encoding="utf-8"))
    parents = {child: node for node in ast.walk(tree) for child in ast.iter_child_nodes(node)}
    docstrings = {node.body[0].value for node in ast.walk(tree)
                  if isinstance(node, (ast.Module, ast.ClassDef, ast.FunctionDef, ast.AsyncFunctionDef))
                  and node.body and isinstance(node.body[0], ast.Expr) and isinstance(node.body[0].value, ast.Constant)}
    data_nodes = set()
    for node in tree.body:
        targets = node.targets if isinstance(node, ast.Assign) else [node.target] if isinstance(node, ast.AnnAssign) else []
        if any(isinstance(t, ast.Name) and (relative, t.id) in DATA_NAMES for t in targets):
            data_nodes |= set(ast.walk(node))
    found = []
    for node in ast.walk(tree):
        if not (isinstance(node, ast.Constant) and isinstance(node.value, str) and IDEOGRAPH.search(node.value)):
            continue
        if node in docstrings or node in data_nodes or (relative, node.value) in DATA_LITERALS:
            continue
        parent = parents.get(node)
        while parent is not None and not (isinstance(parent, ast.Call) and getattr(parent.func, "id", getattr(
                parent.func, "attr", None)) in GETTEXT):
            parent = parents.get(parent)
        if parent is None:
            found.append(f"line {node.lineno}: {node.value[:60]!r}")
    return found


TEMPLATES = sorted(p for p in PACKAGE.rglob("templates/**/*.html")
                   if _relative(p) not in NOT_DJANGO_TEMPLATES)
SCRIPTS = sorted(p for p in PACKAGE.rglob("static/**/*.js")
                 if "/vendor/" not in _relative(p) and not p.name.endswith(".min.js")
                 and not _relative(p).startswith("reports/"))  # the report's script belongs to the CLI report
MODULES = sorted(p for p in PACKAGE.rglob("*.py")
                 if not _relative(p).startswith("engine/") and "/migrations/" not in _relative(p)
                 and _relative(p) not in EXEMPT_MODULES)


@pytest.mark.parametrize("template", TEMPLATES, ids=_relative)
def test_template_text_is_translatable(template):
    assert untranslated_template_text(template.read_text(encoding="utf-8")) == []


@pytest.mark.parametrize("script", SCRIPTS, ids=_relative)
def test_script_text_is_translatable(script):
    found = untranslated_js_strings(script.read_text(encoding="utf-8"))
    assert [s for s in found if (_relative(script), s) not in DATA_SCRIPT_LITERALS] == []


@pytest.mark.parametrize("module", MODULES, ids=_relative)
def test_python_messages_are_translatable(module):
    assert untranslated_python_literals(module) == []


def test_the_checks_catch_what_they_are_for():
    template = '{% load i18n %}<p title="说明">{% translate "好" %}{{ x|default:"无" }}{{ y|default:_("无") }}</p>'
    assert untranslated_template_text(template) == ['<p title="说明">', '{{ x|default:"无" }}'.strip("{} ")]
    script = 'a = "http://x"; // 注释\nb = gettext("好"); c = `共 ${n} 条`; d = interpolate(gettext("%(n)s 条"), {n});'
    assert untranslated_js_strings(script) == ["`共 ${n} 条`"]


def test_the_allow_lists_name_real_things():
    for relative in [*EXEMPT_MODULES, *(path for path, _ in DATA_NAMES), *(path for path, _ in DATA_LITERALS),
                     *(path for path, _ in DATA_SCRIPT_LITERALS)]:
        assert (PACKAGE / relative).is_file(), relative
