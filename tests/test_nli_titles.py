"""Titles of office (claims.nli.titles): the WordNet table and its reading."""

from __future__ import annotations

import pytest

from claims.nli.titles import kind_of_person, other_office, other_people


@pytest.mark.parametrize(
    ("a", "b"),
    [
        ("president", "prime_minister"),
        ("governor", "senator"),
        ("mayor", "president"),
        ("king", "president"),
    ],
)
def test_other_offices(a, b):
    assert other_office(a, b) and other_office(b, a)


@pytest.mark.parametrize(
    ("a", "b"),
    [
        ("president", "president"),
        ("chief", "secretary_general"),  # a hypernym
        ("chancellor", "prime_minister"),  # a shared sense
        ("minister", "foreign_minister"),
        ("striker", "captain"),  # "striker" names no office
        ("president", "spokesperson_for_nothing"),  # not in the table
    ],
)
def test_the_same_office_or_a_kind_of_it(a, b):
    assert not other_office(a, b) and not other_office(b, a)


@pytest.mark.parametrize(
    ("a", "b"),
    [("soldier", "civilian"), ("child", "student"), ("man", "woman"), ("refugee", "migrant")],
)
def test_other_kinds_of_person(a, b):
    assert other_people(a, b) and other_people(b, a)


@pytest.mark.parametrize(
    ("a", "b"),
    [
        ("civilian", "civilian"),
        ("civilian", "people"),  # a kind of person; "people" is the plural of "person"
        ("protester", "demonstrator"),  # a shared sense
        ("employee", "worker"),  # a hypernym
        ("soldier", "troop"),  # "troops" are a group, not a kind of person
        ("soldier", "nounthatisnotthere"),
    ],
)
def test_the_same_kind_of_person_or_a_kind_of_it(a, b):
    assert not other_people(a, b) and not other_people(b, a)


def test_a_kind_of_person_of_another():
    assert kind_of_person("resident", "people") and kind_of_person("civilian", "person")
    assert kind_of_person("people", "people")
    assert not kind_of_person("people", "resident")  # people need not be residents
    assert not kind_of_person("soldier", "civilian") and not kind_of_person("car", "people")
