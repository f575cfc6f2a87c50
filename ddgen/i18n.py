"""ddgen's own words on the site, per language: gettext catalogs read with babel, and formatters.

Labels are English message ids; `locale/<lang>/LC_MESSAGES/ddgen.po` holds the translation. The
catalog is read from the .po file at run time (no compiled .mo to keep in sync). One formatter per
kind of value (date, number, percentage, country), so every page writes them the same way.
"""

from __future__ import annotations

import enum
import gettext
import io
from dataclasses import dataclass
from datetime import date
from decimal import ROUND_HALF_UP, Decimal
from functools import cache, lru_cache
from importlib import resources

from babel import Locale
from babel.dates import format_date
from babel.messages.mofile import write_mo
from babel.messages.pofile import read_po
from babel.numbers import format_decimal, get_decimal_symbol
from babel.support import Translations

from .countries import country_name

LANGUAGES = ("nl", "en")

FORMATTED_CACHE = 65536
"""Formatted dates and numbers kept per process. babel takes 20-50 µs a value, and a large report
prints the same few thousand dates and figures hundreds of thousands of times across its pages."""


@cache
def _decimal_mark(language: str) -> str:
    return get_decimal_symbol(language)


@lru_cache(maxsize=FORMATTED_CACHE)
def _format_date(value: date, pattern: str, language: str) -> str:
    return format_date(value, format=pattern, locale=language)


@lru_cache(maxsize=FORMATTED_CACHE)
def _format_number(kind: type, value: float | Decimal, digits: int, language: str) -> str:
    """`kind` is part of the key so that 1, 1.0 and Decimal('1.0') are cached apart (they hash alike)."""
    rounded = Decimal(str(value)).quantize(Decimal(1).scaleb(-digits), rounding=ROUND_HALF_UP)
    pattern = "#,##0" + ("." + "#" * digits if digits else "")
    return format_decimal(rounded, format=pattern, locale=language)


@cache
def translations(language: str) -> gettext.NullTranslations:
    source = resources.files("ddgen") / "locale" / language / "LC_MESSAGES" / "ddgen.po"
    if not source.is_file():
        return gettext.NullTranslations()
    with source.open("rb") as fh:
        catalog = read_po(fh, locale=language)
    buffer = io.BytesIO()
    write_mo(buffer, catalog)
    buffer.seek(0)
    return Translations(buffer, domain="ddgen")


@dataclass(frozen=True)
class Formatter:
    """Formats values for one language. Deterministic: no clock, no system locale."""

    language: str

    def _(self, message: str) -> str:
        return translations(self.language).gettext(message)

    def n_(self, singular: str, plural: str, n: int) -> str:
        return translations(self.language).ngettext(singular, plural, n)

    def label(self, value: enum.Enum | str | None) -> str:
        """The label of a vocabulary value: `directly_linked` -> 'Directly linked' (translated)."""
        if value is None:
            return ""
        raw = value.value if isinstance(value, enum.Enum) else str(value)
        return self._(raw.replace("_", " ").capitalize())

    def date(self, value: date | None) -> str:
        return _format_date(value, "long", self.language) if value else ""

    def month(self, value: date | None) -> str:
        """Month and year, for deadlines in narrow table cells: 'jun. 2026' (nl), 'Jun 2026' (en)."""
        return _format_date(value, "MMM y", self.language) if value else ""

    def short_date(self, value: date | None) -> str:
        return value.isoformat() if value else ""

    def number(self, value: float | int | Decimal | None, digits: int = 1) -> str:
        """A number rounded half up (as readers expect, not banker's rounding) to at most `digits` decimals."""
        if value is None:
            return ""
        return _format_number(type(value), value, digits, self.language)

    def percent(self, value: float | Decimal | None, digits: int = 0) -> str:
        """A value from 0 to 100 as a percentage: 12.5 -> '12,5%' (nl) / '12.5%' (en)."""
        return "" if value is None else self.number(value, digits) + "%"

    @property
    def decimal_mark(self) -> str:
        return _decimal_mark(self.language)

    def country(self, code: str) -> str:
        return country_name(code, self.language)

    def language_name(self, code: str) -> str:
        try:
            return str(Locale(self.language).languages.get(code, code))
        except Exception:  # noqa: BLE001 - unknown code: show it as given
            return code
