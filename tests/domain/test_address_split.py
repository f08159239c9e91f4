"""One-string addresses of voter-file exports split into number, street and unit."""
from __future__ import annotations

import pytest

from fieldops.domain.address_split import SplitAddress, split_address


@pytest.mark.parametrize("text, expected", [
    ("123 Main St", ("123", "Main St", None)),
    ("123 Main St Apt 4B", ("123", "Main St", "4B")),
    ("123 Main St, Apt. 4B", ("123", "Main St", "4B")),
    ("123 Main St #4", ("123", "Main St", "4")),
    ("123-A Main St", ("123A", "Main St", None)),
    ("123 1/2 Main St", ("123 1/2", "Main St", None)),
    ("12 Elm Rd, Unit 5", ("12", "Elm Rd", "5")),
    ("4501 N  Broadway Ste 200", ("4501", "N Broadway", "200")),
    ("Mannerheimintie 14 B 12", ("14", "Mannerheimintie", "B 12")),
    ("Storgatan 5 lgh 1102", ("5", "Storgatan", "1102")),
    ("Hauptstr. 7a", ("7a", "Hauptstr.", None)),
    ("Pohjoisesplanadi 3-5", ("3-5", "Pohjoisesplanadi", None)),
    ("Aleksanterinkatu 15 as. 4", ("15", "Aleksanterinkatu", "4")),
])
def test_addresses_split(text, expected):
    assert split_address(text) == SplitAddress(*expected)


@pytest.mark.parametrize("text", ["", None, "   ", "Main Street", "PO Box"])
def test_an_address_without_a_number_is_not_guessed(text):
    assert split_address(text) is None


@pytest.mark.parametrize("text", ["PO Box 17", "P.O. Box 9", "PL 123", "PL123", "Postilokero 4", "Postboks 12",
                                  "Postfach 1204", "Apartado de correos 33", "Apdo. 7", "Apdo. de Correos 45",
                                  "Apartado Postal 45", "Apdo. Correos 45", "Apartado de correos nº 45"])
def test_a_po_box_is_mail_not_a_door(text):
    assert split_address(text) is None


@pytest.mark.parametrize("text, expected", [("Plaza Mayor 3", ("3", "Plaza Mayor", None)),
                                            ("12 Pl Rd", ("12", "Pl Rd", None)),
                                            ("Boxgatan 4", ("4", "Boxgatan", None)),
                                            ("Pl. de España 1", ("1", "Pl. de España", None))])
def test_streets_that_begin_like_a_box_are_streets(text, expected):
    assert split_address(text) == SplitAddress(*expected)
