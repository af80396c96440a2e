"""The participant survey: a signed, expiring link without an account, one answer per
submission, and a per-question summary for the organisers."""

import time
import uuid

from django.test import Client
from django.urls import reverse

from workshops.models import SurveyAnswer
from workshops.selectors import survey_summary
from workshops.survey import session_from_token, survey_token


def answer_url(session):
    return reverse("workshops:survey_answer", args=[survey_token(session)])


def test_participants_answer_without_an_account(ws, client):
    page = client.get(answer_url(ws.session))
    body = page.content.decode()
    assert page.status_code == 200
    assert "ワークショップを通した他の機関とのつながり" in body and 'name="submission_id"' in body
    assert 'name="viewport"' in body  # phones
    submission = page.context["form"].initial["submission_id"]
    response = client.post(
        answer_url(ws.session),
        {"submission_id": submission, "new_connections": "3", "insights": "顔の見える関係ができた"},
    )
    assert response.status_code == 200 and "回答を受け付けました" in response.content.decode()
    answer = SurveyAnswer.objects.get()
    assert (answer.session, answer.new_connections, answer.insights) == (ws.session, 3, "顔の見える関係ができた")


def test_a_number_over_the_limit_is_said_next_to_its_field_and_the_answers_are_kept(ws, client):
    url = answer_url(ws.session)
    submission = client.get(url).context["form"].initial["submission_id"]
    response = client.post(url, {"submission_id": submission, "new_connections": "100", "insights": "顔が見えた"})
    assert response.status_code == 200
    form = response.context["form"]
    assert "new_connections" in form.errors and "99" in str(form.errors["new_connections"])
    assert "顔が見えた" in response.content.decode()  # what was typed stays in the form
    assert not SurveyAnswer.objects.exists()
    # The same phone then sends a number within the limit: stored once.
    client.post(url, {"submission_id": submission, "new_connections": "12", "insights": "顔が見えた"})
    assert SurveyAnswer.objects.get().new_connections == 12


def test_a_double_post_of_the_same_form_is_one_answer(ws, client):
    data = {"submission_id": str(uuid.uuid4()), "next_steps": "企業訪問に同行する"}
    client.post(answer_url(ws.session), data)
    client.post(answer_url(ws.session), data)
    assert SurveyAnswer.objects.count() == 1
    another_phone = Client()
    another_phone.post(answer_url(ws.session), data | {"submission_id": str(uuid.uuid4())})
    assert SurveyAnswer.objects.count() == 2


def test_one_browser_answers_once_even_after_back_and_a_new_form(ws, client):
    """Back → 送信, or loading the form again, sends this browser's first answer again: stored once
    and counted once (issue 21 item 15, issue 23 item 6)."""
    url = answer_url(ws.session)
    first = client.get(url).context["form"].initial["submission_id"]
    assert client.post(url, {"submission_id": first, "insights": "一回目"}).status_code == 200
    # Back to the form, which the browser loads again, and 送信 once more; or a brand-new form id.
    again = client.get(url)
    assert "回答はすでに受け付けています" in again.content.decode()
    response = client.post(url, {"submission_id": str(uuid.uuid4()), "insights": "二回目"})
    assert "回答はすでに受け付けています" in response.content.decode()
    assert list(SurveyAnswer.objects.values_list("insights", flat=True)) == ["一回目"]
    assert survey_summary(ws.session)["stats"]["count"] == 1


def test_the_form_of_a_browser_keeps_its_submission_id_until_it_answers(ws, client):
    url = answer_url(ws.session)
    first = client.get(url).context["form"].initial["submission_id"]
    assert client.get(url).context["form"].initial["submission_id"] == first


def test_re_opening_a_closed_survey_issues_a_new_link(world, ws, client, login):
    old_link = answer_url(ws.session)
    coordinator = login(world.coordinator_a)
    edit = reverse("workshops:session_edit", args=[ws.session.uuid])
    settings_form = {"number": 1, "themes": ["needs", "initiatives"], "duration_minutes": 150, "is_open": "on"}
    coordinator.post(edit, settings_form)  # survey closed
    coordinator.post(edit, settings_form | {"survey_open": "on"})  # and opened again
    ws.session.refresh_from_db()
    assert ws.session.survey_open and ws.session.survey_round == 2
    assert session_from_token(old_link.split("/")[-2]) is None
    response = client.post(old_link, {"submission_id": str(uuid.uuid4()), "insights": "古いリンク"})
    assert response.status_code == 404
    new_link = coordinator.get(reverse("workshops:survey_results", args=[ws.session.uuid])).context["survey_url"]
    assert f"/survey/{ws.session.uuid.hex}.2:" in new_link
    assert client.post(answer_url(ws.session), {"submission_id": str(uuid.uuid4()), "insights": "新しいリンク"})
    assert list(SurveyAnswer.objects.values_list("insights", flat=True)) == ["新しいリンク"]
    # Saving the settings of an open survey keeps its link.
    coordinator.post(edit, settings_form | {"survey_open": "on", "place": "市役所"})
    ws.session.refresh_from_db()
    assert ws.session.survey_round == 2


def test_an_empty_answer_is_refused_in_japanese(ws, client):
    response = client.post(answer_url(ws.session), {"submission_id": str(uuid.uuid4()), "new_connections": "2"})
    assert "少なくとも1つの質問に答えてください。" in response.content.decode()
    assert not SurveyAnswer.objects.exists()


def test_the_link_expires(ws, client, settings, monkeypatch):
    settings.WORKSHOP_SURVEY_VALID_DAYS = 2
    token = survey_token(ws.session)
    assert session_from_token(token) == ws.session
    later = time.time() + 3 * 24 * 60 * 60
    monkeypatch.setattr("django.core.signing.time.time", lambda: later)
    assert session_from_token(token) is None
    url = reverse("workshops:survey_answer", args=[token])
    response = client.get(url)
    assert response.status_code == 404 and "有効期限が切れている" in response.content.decode()
    client.post(url, {"submission_id": str(uuid.uuid4()), "insights": "遅れて回答"})
    assert not SurveyAnswer.objects.exists()


def test_a_tampered_link_does_not_work(ws, client):
    token = survey_token(ws.session)
    forged = token.replace(token[5], "x" if token[5] != "x" else "y", 1)
    assert client.get(reverse("workshops:survey_answer", args=[forged])).status_code == 404


def test_organisers_see_the_answers_summarised_per_question(world, ws, login):
    SurveyAnswer.objects.create(session=ws.session, submission_id=uuid.uuid4(), new_connections=4, insights="気づきA")
    SurveyAnswer.objects.create(
        session=ws.session, submission_id=uuid.uuid4(), new_connections=2, insights="気づきB", next_steps="試すこと"
    )
    response = login(world.counselor_a).get(reverse("workshops:survey_results", args=[ws.session.uuid]))
    body = response.content.decode()
    assert "回答 2件" in body and "平均 3.0人（合計 6人）" in body
    assert "気づきA" in body and "気づきB" in body and "試すこと" in body
    summary = response.context["summary"]
    assert [len(q["answers"]) for q in summary["questions"]] == [0, 2, 1]
    assert "/survey/" in response.context["survey_url"]
    assert "<svg" in body  # the QR code to show on the screen
    # Participating coordinators add cards but do not read the survey.
    assert login(ws.coordinator_b).get(reverse("workshops:survey_results", args=[ws.session.uuid])).status_code == 403


def test_a_closed_survey_takes_no_answers(world, ws, client, login):
    url = answer_url(ws.session)
    login(world.coordinator_a).post(
        reverse("workshops:session_edit", args=[ws.session.uuid]),
        {"number": 1, "themes": ["needs", "initiatives"], "duration_minutes": 150, "is_open": "on"},
    )
    ws.session.refresh_from_db()
    assert not ws.session.survey_open
    page = login(world.coordinator_a).get(reverse("workshops:survey_results", args=[ws.session.uuid]))
    assert "アンケートは締め切られています" in page.content.decode()
    client.logout()
    response = client.post(url, {"submission_id": str(uuid.uuid4()), "insights": "締切後"})
    assert response.status_code == 404 and "締め切られた" in response.content.decode()
    assert not SurveyAnswer.objects.exists()


def test_each_sessions_survey_pages_have_their_own_title(world, ws, login, client):
    """WCAG 2.4.2: 「参加者アンケート」 was the title of every session's survey page."""
    from tests.workshops.factories import SessionFactory

    second = SessionFactory(series=ws.series, number=2)
    http = login(world.coordinator_a)
    titles = [
        http.get(reverse("workshops:survey_results", args=[session.uuid])).content.decode()
        for session in (ws.session, second)
    ]
    assert "<title>参加者アンケート：川西ワークショップ 第1回 |" in titles[0]
    assert "<title>参加者アンケート：川西ワークショップ 第2回 |" in titles[1]
    answer = client.get(answer_url(second)).content.decode()
    assert "<title>ワークショップ 参加者アンケート：川西ワークショップ 第2回 |" in answer
