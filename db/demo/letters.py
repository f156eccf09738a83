"""The demo branch's letterhead and two letters to try a mailing with: one that reads
differently for members, supporters and the active, one that is the same for everyone."""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from dataclasses import asdict
from typing import Any

from sqlalchemy import select
from sqlalchemy.orm import Session

from db.branch_settings import BranchSettings, load_branch_settings
from db.models import LetterTemplate, Setting

BRANCH = BranchSettings(
    branch_name="Riverside Branch",
    secretary_name="Siân Llŷr-Jones",
    address="The Old Chapel, 4 Mill Lane, Riverside, RV1 2AB",
    email="secretary@riverside.example.org",
    phone="01632 960 123",
    imprint=(
        "Promoted by Siân Llŷr-Jones on behalf of Riverside Branch, "
        "The Old Chapel, 4 Mill Lane, Riverside, RV1 2AB."
    ),
)

AUTUMN = """Dear {{ salutation }},

{% if is_member %}Thank you for being a member of the branch\
{% if ward %} in {{ ward }}{% endif %}. Your membership number is \
**{{ membership_number }}**; please have it with you at the door.\
{% elif is_lapsed %}We have missed you since your membership lapsed, and would love to have \
you back: renewing takes two minutes at the door or online.\
{% else %}Thank you for supporting the branch. Many supporters become members: \
it costs less than a coffee a month and gives you a vote on what we do.{% endif %}

Our **annual general meeting** is on the first Thursday of next month at 7.30pm in the \
Old Chapel, Mill Lane. We will elect the committee and agree our priorities for the year:

- *housing* and the cost of renting;
- the bus routes the council wants to cut;
- keeping the library open on Saturdays.

{% if in_segment("Active members") %}You have been a great help this year, and we would \
value your ideas on the committee: nominations close a week before the meeting.
{% endif %}
{% if lives_with_member and not is_member %}We know someone at your address is a member \
already; you are just as welcome, member or not.
{% endif %}
Yours sincerely,
"""

SOCIAL = """Dear {{ salutation }},

You are warmly invited to the branch's **winter social** on Saturday 12 December from \
7pm at the Old Chapel, Mill Lane. Bring a friend; there will be food, music and a quiz.

Yours sincerely,
"""

TEMPLATES = {"Autumn letter and AGM": AUTUMN, "Winter social invitation": SOCIAL}


def add_demo_letters(
    session: Session, insert: Callable[[str, list[dict[str, Any]]], None], as_of: dt.date
) -> None:
    """The letterhead (unless the branch has one) and the two letters (unless the branch
    has letters of those names), written like the rest of the demo: as rows, audited once."""
    if not load_branch_settings(session).branch_name:
        have = set(session.scalars(select(Setting.key)))
        insert(
            "setting",
            [
                {"key": key, "value": value, "version": 1}
                for key, value in asdict(BRANCH).items()
                if key not in have
            ],
        )
    written = dt.datetime.combine(as_of, dt.time(9, 0))
    have = set(session.scalars(select(LetterTemplate.name)))
    insert(
        "letter_template",
        [
            {"name": name, "body": body, "version": 1, "created_at": written, "updated_at": written}
            for name, body in TEMPLATES.items()
            if name not in have
        ],
    )
