"""Korean telephone numbers: mobile, landline, VoIP and nationwide service numbers."""

from __future__ import annotations

import re
from dataclasses import dataclass

# Area part after the leading 0: mobile 010/011/016-019, Seoul 02, regions 031-064, VoIP 070.
_AREA = r"(?:1[016789]|2|3[1-3]|4[1-4]|5[1-5]|6[1-4]|70)"
_SEP = r"[ .\-]?"

_PERSONAL_PHONE = re.compile(
    r"(?<![0-9A-Za-z+])"
    r"(?:(?:\+|00)82[ .\-]?(?:\(0\)|0)?[ .\-]?(?P<intl_area>" + _AREA + r")"
    r"|\(?0(?P<area>"
    + _AREA
    + r")\)?)"
    + _SEP
    + r"(?P<middle>\d{3,4})"
    + _SEP
    + r"(?P<last>\d{4})(?!\d)"
)
# 1588-xxxx style numbers belong to businesses; a separator is required because eight bare
# digits are far more often an amount or a date.
_SERVICE_PHONE = re.compile(
    r"(?<![0-9A-Za-z])(?P<prefix>15[4-9]\d|16[4-9]\d|18\d\d)[ .\-](?P<last>\d{4})(?![\d\-])"
)


@dataclass(frozen=True)
class PhoneMatch:
    start: int
    end: int
    value: str  # canonical, e.g. 010-2345-6789, 02-123-4567, 1588-1234
    personal: bool  # False for business service numbers (15xx, 16xx, 18xx)

    @property
    def area(self) -> str:
        return self.value.split("-", 1)[0]

    @property
    def last_four(self) -> str:
        return self.value[-4:]


def find_phones(text: str, *, include_service_numbers: bool = True) -> list[PhoneMatch]:
    found = []
    for match in _PERSONAL_PHONE.finditer(text):
        area = match.group("area") or match.group("intl_area")
        value = f"0{area}-{match.group('middle')}-{match.group('last')}"
        found.append(PhoneMatch(match.start(), match.end(), value, personal=True))
    if include_service_numbers:
        for match in _SERVICE_PHONE.finditer(text):
            value = f"{match.group('prefix')}-{match.group('last')}"
            found.append(PhoneMatch(match.start(), match.end(), value, personal=False))
        found.sort(key=lambda m: m.start)
    return found
