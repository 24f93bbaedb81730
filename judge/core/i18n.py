"""Which language a request is answered in, and dates, numbers and money in that language.

Order: ``?lang=`` on the address (this request; also remembered in the session
cookie), then the logged-in user's saved setting, then the session cookie
(set by the switcher, works without an account), then Accept-Language, then
the default (Korean). Under /api/ there is no session: ``?lang=``, then
Accept-Language, then the token owner's saved setting, then the default.
"""

from __future__ import annotations

from datetime import datetime
from decimal import Decimal
from urllib.parse import urlencode
from zoneinfo import ZoneInfo

from babel.lists import format_list
from babel.units import format_unit
from flask import Flask, current_app, has_request_context, request, session
from flask_babel import format_currency, format_date, format_decimal, format_time, get_locale
from flask_babel import gettext as _
from flask_login import current_user

LANG_PARAM = "lang"
SESSION_KEY = "locale"
API_ACTOR_KEY = "judge.api_actor"  # where judge.api.auth keeps the token's owner
# Each language's own name, for the switcher and the settings form (never translated).
NAMES = {"ko": "한국어", "en": "English"}
# Korean readers expect "2026년 12월 1일" and "10,000,000원"; others get CLDR's defaults.
DATE_STYLE = {"ko": "long"}
MONEY_PATTERN = {"ko": "#,##0원"}
UNITS = ("duration-day", "duration-hour", "duration-minute")


def N_(message: str) -> str:
    """Mark a message stored or built before the reader's language is known.

    It is translated when shown, with :func:`stored_message`.
    """
    return message


def languages() -> list[str]:
    return list(current_app.config["LANGUAGES"])


def select_locale() -> str | None:
    """The language of this request; None means the default (BABEL_DEFAULT_LOCALE)."""
    if not has_request_context():
        return None  # CLI and worker: the default locale
    choices = languages()
    asked = request.args.get(LANG_PARAM)
    if asked in choices:
        return asked
    if request.path.startswith("/api/"):
        return request.accept_languages.best_match(choices) or _unless_database_down(
            _token_owner_choice, choices
        )
    return _unless_database_down(_saved_choice, choices) or request.accept_languages.best_match(
        choices
    )


def _unless_database_down(choice, choices: list[str]) -> str | None:
    """A saved setting, or None when the database cannot be asked (the 503 page still
    needs a language)."""
    # Imported here: the web has it loaded already, and tools that only mark messages (the
    # scorer's N_, `judge score`) do not pay for SQLAlchemy.
    from sqlalchemy.exc import SQLAlchemyError

    try:
        return choice(choices)
    except SQLAlchemyError:
        return None


def _token_owner_choice(choices: list[str]) -> str | None:
    """The API token owner's saved setting (the token is checked again by the API itself)."""
    user = request.environ.get(API_ACTOR_KEY)
    if user is not None:
        return user.locale if user.locale in choices else None
    scheme, _sep, token = request.headers.get("Authorization", "").partition(" ")
    if scheme.lower() != "bearer" or not token.strip():
        return None
    from judge.accounts.services import token_owner_locale

    saved = token_owner_locale(token.strip())
    return saved if saved in choices else None


def _saved_choice(choices: list[str]) -> str | None:
    user = current_user
    if getattr(user, "is_authenticated", False) and user.locale in choices:
        return user.locale
    chosen = session.get(SESSION_KEY)
    return chosen if chosen in choices else None


def remember_asked_language() -> None:
    """``?lang=en`` on any page keeps English for this browser (the session cookie)."""
    asked = request.args.get(LANG_PARAM)
    if asked in languages() and not request.path.startswith("/api/"):
        session[SESSION_KEY] = asked


def locale_code() -> str:
    return str(get_locale() or current_app.config["BABEL_DEFAULT_LOCALE"])


def other_languages() -> list[tuple[str, str]]:
    """(code, own name) of every language but the current one, for the switcher."""
    current = locale_code()
    return [(code, NAMES.get(code, code)) for code in languages() if code != current]


def page_without_lang() -> str:
    """This page's path and query without ``lang=``, where the switcher returns to."""
    query = urlencode([(k, v) for k, v in request.args.items(multi=True) if k != LANG_PARAM])
    return request.path + (f"?{query}" if query else "")


def zone_abbreviation(moment: datetime) -> str:
    """KST, UTC, CET …; zones without a common abbreviation read as UTC+04."""
    name = moment.tzname() or "UTC"
    return f"UTC{name}" if name[:1] in "+-" else name


def local_datetime(value: datetime | None, tz_name: str) -> str:
    """'2026년 12월 1일 오후 6:00 (KST)' / 'Dec 1, 2026, 6:00 PM KST' in the zone ``tz_name``."""
    if value is None:
        return ""
    shown = value.astimezone(ZoneInfo(tz_name))
    return _(
        "%(date)s, %(time)s %(zone)s",
        date=_date(shown),
        time=format_time(shown, "short", rebase=False),
        zone=zone_abbreviation(shown),
    )


def local_date(value: datetime | None, tz_name: str) -> str:
    """The calendar day of ``value`` in ``tz_name``, e.g. '2026년 12월 1일' / 'Dec 1, 2026'."""
    if value is None:
        return ""
    return _date(value.astimezone(ZoneInfo(tz_name)))


def _date(shown: datetime) -> str:
    return format_date(shown, DATE_STYLE.get(locale_code(), "medium"), rebase=False)


def number(value: int | float | Decimal | None) -> str:
    """A count or measure with the reader's digit grouping, e.g. 12,345."""
    return "" if value is None else format_decimal(value)


def money(value: int | Decimal | None, currency: str = "KRW") -> str:
    """Prize money: '10,000,000원' in Korean, '₩10,000,000' in English."""
    if value is None:
        return ""
    return format_currency(value, currency, MONEY_PATTERN.get(locale_code()))


def time_left(at: datetime, now: datetime) -> str:
    """'41일 3시간 12분' / '41 days, 3 hours, 12 minutes' from ``now`` until ``at``
    (static/countdown.js keeps it ticking, seconds included, with the browser's Intl)."""
    minutes = max(0, int((at - now).total_seconds()) // 60)
    counts = [minutes // 1440, minutes // 60 % 24, minutes % 60]
    while len(counts) > 1 and counts[0] == 0:  # no leading zeros: '3 hours, 0 minutes'
        counts.pop(0)
    units = UNITS[len(UNITS) - len(counts) :]
    locale = locale_code()
    shown = [format_unit(n, u, locale=locale) for n, u in zip(counts, units, strict=True)]
    return format_list(shown, style="unit", locale=locale)


def stored_message(message: str | None) -> str | None:
    """A message saved in English (marked with :func:`N_`), in the reader's language.

    Most are failed submissions' messages, so the scoring engine's sentences are known too.
    """
    if not message:
        return message
    from judge.scoring.messages import translate  # the engine's sentences and patterns

    return translate(message)


def init_app(app: Flask) -> None:
    app.before_request(remember_asked_language)
    app.jinja_env.filters.update(
        localtime=local_datetime,
        localdate=local_date,
        number=number,
        money=money,
        stored_message=stored_message,
        time_left=time_left,
    )
    app.jinja_env.globals.update(
        get_locale=get_locale,
        locale_code=locale_code,
        other_languages=other_languages,
        page_without_lang=page_without_lang,
    )
