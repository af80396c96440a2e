"""Demo clients for `manage.py seed_demo` (called from the end of sheets/demo.py: seed):
pseudonymous clients of three demo agencies, their self-introduction forms, consents and
referrals in every state — proposed, scheduled, done with reflection, hired with follow-ups
due, went on to another program, cancelled. Written through the services (audit and all).
Idempotent: a client is recognised by agency and the name to be called."""

import datetime

from django.utils import timezone

from registry.models import Agency, Membership, Role, User, acting_membership
from sheets.clients import services
from sheets.clients.models import Client, IntroSection, Referral
from sheets.clients.ranking import ranked_programs

# (agency, name to be called, form fields, referral plan); the plan names the state each of the
# client's best matches is taken to, in rank order.
CLIENTS = [
    (
        "伊丹市自立相談支援センター",
        "あおいさん",
        {
            "age_band": "30s",
            "interests": "植物の世話、ジグソーパズル。静かな場所が落ち着く。",
            "interest_tags": ["realistic", "conventional"],
            "strengths": "決まった手順をていねいに続けられる。数を数えるのが得意。",
            "confidence": {"comprehension": 2, "accuracy": 2, "pace": 1, "stamina": 0, "dexterity": 2, "people": 0},
            "want_to_confirm": ["accuracy", "pace"],
            "wants_accommodation": ["stamina", "people"],
            "experience": "スーパーの品出し（半年）。家では家族の食事づくり。",
            "goals": "週2日、午前中に通い続けられるか確かめたい。",
            "worries": "長く立っていると腰が痛くなる。知らない人に話しかけられると緊張する。",
            "coping": "作業の順番を紙に書いておくと安心できる。",
            "accommodations": ["extra_breaks", "written_steps"],
            "requests": "最初に作業を一度見せてもらえると助かります。",
            "days": ["tue", "thu"],
            "available_from": datetime.time(9, 0),
            "available_until": datetime.time(13, 0),
            "commute": ["bicycle"],
            "commute_notes": "自転車で20分まで",
            "engagement_types": ["visit", "experience"],
        },
        ["done_hired", "proposed"],
    ),
    (
        "伊丹市自立相談支援センター",
        "けんさん",
        {
            "age_band": "40s",
            "interests": "車やバイクの整備。体を動かすのは好き。",
            "interest_tags": ["realistic"],
            "strengths": "力仕事は得意。朝は早く起きられる。",
            "confidence": {"stamina": 3, "pace": 2, "people": 1, "change": 1},
            "want_to_confirm": ["teamwork"],
            "experience": "建設現場の手元（5年）。",
            "goals": "久しぶりに働くので、まず生活リズムを整えたい。",
            "worries": "指示が一度にたくさんあると混乱する。",
            "coping": "メモを取らせてもらう。",
            "accommodations": ["one_contact"],
            "days": ["mon", "wed", "fri"],
            "available_from": datetime.time(8, 0),
            "available_until": datetime.time(17, 0),
            "commute": ["car"],
            "engagement_types": ["experience", "part_time"],
        },
        ["scheduled", "cancelled"],
    ),
    (
        "川西市生活相談センター",
        "みおさん",
        {
            "age_band": "20s",
            "interests": "イラストを描くこと、猫。",
            "interest_tags": ["artistic", "conventional"],
            "strengths": "細かい作業に集中できる。",
            "confidence": {"dexterity": 3, "accuracy": 2, "people": 0, "environment": 1},
            "want_to_confirm": ["people", "teamwork"],
            "wants_accommodation": ["environment"],
            "experience": "なし（家事手伝い）。",
            "goals": "人と一緒に働くことに少しずつ慣れたい。",
            "worries": "大きな音が苦手。",
            "coping": "イヤーマフがあると落ち着ける。",
            "accommodations": ["quiet_place", "gradual_start"],
            "days": ["mon", "tue", "wed"],
            "available_from": datetime.time(10, 0),
            "available_until": datetime.time(15, 0),
            "commute": ["public"],
            "engagement_types": ["visit", "experience"],
        },
        ["done_another", "proposed"],
    ),
    (
        "玖珠町社会福祉協議会",
        "ひろしさん",
        {
            "age_band": "60s",
            "interests": "家庭菜園。",
            "interest_tags": ["realistic", "social"],
            "strengths": "農作業の経験が長い。",
            "confidence": {"stamina": 1, "environment": 3, "pace": 1},
            "want_to_confirm": ["stamina"],
            "experience": "実家の農業を30年。",
            "goals": "体力に合わせて、短い時間で続けられる仕事を見つけたい。",
            "worries": "膝が少し痛むことがある。",
            "coping": "しゃがむ作業は休み休みならできる。",
            "accommodations": ["shorter_hours", "extra_breaks"],
            "days": ["tue", "wed", "thu"],
            "available_from": datetime.time(8, 30),
            "available_until": datetime.time(12, 0),
            "commute": ["car"],
            "engagement_types": ["experience", "flexible"],
        },
        ["done_hired_old", "done"],
    ),
]


PROPOSED_DAYS_AGO = {
    "proposed": 3,
    "cancelled": 20,
    "scheduled": 10,
    "done": 75,
    "done_another": 75,
    "done_hired": 75,
    "done_hired_old": 215,
}


def _counselor(agency: Agency) -> User | None:
    """A staff member who acts for the agency (the counselor, else anyone with the role)."""
    memberships = Membership.objects.active().filter(agency=agency).select_related("user").order_by("pk")
    for membership in sorted(memberships, key=lambda m: m.role != Role.COUNSELOR):  # a counselor first
        if membership.has_role(Role.COUNSELOR):
            acting = acting_membership(membership.user)
            if acting is not None and acting.agency_id == agency.pk:
                return membership.user
    return None


def _days_ago(n: int) -> datetime.date:
    return timezone.localdate() - datetime.timedelta(days=n)


def _take(referral, plan: str, by: User, next_program) -> None:
    """Take a proposed referral to the state the plan names, with realistic dates."""
    if plan == "proposed":
        return
    if plan == "cancelled":
        services.referral_cancel(
            referral=referral, by=by, reason="本人の体調を優先し、いったん見送り。来月あらためて相談。"
        )
        return
    old = plan == "done_hired_old"
    start = _days_ago(200 if old else 60) if plan != "scheduled" else _days_ago(-7)
    referral = services.referral_schedule(referral=referral, by=by, starts_on=start, ends_on=start)
    if plan == "scheduled":
        return
    referral = services.referral_complete(referral=referral, by=by, done_on=start)
    referral = services.referral_feedback(
        referral=referral,
        by=by,
        self_ratings={"accuracy": 2, "pace": 1, "stamina": 1},
        employer_ratings={"accuracy": 3, "pace": 2, "stamina": 1},
        reflection="思っていたより落ち着いてできた。休憩のとり方がわかって安心した。",
        employer_feedback="ていねいで、確認もこまめにしてくれた。次は作業の量を少し増やしてみたい。",
        next_try="午後まで続けられるか試したい。",
    )
    if plan == "done":
        return
    if plan == "done_another":
        services.referral_outcome(referral=referral, by=by, outcome="another_program", next_program=next_program)
        return
    hired_on = start + datetime.timedelta(days=14)
    follow_ups = {"working_1m": True, "working_3m": True} if old else {}
    services.referral_outcome(referral=referral, by=by, outcome="hired", hired_on=hired_on, **follow_ups)


def seed(stdout) -> None:
    created = 0
    for agency_name, name, fields, plans in CLIENTS:
        agency = Agency.objects.filter(name=agency_name).first()
        by = _counselor(agency) if agency else None
        if by is None or Client.objects.filter(agency=agency, preferred_name=name).exists():
            continue
        client = services.client_create(agency=agency, by=by, preferred_name=name)
        if name == "あおいさん":
            services.sensitive_consent_record(client=client, by=by, given_on=_days_ago(90))
            fields = fields | {"health_notes": "腰痛のため、長時間の立ち作業は医師から控えるよう言われている。"}
        introduction = services.introduction_create(
            client=client, by=by, counselor_name=by.name, preferred_name=name, regions=[agency.region], **fields
        )
        ranking = ranked_programs(introduction, by)
        # The best matches get the plans; "went on to another program" went to the least good one.
        matches = ranking[: len(plans)]
        last = ranking[-1].key if ranking else None
        for plan, match in zip(plans, matches, strict=False):
            program = match.key
            if plan.startswith("done") or plan == "scheduled":
                services.consent_record(
                    introduction=introduction,
                    by=by,
                    employer=program.employer,
                    program=program,
                    sections=[s for s in IntroSection.values if s != IntroSection.HEALTH],
                    valid_from=_days_ago(210),
                    valid_until=_days_ago(-60),
                )
            referral = services.referral_propose(client=client, program=program, by=by, introduction=introduction)
            # Demo only: proposals were made some weeks before the dates that follow.
            Referral.objects.filter(pk=referral.pk).update(proposed_on=_days_ago(PROPOSED_DAYS_AGO[plan]))
            referral.refresh_from_db()
            _take(referral, plan, by, last)
        created += 1
    stdout.write(f"Clients: {created} demo clients created ({Client.objects.count()} in total).")
