"""Word lists for the branch's own life: e-mail domains and telephone ranges, unions and
other organisations, tags, notes, motions, speakers, activities and answers.

Telephone numbers and e-mail domains are the ranges reserved for fiction (Ofcom's drama
numbers, RFC 2606 domains), so the demo can never reach anyone.
"""

from __future__ import annotations

# --- Contact details -------------------------------------------------------------------

EMAIL_DOMAINS = (
    ("example.com", 30.0),
    ("example.org", 18.0),
    ("example.net", 14.0),
    ("mail.example", 12.0),
    ("inbox.example", 10.0),
    ("post.example", 8.0),
    ("fastmail.example", 4.0),
    ("proton.example", 4.0),
)
WORK_EMAIL_DOMAINS = (
    "council.example",
    "nhs.example",
    "university.example",
    "school.example",
    "union.example",
    "charity.example",
)
# Ofcom keeps these for fiction: 07700 900000-900999 and 0113 496 0000-0999.
MOBILE_PREFIX = "07700 900"
LANDLINE_PREFIX = "0113 496 0"

# --- Organisations, tags, notes ------------------------------------------------------

# (name, short name, weight among union members)
UNIONS: tuple[tuple[str, str, float], ...] = (
    ("UNISON", "UNISON", 22.0),
    ("Unite the Union", "Unite", 17.0),
    ("GMB", "GMB", 9.0),
    ("National Education Union", "NEU", 12.0),
    ("Royal College of Nursing", "RCN", 5.0),
    ("Communication Workers Union", "CWU", 4.0),
    ("Public and Commercial Services Union", "PCS", 5.0),
    ("Union of Shop, Distributive and Allied Workers", "USDAW", 6.0),
    ("British Medical Association", "BMA", 2.0),
    ("NASUWT", "NASUWT", 4.0),
    ("Equity", "Equity", 1.0),
    ("Fire Brigades Union", "FBU", 1.0),
    ("University and College Union", "UCU", 7.0),
    ("Aslef", "Aslef", 1.0),
)
UNION_ROLES = (
    ("Workplace rep", 8.0),
    ("Health and safety rep", 3.0),
    ("Shop steward", 2.0),
    ("Branch secretary", 1.0),
    ("Branch chair", 0.5),
    ("", 85.5),
)
COOPERATIVE = ("Co-operative Group", "Co-op")
CAMPAIGN_GROUPS = (
    ("Friends of the Earth", "FoE"),
    ("Amnesty International UK", "Amnesty"),
    ("Child Poverty Action Group", "CPAG"),
)
COMMUNITY_ROLES = (
    ("Committee member", 15.0),
    ("Volunteer", 25.0),
    ("Chair", 3.0),
    ("Treasurer", 2.0),
    ("", 55.0),
)

SKILL_TAGS = (
    "has a car",
    "graphic design",
    "can host a stall",
    "social media",
    "photography",
    "first aid",
    "minute taker",
    "DBS checked",
    "poster site",
    "treasurer experience",
    "printer at home",
    "public speaking",
)
LANGUAGE_TAGS = {
    "welsh": "Welsh speaker",
    "polish": "Polish speaker",
    "south_asian": "Urdu or Punjabi speaker",
    "vietnamese": "Vietnamese speaker",
    "gaelic": "Irish speaker",
    "german": "German speaker",
    "nordic": "Norwegian speaker",
}
OTHER_TAGS = ("needs a lift", "student", "BSL signer", "large print letters")

PERSON_NOTES = (
    "Prefers a phone call to email.",
    "Hard of hearing; keep a seat near the front.",
    "Moved here from the Bradford branch.",
    "Needs step-free access to the venue.",
    "Works shifts; weekday evenings are difficult.",
    "Asked not to be canvassed before 10am on Saturdays.",
    "Interested in joining the campaign committee.",
    "Happy to put a poster in the window at election time.",
    "Has a spare room for storing leaflets.",
    "Offered to help with the newsletter.",
    "Carer for a family member; short notice is hard.",
    "Speaks at council planning meetings about the park.",
)

CONTACT_HOW = (
    ("Membership form", 30.0),
    ("National list", 25.0),
    ("Told us at a meeting", 15.0),
    ("Phone call", 10.0),
    ("Doorstep", 8.0),
    ("Online form", 10.0),
    ("Email reply", 2.0),
)

# --- Meetings, motions, activities, answers ---------------------------------------------

MOTIONS: tuple[tuple[str, str], ...] = (
    (
        "Safer crossings near schools",
        "This branch calls on the council to install signalled crossings outside every primary "
        "school in the ward before the next school year.",
    ),
    (
        "Save the local library",
        "This branch opposes any cut to library opening hours and will campaign to keep every "
        "branch library open six days a week.",
    ),
    (
        "Affordable homes in new developments",
        "This branch asks the council to require that at least a third of the homes in every "
        "new development are genuinely affordable.",
    ),
    (
        "Four-day week pilot",
        "This branch supports a four-day week pilot for council staff with no loss of pay.",
    ),
    (
        "Support the food bank",
        "This branch will collect for the local food bank at every meeting and asks members "
        "to volunteer one shift a month.",
    ),
    (
        "Keep the swimming baths open",
        "This branch opposes the closure of the community swimming baths and will organise a "
        "petition and a public meeting.",
    ),
    (
        "Hybrid meetings",
        "This branch will hold its monthly meetings in person with an online option so that "
        "carers and shift workers can take part.",
    ),
    (
        "Bus services after 8pm",
        "This branch calls for evening bus services to be restored on routes that lost them.",
    ),
    (
        "Clean air around schools",
        "This branch supports school streets closed to traffic at drop-off and pick-up times.",
    ),
    (
        "Fair pay for care workers",
        "This branch calls on the council to pay every care worker it commissions at least the "
        "real Living Wage.",
    ),
    (
        "Allotments waiting list",
        "This branch asks the council to bring disused land into use as allotments to shorten "
        "the waiting list.",
    ),
    (
        "Twinning with a branch abroad",
        "This branch will seek a twinning link with a sister organisation in another European "
        "city.",
    ),
)
GUEST_SPEAKER_TOPICS = (
    "the local health service",
    "housing in the city",
    "the council budget",
    "the climate emergency plan",
    "youth services",
    "the bus network",
    "running a food bank",
    "how the council works",
)
VOLUNTEER_NOTES = (
    "Leafleting round on Saturday",
    "Help with the street stall",
    "Phone bank on Thursday",
    "Bake for the summer barbecue",
    "Drive people to the polling station",
    "Deliver the newsletter to their street",
    "Help set up the room next month",
    "Take photographs for social media",
)
ACTIVITY_NOTES: dict[str, tuple[str, ...]] = {
    "canvassing": (
        "Good response on the doorstep",
        "Lots of people out",
        "Rain stopped play",
        "Three new supporters signed up",
    ),
    "leafleting": ("Own round", "Newsletter", "Election leaflet", "Flats need a fob"),
    "phone_banking": ("Called lapsed members", "Called new members", "Get out the vote"),
    "street_stall": ("Petition on bus services", "Outside the library", "Market day"),
    "event_help": ("Set up and cleared away", "Ran the raffle", "On the door"),
    "admin": ("Updated the contact list", "Stuffed envelopes", "Booked rooms"),
    "fundraising": ("Quiz night", "Raffle", "Sponsored walk", "Jumble sale"),
    "other": ("Helped at the count",),
}

FOUR_DAY_WEEK_OPTIONS = ("Support", "Oppose", "Not sure")
LOCAL_ISSUES = (
    "Housing",
    "Transport",
    "NHS",
    "Schools",
    "Cost of living",
    "Environment",
    "Crime",
    "Jobs",
)
CAMPAIGN_IDEAS = (
    "Bus services in the evenings",
    "Potholes on the main road",
    "Keeping the library open",
    "Rents and damp in rented homes",
    "More GP appointments",
    "Safer cycling routes",
    "Litter and fly-tipping",
    "Youth clubs",
    "The cost of school uniforms",
    "Air quality near the ring road",
    "Street lighting in the park",
    "Support for carers",
    "Energy bills",
    "A community swimming pool",
    "Twenty mile an hour limits near schools",
    "Food bank collections",
)
