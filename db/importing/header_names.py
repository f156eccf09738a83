"""The fields a column can fill, and the many ways spreadsheets head those columns.

Headers are compared by ``header_key``: case, accents, punctuation, spaces, non-breaking
spaces and line breaks ignored, and "No."/"Nr"/"#" read as "Number", so "Membership No.",
"membership_number" and "MEMBERSHIP\\nNUMBER" are one key. Each field lists its headers best
first; when two columns could fill one field the better-ranked header wins.
"""

from __future__ import annotations

import re

from db.folding import fold

FIELD_LABELS = {
    "membership_number": "membership number",
    "title": "title",
    "first_name": "first name",
    "middle_names": "middle names",
    "last_name": "last name",
    "full_name": "full name (to be split)",
    "preferred_name": "preferred name",
    "address_line1": "address line 1",
    "address_line2": "address line 2",
    "address_line3": "address line 3",
    "town": "town",
    "county": "county",
    "postcode": "postcode",
    "ward": "ward",
    "polling_district": "polling district",
    "email": "email",
    "mobile": "mobile",
    "phone": "phone (landline)",
    "date_of_birth": "date of birth",
    "joined_on": "date joined",
    "lapsed_on": "date lapsed or expires",
    "status": "membership status",
    "membership_type": "membership type",
    "branch": "branch",
    "notes": "notes",
    "post_allowed": "post allowed",
    "email_allowed": "email allowed",
    "phone_allowed": "phone calls allowed",
    "sms_allowed": "text messages allowed",
}
FIELDS = tuple(FIELD_LABELS)

# The consent fields, one per channel of db.models.vocabulary.CHANNELS.
CONSENT_FIELDS = {
    "post": "post_allowed",
    "email": "email_allowed",
    "phone": "phone_allowed",
    "sms": "sms_allowed",
}

_HEADERS: dict[str, tuple[str, ...]] = {
    "membership_number": (
        "Membership Number", "Member Number", "Membership ID", "Member ID", "Mem Number",
        "Mem ID", "Membership Num", "Membership Ref", "Member Ref", "Membership Reference",
        "Member Reference", "Membership Code", "Member Code", "Membership",
    ),
    "title": ("Title", "Prefix", "Individual Prefix", "Honorific", "Salutation"),
    "first_name": (
        "First Name", "Forename", "Forenames", "Forename(s)", "Given Name", "Given Names",
        "First Names", "Christian Name", "First", "FName",
    ),
    "middle_names": (
        "Middle Names", "Middle Name", "Middle", "Middle Initial", "Middle Initials",
        "Other Names", "Other Forenames",
    ),
    "last_name": ("Last Name", "Surname", "Last", "LName", "Family Name"),
    "full_name": (
        "Full Name", "Name", "Member Name", "Contact Name", "Display Name", "Person Name",
        "Names", "Member",
    ),
    "preferred_name": (
        "Preferred Name", "Known As", "Preferred First Name", "Nickname", "Nick Name",
        "Goes By", "Preferred",
    ),
    "address_line1": (
        "Address Line 1", "Address 1", "Addr 1", "Addr Line 1", "Line 1", "Street Address",
        "Street", "Street 1", "First Line of Address", "House Name", "House", "Address",
    ),
    "address_line2": (
        "Address Line 2", "Address 2", "Addr 2", "Addr Line 2", "Line 2", "Street 2",
        "Second Line of Address", "Locality",
    ),
    "address_line3": (
        "Address Line 3", "Address 3", "Addr 3", "Addr Line 3", "Line 3", "Street 3",
        "Third Line of Address",
    ),
    "town": ("Town", "Town/City", "City", "City/Town", "Town or City", "Post Town", "Suburb"),
    "county": ("County", "State", "Province", "Region", "County/State", "State/Province"),
    "postcode": (
        "Postcode", "Post Code", "Postal Code", "Zip", "Zip Code", "Postal", "PCode",
        "Postcode/Zip", "Zip/Postal Code", "Postal/Zip Code",
    ),
    "ward": ("Ward", "Ward Name", "Electoral Ward", "Council Ward"),
    "polling_district": (
        "Polling District", "PD", "Polling District Code", "PD Code", "P District",
        "Polling Dist", "Poll District",
    ),
    "email": (
        "Email", "Email Address", "E-mail", "E-mail Address", "Email Addr", "Personal Email",
        "Home Email", "Work Email",
    ),
    "mobile": (
        "Mobile", "Mobile Phone", "Mobile Number", "Mobile Tel", "Mobile Telephone",
        "Mobile Phone Number", "Mob", "Cell", "Cell Phone", "Cellphone", "Cell Number",
        "Personal Mobile", "SMS Number",
    ),
    "phone": (
        "Phone", "Telephone", "Tel", "Phone Number", "Telephone Number", "Tel Number",
        "Landline", "Landline Number", "Home Phone", "Home Telephone", "Home Tel",
        "Home Number", "Evening Phone", "Day Phone", "Daytime Phone", "Home", "Work Phone",
        "Work Telephone", "Work Tel", "Work Number", "Office Phone", "Business Phone", "Office",
        "Tel (day)", "Tel (evening)", "Tel (home)", "Day Tel", "Evening Tel", "Daytime Tel",
    ),
    "date_of_birth": ("Date of Birth", "DOB", "Birth Date", "Date Born", "Born", "Birthday"),
    "joined_on": (
        "Joined", "Join Date", "Date Joined", "Joined On", "Joined Date", "Joining Date",
        "Date of Joining", "Member Since", "Membership Date", "Membership Start",
        "Membership Start Date", "Start Date",
    ),
    "lapsed_on": (
        "Lapsed", "Lapsed On", "Lapse Date", "Lapsed Date", "Date Lapsed", "Expiry",
        "Expiry Date", "Expires", "Expires On", "Expiration", "Expiration Date",
        "Membership Expiry", "Membership Expiry Date", "Membership End", "Membership End Date",
        "Paid Until", "Paid Up To", "Valid Until", "Renewal Date", "Renewal Due", "End Date",
    ),
    "status": ("Status", "Membership Status", "Member Status"),
    "membership_type": (
        "Membership Type", "Member Type", "Membership Category", "Membership Class",
        "Membership Grade", "Membership Rate", "Membership Level", "Subscription Type",
        "Type", "Category", "Rate",
    ),
    "branch": ("Branch", "Branch Name", "Local Branch", "Local Party", "CLP"),
    "notes": ("Notes", "Note", "Comments", "Comment", "Remarks", "Additional Information"),
}  # fmt: skip

# How people head a consent column, "{}" standing for one of the channel's words.
_CONSENT_PATTERNS = (
    "{} OK", "{} Consent", "{} Allowed", "Allow {}", "Contact by {}", "OK to {}",
    "{} Opt In", "{} Optin", "Opt In {}", "Consent {}", "Consent to {}", "{} Permission",
    "Can {}", "May {}",
)  # fmt: skip
_CHANNEL_WORDS = {
    "post": ("Post", "Mail", "Postal", "Letter", "Letters"),
    "email": ("Email", "E-mail"),
    "phone": ("Phone", "Telephone", "Call", "Calls"),
    "sms": ("SMS", "Text", "Texts", "Text Message"),
}

# Words before or after a header that do not change its meaning ("Primary Email",
# "Email (main)", "address_postcode", "postaladdressline1"). Matched on the run-together key,
# since some exports run the words together too. "address" is no suffix: "Home Address".
_NOISE_PREFIXES = (
    "primary", "main", "contact", "members", "member", "personal", "person", "postal",
    "address", "your", "default", "current",
)  # fmt: skip
_NOISE_SUFFIXES = ("primary", "main", "personal", "default", "current")
# Fields whose header number means which one (Address 2), not a second copy (Email 2).
_NUMBERED_FIELDS = frozenset({"address_line1", "address_line2", "address_line3"})

_NUMBER_SIGNS = re.compile("[#\u2116]")
_NUMBER_WORDS = frozenset({"no", "nr", "num", "nbr", "numb", "number"})
_TRAILING_DIGITS = re.compile(r"^(.*?[a-z])(\d+)$")

# Ranks of headers that matched only after a step: below every header listed as such.
_DIGIT_PENALTY = 100
_NOISE_PENALTY = 200


def header_words(header: str) -> list[str]:
    """A header as lower-case ASCII words, "No."/"Nr"/"#" read as "number"."""
    words = fold(_NUMBER_SIGNS.sub(" number ", header)).split()
    return ["number" if word in _NUMBER_WORDS else word for word in words]


def header_key(header: str) -> str:
    """``"Membership No."`` -> ``"membershipnumber"``: what two spellings share."""
    return "".join(header_words(header))


def _build() -> dict[str, tuple[str, int]]:
    table: dict[str, tuple[str, int]] = {}

    def add(field: str, header: str, rank: int) -> None:
        key = header_key(header)
        known = table.get(key)
        if known is not None and known[0] != field:
            raise AssertionError(f"{header!r} heads both {known[0]} and {field}")
        if known is None or rank < known[1]:
            table[key] = (field, rank)

    for field, headers in _HEADERS.items():
        for rank, header in enumerate(headers):
            add(field, header, rank)
    for channel, words in _CHANNEL_WORDS.items():
        for rank, pattern in enumerate(_CONSENT_PATTERNS):
            for word in words:
                add(CONSENT_FIELDS[channel], pattern.format(word), rank)
    return table


_BY_KEY = _build()


def field_for_header(header: str) -> tuple[str, int] | None:
    """The field a header names and its rank (lower is a better claim), or None."""
    key = header_key(header)
    found = _lookup(key)
    if found is not None:
        return found
    for noise in _NOISE_PREFIXES:
        if key.startswith(noise) and (inner := _lookup(key[len(noise) :])):
            return inner[0], inner[1] + _NOISE_PENALTY
    for noise in _NOISE_SUFFIXES:
        if key.endswith(noise) and (inner := _lookup(key[: -len(noise)])):
            return inner[0], inner[1] + _NOISE_PENALTY
    return None


def _lookup(key: str) -> tuple[str, int] | None:
    found = _BY_KEY.get(key)
    if found is not None:
        return found
    # "Telephone1", "Email 2": one of several columns of the same kind.
    numbered = _TRAILING_DIGITS.match(key)
    if numbered:
        base = _BY_KEY.get(numbered[1])
        if base is not None and base[0] not in _NUMBERED_FIELDS and len(numbered[2]) <= 2:
            return base[0], base[1] + _DIGIT_PENALTY + int(numbered[2])
    return None


def all_header_keys() -> dict[str, str]:
    """Every known header key and its field (for tests and the mapping window's help)."""
    return {key: field for key, (field, _rank) in _BY_KEY.items()}
