"""Country codes and names: ISO 3166-1 for validity, CLDR (babel) for Dutch and English names."""

from __future__ import annotations

import difflib
import unicodedata
from functools import cache

import iso3166
from babel import Locale

_ALIASES = {
    "holland": "NL", "the netherlands": "NL", "england": "GB", "uk": "GB", "great britain": "GB",
    "usa": "US", "america": "US", "turkey": "TR", "turkije": "TR", "burma": "MM",
    "ivory coast": "CI", "south korea": "KR", "north korea": "KP", "vietnam": "VN",
}


def is_country(code: str) -> bool:
    return code in iso3166.countries_by_alpha2


@cache
def country_name(code: str, language: str = "nl") -> str:
    """The CLDR name of a country in the given language, e.g. TR -> 'Turkije' (nl), 'Türkiye' (en)."""
    name = Locale(language).territories.get(code)
    if name:
        return str(name)
    entry = iso3166.countries_by_alpha2.get(code)
    return entry.name if entry else code


def _fold(text: str) -> str:
    decomposed = unicodedata.normalize("NFKD", text.strip().lower())
    return "".join(c for c in decomposed if not unicodedata.combining(c))


@cache
def _names() -> dict[str, str]:
    names: dict[str, str] = {}
    for code, entry in iso3166.countries_by_alpha2.items():
        names[_fold(entry.name)] = code
        names[_fold(entry.apolitical_name)] = code
        names[entry.alpha3.lower()] = code
        for language in ("en", "nl"):
            names[_fold(country_name(code, language))] = code
    names.update(_ALIASES)
    return names


def lookup_country(text: str) -> str | None:
    """An ISO code from a code or a Dutch or English name ('Bangladesh', 'Turkije', 'bd'), else None."""
    if text.strip().upper() in iso3166.countries_by_alpha2:
        return text.strip().upper()
    return _names().get(_fold(text))


def suggest_country(text: str) -> str | None:
    """The closest country for a value that is not a code, as "'NL' (Nederland)"."""
    code = lookup_country(text)
    if code is None and len(_fold(text)) > 3:  # fuzzy matching of short codes guesses wildly ('EU' -> 'RE')
        close = difflib.get_close_matches(_fold(text), list(_names()), n=1, cutoff=0.75)
        code = _names()[close[0]] if close else None
    return f"'{code}' ({country_name(code)})" if code else None
