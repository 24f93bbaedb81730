"""The translation catalogs: extract marked strings, update ko/en, compile .mo files.

``python -m judge.core.catalogs update`` (what ``scripts/translations`` runs) extracts
every marked string into judge/translations/messages.pot, merges it into each
language's messages.po (new strings arrive empty), fills the English catalog from
the English source strings, and compiles the .mo files. ``compile`` only compiles.
The compiled .mo files are committed; tests/i18n checks that they match the .po.
"""

from __future__ import annotations

import copy
import io
import sys
from pathlib import Path

from babel.messages.catalog import Catalog
from babel.messages.extract import DEFAULT_KEYWORDS, extract_from_dir
from babel.messages.frontend import parse_mapping_cfg
from babel.messages.mofile import write_mo
from babel.messages.pofile import read_po, write_po

ROOT = Path(__file__).resolve().parents[2]
MAPPING = ROOT / "babel.cfg"
TRANSLATIONS = ROOT / "judge" / "translations"
TEMPLATE = TRANSLATIONS / "messages.pot"
SOURCE_LOCALE = "en"
KEYWORDS = {
    **DEFAULT_KEYWORDS,
    "_l": None,
    "lazy_gettext": None,
    "lazy_ngettext": (1, 2),
}


def po_path(locale: str) -> Path:
    return TRANSLATIONS / locale / "LC_MESSAGES" / "messages.po"


def mo_path(locale: str) -> Path:
    return po_path(locale).with_suffix(".mo")


def locales() -> list[str]:
    return sorted(p.parent.parent.name for p in TRANSLATIONS.glob("*/LC_MESSAGES/messages.po"))


def extract() -> Catalog:
    """Every string marked for translation in judge/ (Python and templates), as a catalog."""
    method_map, options_map = parse_mapping_cfg(io.StringIO(MAPPING.read_text()))
    catalog = Catalog(project="judge", msgid_bugs_address="", fuzzy=False)
    found = extract_from_dir(str(ROOT), method_map, options_map, keywords=KEYWORDS)
    for filename, lineno, message, comments, context in found:
        catalog.add(message, None, [(filename, lineno)], auto_comments=comments, context=context)
    return catalog


def read(path: Path, locale: str | None = None) -> Catalog:
    with path.open("rb") as handle:
        return read_po(handle, locale=locale)


def write(catalog: Catalog, path: Path) -> None:
    path.parent.mkdir(parents=True, exist_ok=True)
    partial = path.with_suffix(".partial")
    with partial.open("wb") as handle:  # a failed write leaves the old file whole
        write_po(handle, catalog, width=100, sort_output=True, omit_header=False)
    partial.replace(path)


def compiled(locale: str) -> bytes:
    """The .mo bytes the locale's current .po compiles to (fuzzy entries left out)."""
    buffer = io.BytesIO()
    write_mo(buffer, read(po_path(locale), locale))
    return buffer.getvalue()


def compile_all() -> None:
    for locale in locales():
        data = compiled(locale)
        if not mo_path(locale).exists() or mo_path(locale).read_bytes() != data:
            mo_path(locale).write_bytes(data)


def update() -> None:
    """Extract, merge into every language, fill English from the source, compile."""
    template = extract()
    _keep_date_if_unchanged(template)
    write(template, TEMPLATE)
    for locale in locales() or ["ko", SOURCE_LOCALE]:
        path = po_path(locale)
        catalog = read(path, locale) if path.exists() else _new_catalog(locale)
        # A copy each: update() adopts the template's message objects, which English fills in.
        catalog.update(copy.deepcopy(template), no_fuzzy_matching=True)
        catalog.obsolete.clear()  # a string the code no longer uses leaves the catalog
        if locale == SOURCE_LOCALE:
            _fill_from_source(catalog)
        write(catalog, path)
    compile_all()


def _keep_date_if_unchanged(template: Catalog) -> None:
    """Same strings as last time: keep the old date, so the .po and .mo files do not change."""
    if not TEMPLATE.exists():
        return
    previous = read(TEMPLATE)
    if {(m.id, m.context) for m in previous} == {(m.id, m.context) for m in template}:
        template.creation_date = previous.creation_date


def _new_catalog(locale: str) -> Catalog:
    return Catalog(locale=locale, project="judge", version="0.1", fuzzy=False)


def _fill_from_source(catalog: Catalog) -> None:
    for message in catalog:
        if message.id and not any(_as_tuple(message.string)):
            message.string = message.id
            message.flags.discard("fuzzy")


def _as_tuple(value: str | tuple | list | None) -> tuple:
    if isinstance(value, str):
        return (value,)
    return tuple(value or ())


def untranslated(locale: str) -> list[str]:
    """Marked strings (extracted now) that have no translation in ``locale``'s .po."""
    catalog = read(po_path(locale), locale)
    missing = []
    for message in extract():
        if not message.id:
            continue
        found = catalog.get(message.id, message.context)
        if found is None or found.fuzzy or not all(_as_tuple(found.string)):
            missing.append(message.id if isinstance(message.id, str) else message.id[0])
    return missing


def main(argv: list[str]) -> int:
    command = argv[0] if argv else "update"
    if command == "update":
        update()
    elif command == "compile":
        compile_all()
    elif command == "check":
        missing = {loc: untranslated(loc) for loc in locales()}
        for loc, ids in missing.items():
            for msgid in ids:
                print(f"{loc}: untranslated: {msgid}")
        return 1 if any(missing.values()) else 0
    else:
        print("usage: python -m judge.core.catalogs [update|compile|check]", file=sys.stderr)
        return 2
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
