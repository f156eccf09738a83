"""Places for the demo branch in north-west Leeds: wards and their localities, members
who moved away, street names, blocks of flats, house names and venues."""

from __future__ import annotations

from dataclasses import dataclass


@dataclass(frozen=True)
class Locality:
    """A polling district's area: a name, its post town and the outward codes it uses."""

    name: str
    town: str
    outward: tuple[str, ...]


@dataclass(frozen=True)
class WardPlan:
    name: str
    code: str
    localities: tuple[Locality, ...]


WARDS: tuple[WardPlan, ...] = (
    WardPlan(
        "Headingley & Hyde Park",
        "HH",
        (
            Locality("Headingley", "Leeds", ("LS6",)),
            Locality("Hyde Park", "Leeds", ("LS6",)),
            Locality("Far Headingley", "Leeds", ("LS6", "LS16")),
            Locality("Burley", "Leeds", ("LS4",)),
        ),
    ),
    WardPlan(
        "Kirkstall",
        "KS",
        (
            Locality("Kirkstall", "Leeds", ("LS5",)),
            Locality("Hawksworth", "Leeds", ("LS5",)),
            Locality("Burley Park", "Leeds", ("LS4",)),
        ),
    ),
    WardPlan(
        "Weetwood",
        "WW",
        (
            Locality("Weetwood", "Leeds", ("LS16",)),
            Locality("West Park", "Leeds", ("LS16",)),
            Locality("Ireland Wood", "Leeds", ("LS16",)),
        ),
    ),
    WardPlan(
        "Little London & Woodhouse",
        "LW",
        (
            Locality("Woodhouse", "Leeds", ("LS2", "LS6")),
            Locality("Little London", "Leeds", ("LS7",)),
            Locality("Blenheim", "Leeds", ("LS2",)),
        ),
    ),
    WardPlan(
        "Chapel Allerton",
        "CA",
        (
            Locality("Chapel Allerton", "Leeds", ("LS7",)),
            Locality("Potternewton", "Leeds", ("LS7",)),
            Locality("Scott Hall", "Leeds", ("LS7",)),
        ),
    ),
    WardPlan(
        "Moortown",
        "MT",
        (
            Locality("Moortown", "Leeds", ("LS17",)),
            Locality("Meanwood", "Leeds", ("LS6",)),
        ),
    ),
    WardPlan(
        "Horsforth",
        "HF",
        (
            Locality("Horsforth", "Leeds", ("LS18",)),
            Locality("Cookridge", "Leeds", ("LS16",)),
            Locality("Woodside", "Leeds", ("LS18",)),
        ),
    ),
    WardPlan(
        "Adel & Wharfedale",
        "AW",
        (
            Locality("Adel", "Leeds", ("LS16",)),
            Locality("Bramhope", "Leeds", ("LS16",)),
            Locality("Pool-in-Wharfedale", "Otley", ("LS21",)),
            Locality("Arthington", "Otley", ("LS21",)),
        ),
    ),
    WardPlan(
        "Guiseley & Rawdon",
        "GR",
        (
            Locality("Guiseley", "Leeds", ("LS20",)),
            Locality("Rawdon", "Leeds", ("LS19",)),
            Locality("Yeadon", "Leeds", ("LS19",)),
        ),
    ),
    WardPlan(
        "Bramley & Stanningley",
        "BS",
        (
            Locality("Bramley", "Leeds", ("LS13",)),
            Locality("Stanningley", "Pudsey", ("LS28",)),
            Locality("Rodley", "Leeds", ("LS13",)),
        ),
    ),
)

# Members who moved away and kept their membership here: (postcode, town).
OUT_OF_AREA: tuple[tuple[str, str], ...] = (
    ("BD9 4RR", "Bradford"),
    ("M20 3PL", "Manchester"),
    ("YO10 5DD", "York"),
    ("E1W 2AB", "London"),
    ("EC1V 4PW", "London"),
    ("S10 2TN", "Sheffield"),
    ("HG1 5LY", "Harrogate"),
    ("N1 9GU", "London"),
    ("CF24 4HQ", "Cardiff"),
    ("G12 8QQ", "Glasgow"),
)
OUT_OF_AREA_STREETS = (
    "Manningham Lane",
    "Wilmslow Road",
    "Heslington Lane",
    "Wapping High Street",
    "Goswell Road",
    "Crookes Valley Road",
    "Kings Road",
    "Caledonian Road",
    "Crwys Road",
    "Byres Road",
)

# Royal Mail leaves these letters out of the last part of a postcode.
INWARD_LETTERS = "ABDEFGHJLNPQRSTUWXYZ"

STREET_STEMS = (
    "Cardigan",
    "Hessle",
    "Ash",
    "Estcourt",
    "Kirkstall",
    "Victoria",
    "Grimthorpe",
    "Manor",
    "Church",
    "Mill",
    "Station",
    "Park",
    "Chapel",
    "Hawthorn",
    "Beech",
    "Oak",
    "Elm",
    "Sycamore",
    "Rowan",
    "Willow",
    "Hollin",
    "Otley",
    "Spen",
    "Moor",
    "Broad",
    "Wood",
    "Grove",
    "Hyde Park",
    "Brudenell",
    "Harold",
    "Thornville",
    "Bainbrigge",
    "Queen's",
    "King's",
    "Regent",
    "Albert",
    "Alexandra",
    "Burley",
    "Cliff",
    "Delph",
    "Ridge",
    "Shire Oak",
    "North",
    "St Michael's",
    "St Anne's",
    "St Chad's",
    "Headingley",
    "Ashville",
    "Brookfield",
    "Langdale",
    "Derwent",
    "Grasmere",
    "Ullswater",
    "Buttermere",
    "Meanwood",
    "Monk Bridge",
    "Spring",
    "Cumberland",
    "Richmond",
    "Clarendon",
    "Hanover",
    "Belle Vue",
    "Harrogate",
    "Scott Hall",
    "Potternewton",
    "Allerton",
    "Stainbeck",
    "Bramley",
    "Low",
    "High",
    "Back",
    "Aire",
    "Wharfe",
    "Nidd",
    "Calder",
    "Weetwood",
    "Lawnswood",
    "Holt",
    "Tinshill",
    "Cookridge",
    "Adel",
    "Long",
    "Fink Hill",
    "Kerry",
    "Hall",
    "Stanhope",
    "Featherbank",
    "Layton",
    "Low Hall",
    "Bradford",
    "Leeds",
    "Harewood",
    "Wetherby",
    "Ilkley",
    "Skipton",
    "Keighley",
    "Chestnut",
    "Laburnum",
    "Lime",
    "Poplar",
    "Cedar",
    "Larch",
    "Maple",
    "Holly",
)
STREET_SUFFIXES = (
    "Road",
    "Street",
    "Avenue",
    "Grove",
    "Mount",
    "Terrace",
    "Place",
    "View",
    "Lane",
    "Close",
    "Drive",
    "Crescent",
    "Gardens",
    "Walk",
    "Way",
    "Rise",
    "Square",
    "Court",
)
STREET_PREFIXES = ("", "Upper ", "Lower ", "North ", "South ", "Back ", "New ", "Old ")
BLOCK_NAMES = (
    "Hawthorn",
    "Beech",
    "Victoria",
    "Albion",
    "Jubilee",
    "Centenary",
    "Riverside",
    "Abbey",
    "Priory",
    "Mill",
    "Foundry",
    "Tannery",
    "Hollins",
    "Wharfedale",
    "Airedale",
    "Sovereign",
)
BLOCK_SUFFIXES = ("House", "Court", "Mews", "Lodge", "Point", "Heights")
HOUSE_NAMES = (
    "Rose Cottage",
    "The Laurels",
    "Ivy House",
    "The Old Vicarage",
    "Holly Bank",
    "Fern Lea",
    "The Coach House",
    "Woodview",
    "Hillcrest",
    "The Old Forge",
    "Beck House",
    "Moorside",
    "Orchard House",
    "Brookside",
)
VENUE_KINDS = ("Community Centre", "Library", "Methodist Church Hall", "Parish Hall")
