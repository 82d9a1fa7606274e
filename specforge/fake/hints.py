"""Realistic values: property-name hints and ``x-faker`` names mapped to pools of pre-generated Faker values.

Faker is slow (10-50 us a call), so each (locale, method) pool is filled once with ``POOL_SIZE`` values from a
Faker seeded with a constant; generation then picks from the pool with the caller's ``random.Random``.
Faker is imported only when a pool is first needed.
"""

from __future__ import annotations

import datetime as dt
import decimal
import re
from functools import lru_cache
from typing import Any

POOL_SIZE = 256
_POOL_SEED = 7907

# normalised property name -> ("faker", method) | ("format", format name)
_NAMES: dict[str, tuple[str, str]] = {}
for _method, _names in {
    "email": "email emailaddress mail",
    "first_name": "firstname givenname forename",
    "last_name": "lastname surname familyname",
    "name": "name fullname displayname contactname customername ownername authorname",
    "user_name": "username login nickname handle screenname",
    "city": "city town",
    "country": "country countryname",
    "country_code": "countrycode countryiso",
    "street_address": "street streetaddress address address1 addressline1 line1",
    "postcode": "zip zipcode postcode postalcode",
    "phone_number": "phone phonenumber mobile telephone tel cellphone",
    "url": "url website homepage link href",
    "image_url": "avatar avatarurl image imageurl photo photourl picture thumbnail logo icon",
    "currency_code": "currency currencycode",
    "company": "company companyname organization organisation employer",
    "sentence": "description summary comment message note notes text content body",
    "paragraph": "bio about biography",
    "catch_phrase": "title headline subject",
    "color_name": "color colour",
    "language_code": "language lang",
    "locale": "locale",
    "ipv4": "ip ipaddress ipv4",
    "timezone": "timezone tz",
    "slug": "slug",
    "job": "job jobtitle occupation position",
    "domain_name": "domain domainname",
    "state": "state province region",
    "word": "tag tags category label keyword",
    "iban": "iban",
    "isbn13": "isbn",
}.items():
    for _name in _names.split():
        _NAMES[_name] = ("faker", _method)
for _fmt, _names in {
    "date-time": "createdat updatedat deletedat modifiedat timestamp lastlogin lastseen expiresat startedat "
    "endedat publishedat",
    "date": "date birthday birthdate dateofbirth dob startdate enddate duedate",
    "uuid": "id uuid guid",
}.items():
    for _name in _names.split():
        _NAMES[_name] = ("format", _fmt)

_SUFFIXES: tuple[tuple[str, tuple[str, str]], ...] = (
    ("email", ("faker", "email")),
    ("url", ("faker", "url")),
    ("uri", ("faker", "url")),
    ("phone", ("faker", "phone_number")),
    ("firstname", ("faker", "first_name")),
    ("lastname", ("faker", "last_name")),
    ("username", ("faker", "user_name")),
    ("city", ("faker", "city")),
    ("country", ("faker", "country")),
    ("description", ("faker", "sentence")),
    ("at", ("format", "date-time")),
    ("date", ("format", "date")),
    ("time", ("format", "date-time")),
    ("uuid", ("format", "uuid")),
    ("id", ("format", "uuid")),
)

# normalised property name -> (low, high, decimals) for numbers
_NUMBERS: dict[str, tuple[float, float, int]] = {}
for _range, _names in {
    (1.0, 999.0, 2): "price amount cost total subtotal balance fee salary",
    (-90.0, 90.0, 6): "latitude lat",
    (-180.0, 180.0, 6): "longitude lng lon long",
    (18.0, 90.0, 0): "age",
    (1990.0, 2030.0, 0): "year",
    (1.0, 100.0, 0): "quantity qty count",
    (1.0, 5.0, 1): "rating stars score",
    (0.0, 100.0, 1): "percent percentage",
    (1.0, 100000.0, 0): "id",
}.items():
    for _name in _names.split():
        _NUMBERS[_name] = _range


def _normal(name: str) -> str:
    return re.sub(r"[^a-z0-9]", "", name.lower())


def string_hint(name: str | None) -> tuple[str, str] | None:
    """``("faker", method)`` or ``("format", fmt)`` for a property name, or ``None``."""
    if not name:
        return None
    key = _normal(name)
    if key in _NAMES:
        return _NAMES[key]
    if key.endswith("s") and key[:-1] in _NAMES:
        return _NAMES[key[:-1]]
    for suffix, hint in _SUFFIXES:
        if key.endswith(suffix) and len(key) > len(suffix) + 1:
            if suffix == "at" and not re.search(r"(ed|ing|last|first|time)at$", key):
                continue
            return hint
    return None


def number_hint(name: str | None) -> tuple[float, float, int] | None:
    """``(low, high, decimals)`` for a numeric property name, or ``None``."""
    if not name:
        return None
    key = _normal(name)
    if key in _NUMBERS:
        return _NUMBERS[key]
    for suffix in ("price", "amount", "cost", "total", "latitude", "longitude", "count", "quantity"):
        if key.endswith(suffix):
            return _NUMBERS[suffix]
    if key.endswith("id") and len(key) > 3:
        return _NUMBERS["id"]
    return None


def _jsonable(value: Any) -> Any:
    if isinstance(value, (dt.datetime, dt.date, dt.time)):
        return value.isoformat()
    if isinstance(value, decimal.Decimal):
        return float(value)
    if isinstance(value, (str, int, float, bool)) or value is None:
        return value
    if isinstance(value, (list, tuple)):
        return [_jsonable(v) for v in value]
    if isinstance(value, dict):
        return {str(k): _jsonable(v) for k, v in value.items()}
    return str(value)


@lru_cache(maxsize=512)
def pool(locale: str, method: str) -> tuple:
    """``POOL_SIZE`` values of Faker ``method`` (``address.city`` or ``city``) for ``locale``; () if unknown."""
    from faker import Faker  # slow import: only when a pool is needed

    try:
        faker = Faker(locale)
    except (AttributeError, ValueError):
        faker = Faker("en_US")
    faker.seed_instance(_POOL_SEED)
    func = getattr(faker, method.rsplit(".", 1)[-1], None)
    if not callable(func):
        return ()
    try:
        return tuple(_jsonable(func()) for _ in range(POOL_SIZE))
    except Exception:  # a provider needing arguments: no pool, callers fall back
        return ()
