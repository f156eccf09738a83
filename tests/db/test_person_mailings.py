"""A person's letters: which mailing, and which variant, numbered as the mailing window
numbers them."""

from __future__ import annotations

import datetime as dt

from db.database import Database
from db.mailing_plan import plan_mailing, record_plan
from db.person_dossier import person_dossier
from db.person_mailings import person_mailings
from tests.helpers.mailing_people import seed_branch

TEMPLATE = """Dear {{ salutation }},

{% if is_member %}MEMBER{% elif status == "Contact" %}CONTACT{% else %}SUPPORTER{% endif %}
"""


def test_each_recipient_knows_the_letter_and_variant_they_got(database: Database) -> None:
    branch = seed_branch(database)
    with database.session() as session:
        plan = plan_mailing(
            session,
            template_name="Autumn",
            body=TEMPLATE,
            segment="Everyone",
            today=dt.date(2026, 11, 27),
        )
        record_plan(session, plan)
        plan = plan_mailing(session, template_name="Social", body="Hi.", segment="Everyone")
        record_plan(session, plan)
    variants = {v.name: n for n, v in enumerate(plan.variants(), start=1)}
    assert len(variants) == 1
    with database.session() as session:
        siân = person_mailings(session, branch["Siân Llŷr-Jones"])
        dafydd = person_mailings(session, branch["Dafydd Llŷr-Jones"])
        wójcik = person_mailings(session, branch["Łukasz Wójcik"])
        quiet = person_mailings(session, branch["Peter Quiet"])
        dossier = person_dossier(session, branch["Siân Llŷr-Jones"])
    assert [line.title for line in siân] == ["Social to Everyone", "Autumn to Everyone"]
    assert siân[0].variants == 1
    # Three members (Siân, Zoë, Nguyễn), two supporters, one contact: members are variant 1.
    assert (siân[1].variant_number, siân[1].variants) == (1, 3)
    assert (wójcik[1].variant_number, dafydd[1].variant_number) == (2, 3)
    assert siân[1].variant != wójcik[1].variant != dafydd[1].variant
    assert quiet == []  # refused post: left out, so sent nothing
    assert dossier.mailings == siân
