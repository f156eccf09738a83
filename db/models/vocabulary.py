"""The closed lists of kinds and statuses, with the words a secretary reads for each.

Each tuple is what the database's CHECK constraints allow; the label dictionaries are what
windows and reports print. Adding a value means a migration that widens the constraint.
"""

from __future__ import annotations

PERSON_STATUSES = ("member", "lapsed", "supporter", "contact", "guest")
PERSON_STATUS_LABELS = {
    "member": "Member",
    "lapsed": "Lapsed member",
    "supporter": "Supporter",
    "contact": "Contact",
    "guest": "Guest",
}

CHANNELS = ("post", "email", "phone", "sms")
CHANNEL_LABELS = {"post": "Post", "email": "Email", "phone": "Phone", "sms": "SMS"}

EMAIL_KINDS = ("home", "work", "other")
PHONE_KINDS = ("mobile", "home", "work", "other")

# Which group of a person's details a verification vouches for.
DETAIL_GROUPS = ("address", "email", "phone", "membership")
VERIFICATION_SOURCES = (
    "national_list",
    "in_person",
    "phone_call",
    "email_reply",
    "letter_returned",
    "form",
    "other",
)
VERIFICATION_SOURCE_LABELS = {
    "national_list": "National list",
    "in_person": "In person",
    "phone_call": "Phone call",
    "email_reply": "Email reply",
    "letter_returned": "Letter returned undelivered",
    "form": "Form",
    "other": "Other",
}

ORGANISATION_KINDS = ("trade_union", "cooperative", "campaign", "community", "other")
ORGANISATION_KIND_LABELS = {
    "trade_union": "Trade union",
    "cooperative": "Co-operative society",
    "campaign": "Campaign group",
    "community": "Community group",
    "other": "Other",
}

QUESTION_KINDS = ("single_choice", "multiple_choice", "scale", "free_text")
ANSWER_SOURCES = ("meeting", "doorstep", "phone", "paper_form", "online_form", "import", "other")
ANSWER_SOURCE_LABELS = {
    "meeting": "Meeting",
    "doorstep": "Doorstep",
    "phone": "Phone",
    "paper_form": "Paper form",
    "online_form": "Online form",
    "import": "Import",
    "other": "Other",
}

ACTIVITY_KINDS = (
    "canvassing",
    "leafleting",
    "phone_banking",
    "street_stall",
    "event_help",
    "admin",
    "fundraising",
    "other",
)
ACTIVITY_KIND_LABELS = {
    "canvassing": "Canvassing",
    "leafleting": "Leafleting",
    "phone_banking": "Phone banking",
    "street_stall": "Street stall",
    "event_help": "Event help",
    "admin": "Admin",
    "fundraising": "Fundraising",
    "other": "Other",
}

MEETING_KINDS = (
    "branch",
    "general_committee",
    "agm",
    "egm",
    "campaign",
    "social",
    "training",
)
MEETING_KIND_LABELS = {
    "branch": "Branch meeting",
    "general_committee": "General committee",
    "agm": "AGM",
    "egm": "EGM",
    "campaign": "Campaign session",
    "social": "Social",
    "training": "Training",
}
AGENDA_ITEM_KINDS = ("item", "motion")
ATTENDANCE_STATUSES = ("present", "apologies", "absent")
CHECKIN_METHODS = ("search", "scan", "manual", "paper", "online_form", "import")
CONTRIBUTION_KINDS = (
    "spoke",
    "question",
    "proposed",
    "seconded",
    "chaired",
    "minuted",
    "volunteered",
)
CONTRIBUTION_KIND_LABELS = {
    "spoke": "Spoke",
    "question": "Asked a question",
    "proposed": "Proposed a motion",
    "seconded": "Seconded a motion",
    "chaired": "Chaired",
    "minuted": "Took minutes",
    "volunteered": "Volunteered",
}

MAILING_MODES = ("person", "household")
IMPORT_BATCH_STATUSES = ("running", "committed", "rolled_back", "failed")
IMPORT_CHANGE_ACTIONS = ("created", "updated", "lapsed", "unchanged")
AUDIT_ACTIONS = ("insert", "update", "delete", "bulk", "erase", "merge", "rollback")
