"""Recognising columns from their headers, describing the choice, saving it for next month."""

from __future__ import annotations

from collections.abc import Sequence

import pytest
from hypothesis import given
from hypothesis import strategies as st

from db.importing.columns import (
    ColumnMapping,
    MappingError,
    PassedOver,
    column_letter,
    recognise,
    suggest_from_values,
)
from db.importing.header_names import FIELDS, all_header_keys, field_for_header, header_key
from tests.db.importing.corpus_cells import column, csv_rows, sheet_rows


@pytest.mark.parametrize(
    ("header", "field"),
    [
        ("Membership No", "membership_number"),
        ("Membership No.", "membership_number"),
        ("Membership Number", "membership_number"),
        ("Member ID", "membership_number"),
        ("Mem #", "membership_number"),
        ("membership_number", "membership_number"),
        ("MEMBERSHIP\xa0NUMBER", "membership_number"),
        ("Title", "title"),
        ("Forename(s)", "first_name"),
        ("Given name", "first_name"),
        ("First Name", "first_name"),
        ("FirstName", "first_name"),
        ("first_name", "first_name"),
        ("Middle Names", "middle_names"),
        ("Surname", "last_name"),
        ("Family name", "last_name"),
        ("Last Name", "last_name"),
        ("Name", "full_name"),
        ("Full Name", "full_name"),
        ("Known As", "preferred_name"),
        ("Preferred name", "preferred_name"),
        ("Address 1", "address_line1"),
        ("Address Line 1", "address_line1"),
        ("Addr1", "address_line1"),
        ("Street", "address_line1"),
        ("Address", "address_line1"),
        ("Address 2", "address_line2"),
        ("Address Line 3", "address_line3"),
        ("Town/City", "town"),
        ("Town", "town"),
        ("City", "town"),
        ("County", "county"),
        ("Post Code", "postcode"),
        ("Postcode", "postcode"),
        ("Zip", "postcode"),
        ("Ward", "ward"),
        ("Polling District", "polling_district"),
        ("PD", "polling_district"),
        ("E-mail", "email"),
        ("Email Address", "email"),
        ("E-Mail Address", "email"),
        ("Primary Email", "email"),
        ("Mobile", "mobile"),
        ("Mobile Phone", "mobile"),
        ("Cell", "mobile"),
        ("Telephone", "phone"),
        ("Home Phone", "phone"),
        ("Tel", "phone"),
        ("Tel No.", "phone"),
        ("D.O.B.", "date_of_birth"),
        ("Date of Birth", "date_of_birth"),
        ("Date of\nBirth", "date_of_birth"),
        ("Birthday", "date_of_birth"),
        ("Joined", "joined_on"),
        ("Join Date", "joined_on"),
        ("Date Joined", "joined_on"),
        ("Member Since", "joined_on"),
        ("Expiry", "lapsed_on"),
        ("Lapsed", "lapsed_on"),
        ("Status", "status"),
        ("Membership Type", "membership_type"),
        ("Branch", "branch"),
        ("Notes", "notes"),
        ("Mail OK", "post_allowed"),
        ("Email Consent", "email_allowed"),
        ("OK to Phone", "phone_allowed"),
        ("SMS Opt In", "sms_allowed"),
    ],
)
def test_header_spellings(header: str, field: str) -> None:
    found = field_for_header(header)
    assert found is not None and found[0] == field


@pytest.mark.parametrize(
    "header",
    [
        "Job Title",  # not a person's title
        "User Id",
        "FamilyID",
        "Mum\u2019s first name",  # CiviCRM's related contact
        "Mum-Street Address",
        "Team email ",
        "Phone Ext",
        "Home Address",
        "Do Not Email",  # the opposite of email allowed: never mapped to it
        "Gender",
        "Fax",
        "Polling Place Postcode",
        "",
        "0",
    ],
)
def test_headers_that_are_not_our_fields(header: str) -> None:
    assert field_for_header(header) is None


def test_every_listed_header_recognises_as_its_own_field() -> None:
    keys = all_header_keys()
    assert set(keys.values()) == set(FIELDS)
    for key, field in keys.items():
        found = field_for_header(key)
        assert found is not None and found[0] == field, key


def test_civicrm_duplicate_last_name_uses_the_first() -> None:
    header = csv_rows("civicrm_individual_locations_with_related.csv")[0]
    assert [i for i, h in enumerate(header) if h == "Last Name"] == [1, 15]
    mapping = recognise(header)
    assert mapping.column_of("last_name") == 1
    assert PassedOver(15, "last_name") in mapping.passed_over
    assert mapping.field_of(15) is None
    assert 'Column P "Last Name": not used, column B is already the last name' in (
        mapping.describe().splitlines()
    )
    assert mapping.mapped() == {
        "first_name": 0,
        "last_name": 1,
        "date_of_birth": 2,
        "address_line1": 3,
        "town": 4,
        "postcode": 5,
        "county": 7,
        "email": 8,
        "phone": 12,
    }


def test_the_plainer_of_two_phone_headers_wins() -> None:
    mapping = recognise(["Name", "Home Phone", "Phone", "Mobile", "Work Phone"])
    assert mapping.fields == ("full_name", None, "phone", "mobile", None)
    assert mapping.passed_over == (PassedOver(1, "phone"), PassedOver(4, "phone"))


def _mapped(headers: Sequence[object]) -> dict[str, int]:
    return recognise(headers).mapped()


def test_uk_500_headers_both_spellings() -> None:
    real = csv_rows("uk-500_briandunning_CR.csv")[0]
    assert _mapped(real) == {
        "first_name": 0,
        "last_name": 1,
        "address_line1": 3,
        "town": 4,
        "county": 5,
        "postcode": 6,
        "phone": 7,  # Telephone1; Telephone2 is passed over
        "email": 9,
    }
    brief = "first_name,last_name,company_name,address,city,county,postal,phone1,phone2,email,web"
    assert _mapped(brief.split(",")) == _mapped(real)


def test_datablist_people_100() -> None:
    header = csv_rows("people-100_datablist.csv")[0]
    assert _mapped(header) == {
        "first_name": 2,
        "last_name": 3,
        "email": 5,
        "phone": 6,
        "date_of_birth": 7,
    }


def test_mockaroo_short_lower_case_headers() -> None:
    header = sheet_rows("MOCK_DATA_mockaroo.xlsx")[0]
    assert _mapped(header) == {"first_name": 1, "last_name": 2, "email": 3}


def test_jethro_family_name_and_last_name() -> None:
    header = csv_rows("jethro_sample_import.csv")[0]
    mapping = recognise(header)
    assert mapping.mapped() == {
        "last_name": 1,  # last_name beats family_name, the household's label
        "first_name": 2,
        "status": 4,
        "email": 7,
        "mobile": 8,
        "phone": 10,  # home_tel before work_tel
        "address_line1": 11,
        "town": 12,
        "county": 13,
        "postcode": 14,
        "notes": 15,
    }
    assert PassedOver(0, "last_name") in mapping.passed_over


def test_churchcrm_headers() -> None:
    assert _mapped(csv_rows("churchcrm_test_import.csv")[0]) == {
        "last_name": 1,
        "first_name": 2,
        "address_line1": 3,
        "town": 4,
        "county": 5,
        "postcode": 6,
        "email": 7,
        "date_of_birth": 8,
        "phone": 9,
    }
    bare = recognise(csv_rows("churchcrm_test_import_bareyear.csv")[0])
    # "Birth Day" (the day of the month) loses to BirthDate; MembershipDate is the join date.
    assert bare.mapped() == {
        "last_name": 1,
        "first_name": 2,
        "date_of_birth": 3,
        "joined_on": 7,
    }


def test_thunderbird_semicolon_headers() -> None:
    header = csv_rows("thunderbird_csv_semicolon.csv", delimiter=";")[0]
    assert _mapped(header) == {"full_name": 0, "first_name": 1, "last_name": 2, "email": 3}


def test_poi_contact_headers() -> None:
    mapping = recognise(sheet_rows("poi_51626_contact.xlsx")[0])
    assert mapping.mapped() == {
        "first_name": 0,
        "last_name": 1,
        "address_line1": 3,
        "address_line2": 4,
        "town": 5,
        "county": 6,
        "postcode": 7,
        "phone": 8,  # Home; Office is passed over
        "mobile": 11,
        "email": 12,
    }


def test_employee_sample_full_name_only() -> None:
    mapping = recognise(sheet_rows("Employee_Sample_Data_table_totals.xlsx")[0])
    assert mapping.mapped() == {"full_name": 1, "town": 12}
    assert mapping.missing_required() == ()


def test_a_number_or_blank_in_the_header_row() -> None:
    # LibreOffice's sample has the number 0 in A1; the .xls has an empty A1.
    for name in ("file_example_XLSX_10_calc.xlsx", "file_example_XLS_1000.xls"):
        header = sheet_rows(name)[0]
        assert _mapped(header) == {"first_name": 1, "last_name": 2}


def test_council_files_address_and_district_columns() -> None:
    tsv = csv_rows("dc_xpress_encoding-windows1252.tsv", encoding="cp1252", delimiter="\t")
    assert _mapped(tsv[0]) == {
        "address_line1": 3,
        "address_line2": 4,
        "address_line3": 5,
        "postcode": 9,
    }
    preston = csv_rows("dc_Preston_Polling_Stations_bom.csv", encoding="utf-8-sig")[0]
    assert _mapped(preston) == {
        "address_line1": 1,
        "address_line2": 2,
        "address_line3": 3,
        "postcode": 6,
    }
    westminster = sheet_rows("dc_Westminster_Polling_stations_2015.xls", "PollingData")[0]
    assert _mapped(westminster) == {"polling_district": 0, "ward": 1}
    mapping = recognise(westminster)
    assert mapping.missing_required() == (
        "last_name",
        "full_name",
        "email",
        "membership_number",
    )
    assert "people cannot be told apart" in mapping.describe()


def test_json_round_trip_and_describe() -> None:
    mapping = recognise(["Membership No", "Forename", "Surname", "Fax", "", "Surname"])
    again = ColumnMapping.from_json(mapping.to_json())
    assert again == mapping
    assert mapping.describe().splitlines() == [
        'Column A "Membership No": membership number',
        'Column B "Forename": first name',
        'Column C "Surname": last name',
        'Column D "Fax": kept as a custom field',
        'Column F "Surname": not used, column C is already the last name',
    ]


@pytest.mark.parametrize(
    "text",
    [
        "",
        "not json",
        "[]",
        '{"format": "something else", "version": 1, "columns": []}',
        '{"format": "branchbook-column-mapping", "version": 2, "columns": []}',
        '{"format": "branchbook-column-mapping", "version": 1}',
        '{"format": "branchbook-column-mapping", "version": 1, "columns": [{"header": "A"}]}',
        '{"format": "branchbook-column-mapping", "version": 1,'
        ' "columns": [{"header": "A", "field": "shoe_size"}]}',
        '{"format": "branchbook-column-mapping", "version": 1, "columns":'
        ' [{"header": "A", "field": "email"}, {"header": "B", "field": "email"}]}',
        '{"format": "branchbook-column-mapping", "version": 1, "columns": [],'
        ' "passed_over": [{"column": 3, "field": "email"}]}',
    ],
)
def test_a_saved_mapping_that_cannot_be_used_says_so(text: str) -> None:
    with pytest.raises(MappingError, match="The saved column mapping cannot be used"):
        ColumnMapping.from_json(text)


def test_the_secretary_can_move_a_field() -> None:
    mapping = recognise(["Name", "Home Phone", "Phone"])
    moved = mapping.with_field(1, "phone")
    assert moved.fields == ("full_name", "phone", None)
    assert moved.passed_over == ()
    assert moved.with_field(0, None).missing_required()
    with pytest.raises(ValueError, match="no column 9"):
        mapping.with_field(9, "email")


def test_a_saved_mapping_applies_to_next_months_headers() -> None:
    mapping = recognise(["Membership No.", "First Name", "Last Name"])
    assert mapping.applies_to(["MEMBERSHIP NO", "first_name", "LastName"])
    assert not mapping.applies_to(["Membership No.", "Last Name", "First Name"])
    assert not mapping.applies_to(["Membership No.", "First Name"])


def test_column_letters() -> None:
    assert [column_letter(i) for i in (0, 1, 25, 26, 27, 51, 52, 147)] == [
        "A", "B", "Z", "AA", "AB", "AZ", "BA", "ER",
    ]  # fmt: skip


@given(st.lists(st.one_of(st.text(), st.none(), st.integers(), st.floats())))
def test_recognise_never_raises_and_fills_each_field_once(headers: list[object]) -> None:
    mapping = recognise(headers)
    used = [f for f in mapping.fields if f]
    assert len(used) == len(set(used))
    assert ColumnMapping.from_json(mapping.to_json()) == mapping
    mapping.describe()


def test_header_keys_ignore_case_punctuation_and_spacing() -> None:
    assert header_key("Membership No.") == header_key("MEMBERSHIP_NUMBER") == "membershipnumber"
    assert header_key("Mem #") == "memnumber"
    assert header_key("D.O.B.") == "dob"
    assert header_key(" E-mail\xa0Address\n") == "emailaddress"


def test_suggestions_from_values_for_unnamed_columns() -> None:
    assert suggest_from_values(column(sheet_rows("MOCK_DATA_mockaroo.xlsx"), 3)) == "email"
    preston = csv_rows("dc_Preston_Polling_Stations_bom.csv", encoding="utf-8-sig")
    assert suggest_from_values(column(preston, 6)) == "postcode"
    assert suggest_from_values(column(csv_rows("uk-500_briandunning_CR.csv"), 7)) == "phone"
    assert suggest_from_values(["07700 900123", 7700900124.0, "07700900125", ""]) == "mobile"
    assert suggest_from_values(column(sheet_rows("MOCK_DATA_mockaroo.xlsx"), 1)) is None
    assert suggest_from_values(["a@example.com", "", None]) is None  # too few to tell
    # RCT's poll-card dump names 3 of its 148 columns: the rest can still be offered.
    rct = sheet_rows("dc_RCT_POLLINGSTATIONS_148cols.xlsx")
    unnamed = {i: suggest_from_values(column(rct, i)) for i, h in enumerate(rct[0]) if not h}
    assert {i: f for i, f in unnamed.items() if f} == {
        6: "postcode",  # 23 of 179 blank: blanks are not counted against it
        51: "postcode",
        55: "phone",  # the Electoral Registration Officer's office
        56: "email",
    }
