"""Demo つなぎ for `manage.py seed_demo`: a directory entry for every demo agency, needs checks,
one pending hand-off (伊丹市自立相談支援センター → 伊丹市社会福祉協議会, waiting long enough to be
flagged) and one accepted hand-off with its first meeting (川西市生活相談センター → 伊丹市自立相談支援
センター). Written through the services. Idempotent."""

import datetime

from django.utils import timezone

from registry.models import Agency, User
from sheets.clients.models import Client
from sheets.demo.clients import _counselor
from sheets.network import services
from sheets.network.models import Handoff, NeedsCheck

# agency name → (kinds of support, other, who it serves, area, hours, how to contact)
PROFILES = {
    "伊丹市自立相談支援センター": (
        ["life_consultation", "work_readiness", "household_finance"],
        "住居確保給付金の相談",
        "生活や仕事のことで困っている伊丹市にお住まいの方（年齢は問いません）",
        "伊丹市",
        "平日 8:45〜17:30",
        "まずお電話ください。来所・訪問は予約制です。",
    ),
    "伊丹市社会福祉協議会": (
        ["life_consultation", "work_training", "job_retention"],
        "ボランティア活動・居場所づくり",
        "地域で暮らす方、ひきこもりがちな方とその家族",
        "伊丹市",
        "平日 9:00〜17:00",
        "電話・窓口で受け付けています。",
    ),
    "伊丹市 地域福祉課（重層的支援担当）": (
        ["life_consultation"],
        "複合的な課題の調整（重層的支援体制整備事業）",
        "いくつもの困りごとが重なっている世帯",
        "伊丹市",
        "平日 9:00〜17:30",
        "関係機関からの連絡を受け付けています。",
    ),
    "川西市生活相談センター": (
        ["life_consultation", "work_readiness", "household_finance"],
        "",
        "生活や仕事のことで困っている川西市にお住まいの方",
        "川西市",
        "平日 9:00〜17:30",
        "電話で予約してください。",
    ),
    "川西市社会福祉協議会": (
        ["life_consultation", "job_retention"],
        "地域の居場所づくり",
        "地域で暮らす方とその家族",
        "川西市",
        "平日 9:00〜17:00",
        "電話・窓口で受け付けています。",
    ),
    "かわにし地域若者サポートステーション": (
        ["youth", "work_readiness", "job_retention"],
        "職場体験・面接練習",
        "15〜49歳で働くことに悩みのある方とその家族",
        "川西市・伊丹市・宝塚市",
        "火〜土 10:00〜18:00",
        "電話・メールで予約してください。",
    ),
    "玖珠町社会福祉協議会": (
        ["life_consultation", "work_training"],
        "",
        "玖珠町にお住まいの方",
        "玖珠町",
        "平日 8:30〜17:15",
        "電話・窓口で受け付けています。",
    ),
    "玖珠町 福祉保健課": (
        ["life_consultation"],
        "",
        "玖珠町にお住まいの方",
        "玖珠町",
        "平日 8:30〜17:15",
        "窓口へどうぞ。",
    ),
    "杵築市社会福祉協議会": (
        ["life_consultation", "work_readiness"],
        "",
        "杵築市にお住まいの方",
        "杵築市",
        "平日 8:30〜17:15",
        "電話・窓口で受け付けています。",
    ),
    "杵築市無料職業紹介所": (
        ["free_placement", "job_retention"],
        "短時間の仕事の紹介",
        "仕事を探している方（杵築市と周辺）",
        "杵築市・日出町",
        "平日 9:00〜16:00",
        "来所してください（予約不要）。",
    ),
    "NPO法人きつき就労ネット": (
        ["work_training", "disability_employment", "job_retention"],
        "農作業の体験",
        "障害のある方、長く仕事から離れていた方",
        "杵築市",
        "平日 9:00〜17:00",
        "電話・メールで予約してください。",
    ),
}

NEEDS = {
    ("伊丹市自立相談支援センター", "けんさん"): {
        "wish_to_work": "now",
        "situation": "半年前に仕事を辞め、家賃の支払いが苦しい。生活リズムが乱れている。",
        "time_available": "平日の朝から、週3日くらい",
        "care_constraints": "",
        "past_work": "建設現場の手元（5年）",
        "want_to_try": "体を動かす仕事。まず短い時間から。",
    },
    ("川西市生活相談センター", "みおさん"): {
        "wish_to_work": "soon",
        "situation": "家族の介護がひと段落し、少しずつ外に出たい。",
        "time_available": "平日の午後、週2日",
        "care_constraints": "母の通院の付き添いが月2回ある。",
        "past_work": "事務のアルバイト（2年）",
        "want_to_try": "人と話しすぎない作業。",
    },
}


def _days_ago(n: int) -> datetime.date:
    return timezone.localdate() - datetime.timedelta(days=n)


def _needs_check(agency_name: str, client_name: str) -> tuple[Client, NeedsCheck] | None:
    agency = Agency.objects.filter(name=agency_name).first()
    client = Client.objects.filter(agency=agency, preferred_name=client_name).first() if agency else None
    by = _counselor(agency) if agency else None
    if client is None or by is None:
        return None
    check = client.needs_checks.first() or services.needs_check_save(
        client=client, by=by, checked_on=_days_ago(30), **NEEDS[(agency_name, client_name)]
    )
    return client, check


def _handoff(source: tuple[Client, NeedsCheck], to_name: str, items: list[str], note: str, sent_days_ago: int):
    client, check = source
    to_agency = Agency.objects.filter(name=to_name).first()
    by = _counselor(client.agency)
    if to_agency is None or by is None:
        return None
    existing = Handoff.objects.filter(client=client, to_agency=to_agency).first()
    if existing is not None:
        return None
    handoff = services.handoff_send(
        client=client,
        by=by,
        to_agency=to_agency,
        items=items,
        introduction=client.introductions.order_by("-created_at").first(),
        needs_check=check,
        note=note,
        consent_given_by="client",
        consent_on=_days_ago(sent_days_ago),
        consent_method="written",
        consent_until=_days_ago(sent_days_ago - 90),
    )
    Handoff.objects.filter(pk=handoff.pk).update(sent_on=_days_ago(sent_days_ago))  # demo: sent some days ago
    handoff.refresh_from_db()
    return handoff


def seed(stdout) -> None:
    admin = User.objects.filter(is_superuser=True, is_active=True).order_by("pk").first()
    profiles = 0
    for agency in Agency.objects.filter(name__in=PROFILES, support_kinds=[]):
        kinds, other, serves, area, hours, contact = PROFILES[agency.name]
        if admin is not None:
            services.agency_profile_update(
                agency=agency,
                by=admin,
                support_kinds=kinds,
                support_other=other,
                serves=serves,
                service_area=area,
                hours=hours,
                contact_note=contact,
                accepts_handoffs=True,
            )
            profiles += 1
    itami = _needs_check("伊丹市自立相談支援センター", "けんさん")
    if itami is not None:
        _handoff(
            itami,
            "伊丹市社会福祉協議会",
            ["needs_check", "interests", "strengths", "goals"],
            "生活リズムを整えるところから。就労訓練の枠についてご相談したいです。",
            sent_days_ago=6,
        )
    kawanishi = _needs_check("川西市生活相談センター", "みおさん")
    if kawanishi is not None:
        handoff = _handoff(
            kawanishi,
            "伊丹市自立相談支援センター",
            ["needs_check", "profile", "interests", "availability"],
            "伊丹市への転居が決まりました。引き続きの支援をお願いします。",
            sent_days_ago=20,
        )
        receiver = _counselor(handoff.to_agency) if handoff else None
        if handoff is not None and receiver is not None:
            services.handoff_accept(handoff=handoff, by=receiver)
            Handoff.objects.filter(pk=handoff.pk).update(accepted_on=_days_ago(18))
            handoff.refresh_from_db()
            services.handoff_met(handoff=handoff, by=receiver, met_on=_days_ago(10))
    stdout.write(f"つなぎ: {profiles} directory entries, {Handoff.objects.count()} hand-offs in total.")
