import pytest
from django.core.exceptions import ValidationError

from registry.models import Role, UserSession, local_government_check_digit, validate_local_government_code
from tests.factories import PrefectureFactory, RegionFactory


@pytest.mark.parametrize(
    ("code", "name"),
    [("282073", "伊丹市"), ("282171", "川西市"), ("444626", "玖珠町"), ("442101", "杵築市"), ("131016", "千代田区")],
)
def test_real_local_government_codes_pass_the_check_digit(code, name):
    assert local_government_check_digit(code[:5]) == int(code[5]), name
    validate_local_government_code(code)


@pytest.mark.parametrize("code", ["282074", "28207", "2820733", "28207a"])
def test_wrong_local_government_codes_are_refused(code):
    with pytest.raises(ValidationError):
        validate_local_government_code(code)


def test_region_code_must_belong_to_its_prefecture(db):
    region = RegionFactory.build(prefecture=PrefectureFactory(code="44"), code="282073", name="伊丹市")
    with pytest.raises(ValidationError) as exc:
        region.full_clean()
    assert "code" in exc.value.message_dict


def test_roles_include_the_ones_before_them():
    assert Role.AGENCY_ADMIN.includes(Role.COORDINATOR)
    assert Role.COORDINATOR.includes(Role.COUNSELOR)
    assert not Role.COUNSELOR.includes(Role.COORDINATOR)
    assert not Role.COORDINATOR.includes(Role.AGENCY_ADMIN)


@pytest.mark.parametrize(
    ("user_agent", "shown"),
    [
        (
            "Mozilla/5.0 (Windows NT 10.0; Win64; x64) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/131.0 "
            "Safari/537.36",
            "Chrome（Windows）",
        ),
        (
            "Mozilla/5.0 (Windows NT 10.0; Win64; x64) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/131.0 "
            "Safari/537.36 Edg/131.0",
            "Edge（Windows）",
        ),
        (
            "Mozilla/5.0 (iPhone; CPU iPhone OS 18_1 like Mac OS X) AppleWebKit/605.1.15 Version/18.1 Safari/604.1",
            "Safari（iPhone）",
        ),
        ("Mozilla/5.0 (X11; Linux x86_64; rv:133.0) Gecko/20100101 Firefox/133.0", "Firefox（Linux）"),
        ("curl/8.5.0", "curl/8.5.0"),
    ],
)
def test_a_session_names_its_browser_as_a_person_recognises_it(user_agent, shown):
    assert UserSession(user_agent=user_agent).browser == shown
