"""Value sets from spec/entities.yml and spec/topics.yml (names are a contract)."""

PRODUCT_PREFIXES: dict[str, str] = {
    "auto": "AU",
    "home": "HO",
    "travel": "TR",
    "health": "HE",
    "accident": "PA",
}
PRODUCTS: tuple[str, ...] = tuple(PRODUCT_PREFIXES)

INCIDENT_TYPES: tuple[str, ...] = (
    "collision",
    "theft",
    "fire",
    "water_damage",
    "natural_disaster",
    "injury",
    "illness",
    "baggage",
    "flight_delay",
    "other",
)

CHANGE_TYPES: tuple[str, ...] = (
    "beneficiary",
    "sum_insured",
    "period",
    "address",
    "contact",
    "payment_method",
)

POLICY_STATUSES: tuple[str, ...] = ("active", "lapsed", "cancelled")

LANGUAGES: tuple[str, ...] = ("ko", "en")

CHANGE_REQUEST_STATUSES: tuple[str, ...] = ("received", "in_progress", "completed", "rejected")

HANDOFF_STATUSES: tuple[str, ...] = ("open", "closed")
