"""The catalogs are complete and the committed .mo files are what the .po files compile to."""

from __future__ import annotations

from babel.messages.catalog import Catalog

from judge.core import catalogs


def test_every_marked_string_has_a_korean_translation():
    # Extracted now, from the code and templates as they are: a new _("…") without a
    # Korean translation fails here until `scripts/translations` is run and ko is filled in.
    assert catalogs.untranslated("ko") == []


def test_every_marked_string_is_in_the_english_catalog():
    assert catalogs.untranslated("en") == []


def test_a_new_string_would_be_reported(monkeypatch):
    extracted = catalogs.extract()
    extracted.add("A sentence nobody has translated yet.", locations=[("judge/x.py", 1)])
    monkeypatch.setattr(catalogs, "extract", lambda: extracted)
    assert catalogs.untranslated("ko") == ["A sentence nobody has translated yet."]


def test_the_catalogs_know_korean_and_english():
    assert catalogs.locales() == ["en", "ko"]


def test_committed_mo_files_match_their_po_files():
    # scripts/setup and scripts/translations compile; this catches a .po edited without it.
    for locale in catalogs.locales():
        assert catalogs.mo_path(locale).read_bytes() == catalogs.compiled(locale), locale


def test_placeholders_survive_translation():
    import re

    placeholder = re.compile(r"%\(\w+\)[sd]|%%")
    ko: Catalog = catalogs.read(catalogs.po_path("ko"), "ko")

    def found(text: str) -> list[str]:
        return sorted(placeholder.findall(text))

    def broken(m) -> bool:
        if isinstance(m.id, str):
            return found(m.id) != found(m.string)
        # Korean has one plural form: it carries the placeholders of the English plural.
        return any(found(form) != found(m.id[-1]) for form in m.string)

    assert [m.id for m in ko if m.id and broken(m)] == []


# Names that read the same in Korean: the brand and the metrics' abbreviations.
SAME_IN_KOREAN = {"judge", "MAE", "MAPE", "RMSE", "RMSLE", "ROC AUC", "R²"}


def test_no_korean_entry_is_just_the_english_copied():
    ko = catalogs.read(catalogs.po_path("ko"), "ko")
    copied = [m.id for m in ko if m.id and m.string == m.id and m.id not in SAME_IN_KOREAN]
    assert copied == []


# One Korean word for one thing: the pages say 본선 진출팀 for a finalist, so another word
# for it (결선) reads as a different stage.
OTHER_WORDS = {"결선": "본선"}


def test_a_finalist_is_called_the_same_in_every_korean_entry():
    ko = catalogs.read(catalogs.po_path("ko"), "ko")
    strays = [m.id for m in ko if m.id and any(word in str(m.string) for word in OTHER_WORDS)]
    assert strays == []
