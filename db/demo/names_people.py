"""How the branch's people are named: the mix of origins, the names people give at the
door, titles, and the working membership rates."""

from __future__ import annotations

from db.demo.name_set import NameSet
from db.demo.names_isles import ENGLISH, GAELIC, IRISH, SCOTTISH, WELSH
from db.demo.names_overseas import GERMAN, NIGERIAN, NORDIC, POLISH, SOUTH_ASIAN, VIETNAMESE

# (origin, name set, weight): roughly the mix of a northern English university city.
ORIGINS: tuple[tuple[str, NameSet, float], ...] = (
    ("english", ENGLISH, 60.0),
    ("scottish", SCOTTISH, 7.0),
    ("irish", IRISH, 7.0),
    ("welsh", WELSH, 5.0),
    ("polish", POLISH, 4.0),
    ("south_asian", SOUTH_ASIAN, 8.0),
    ("nigerian", NIGERIAN, 3.0),
    ("vietnamese", VIETNAMESE, 1.5),
    ("gaelic", GAELIC, 1.5),
    ("nordic", NORDIC, 1.5),
    ("german", GERMAN, 1.5),
)

# The names people give at the door for the names on the national list.
PREFERRED_NAMES: dict[str, tuple[str, ...]] = {
    "Robert": ("Bob", "Rob", "Bobby"),
    "William": ("Bill", "Will", "Billy"),
    "Richard": ("Rick", "Richie", "Dick"),
    "Michael": ("Mike", "Mick"),
    "James": ("Jim", "Jamie", "Jimmy"),
    "Christopher": ("Chris",),
    "Anthony": ("Tony",),
    "Thomas": ("Tom", "Tommy"),
    "Edward": ("Ted", "Eddie", "Ed"),
    "Stephen": ("Steve",),
    "Steven": ("Steve",),
    "Daniel": ("Dan", "Danny"),
    "Samuel": ("Sam",),
    "Benjamin": ("Ben",),
    "Nicholas": ("Nick",),
    "Jonathan": ("Jon", "Jonny"),
    "Timothy": ("Tim",),
    "Frederick": ("Fred", "Freddie"),
    "Geoffrey": ("Geoff",),
    "Matthew": ("Matt",),
    "Joseph": ("Joe",),
    "Philip": ("Phil",),
    "Margaret": ("Maggie", "Peggy", "Meg"),
    "Elizabeth": ("Liz", "Beth", "Lizzie"),
    "Katherine": ("Kate", "Kathy"),
    "Catherine": ("Cath", "Cathy", "Kate"),
    "Susan": ("Sue",),
    "Patricia": ("Pat", "Trish"),
    "Deborah": ("Debbie", "Deb"),
    "Jennifer": ("Jen", "Jenny"),
    "Rebecca": ("Becky", "Becca"),
    "Victoria": ("Vicky", "Tori"),
    "Abigail": ("Abbie", "Abi"),
    "Alexandra": ("Alex", "Sasha"),
    "Samantha": ("Sam",),
    "Dorothy": ("Dot", "Dottie"),
    "Kathleen": ("Kath",),
    "Eleanor": ("Ellie", "Nell"),
    "Gillian": ("Gill",),
    "Alasdair": ("Ali",),
    "Kenneth": ("Ken",),
    "Douglas": ("Doug",),
    "Patrick": ("Paddy", "Pat"),
    "Chukwuemeka": ("Emeka",),
    "Oluwaseun": ("Seun",),
    "Babatunde": ("Tunde",),
    "Oluwakemi": ("Kemi",),
    "Funmilayo": ("Funmi",),
    "Temitope": ("Tope",),
    "Bartłomiej": ("Bartek",),
    "Małgorzata": ("Gosia",),
    "Katarzyna": ("Kasia",),
    "Aleksandra": ("Ola",),
    "Mohammed": ("Mo",),
    "Maximilian": ("Max",),
    "Łukasz": ("Luke",),
    "Dafydd": ("Dai",),
}

TITLES_MALE = (("Mr", 86.0), ("Dr", 4.0), ("Prof", 0.5), ("Rev", 0.5), ("", 9.0))
TITLES_FEMALE = (
    ("Ms", 38.0),
    ("Mrs", 32.0),
    ("Miss", 12.0),
    ("Dr", 4.0),
    ("Prof", 0.5),
    ("Rev", 0.5),
    ("", 13.0),
)
TITLE_NON_BINARY = "Mx"

MEMBERSHIP_TYPES_WORKING = (("Standard", 74.0), ("Reduced", 16.0), ("Unwaged", 10.0))
