"""Telephone numbers in text, read by Google's libphonenumber (the ``phonenumbers`` package).

Numbers are read as Korean unless written with a country code (+82 10-2345-6789, +1 ...),
and only numbers that are valid for their country's numbering plan count, so amounts,
dates, ids and registration numbers are not taken for phones. The library accepts
full-width digits, no-break and ideographic spaces and most dash variants itself.

Mobile, landline, VoIP and 050 personal numbers are personal; service numbers (1588-xxxx,
080 toll-free, shared cost, premium rate) belong to businesses. A service number written as
bare digits (15881234) is more often an amount or a date and is not reported.
"""

from __future__ import annotations

import copy
from dataclasses import dataclass

import phonenumbers
from phonenumbers import Leniency, PhoneNumberFormat, PhoneNumberMatcher, PhoneNumberType

REGION = "KR"
_SERVICE_TYPES = frozenset(
    {
        PhoneNumberType.UAN,
        PhoneNumberType.TOLL_FREE,
        PhoneNumberType.SHARED_COST,
        PhoneNumberType.PREMIUM_RATE,
    }
)
_KOREA = 82


@dataclass(frozen=True)
class PhoneMatch:
    start: int
    end: int
    value: str  # canonical: 010-2345-6789, 02-123-4567, 1588-1234; abroad +1 415-555-2671
    personal: bool  # False for business service numbers (15xx, 16xx, 18xx, 080 ...)
    country_code: int = _KOREA

    @property
    def area(self) -> str:
        """The first group (010, 02) in Korea; the country code (+1) for numbers abroad."""
        if self.country_code != _KOREA:
            return f"+{self.country_code}"
        return self.value.split("-", 1)[0]

    @property
    def last_four(self) -> str:
        return self.value[-4:]


def find_phones(text: str, *, include_service_numbers: bool = True) -> list[PhoneMatch]:
    found = []
    for match in PhoneNumberMatcher(text, REGION, leniency=Leniency.VALID):
        number = copy.copy(match.number)
        number.extension = None  # "ext. 12" is not part of the canonical value
        personal = phonenumbers.number_type(number) not in _SERVICE_TYPES
        if not personal and (not include_service_numbers or match.raw_string.isdigit()):
            continue
        if number.country_code == _KOREA:
            value = phonenumbers.format_number(number, PhoneNumberFormat.NATIONAL)
        else:
            value = phonenumbers.format_number(number, PhoneNumberFormat.INTERNATIONAL)
        found.append(PhoneMatch(match.start, match.end, value, personal, number.country_code))
    return found
