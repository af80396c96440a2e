"""Demo data for ① 事業所紹介シート: people and atmosphere, facilities, house rules and a
message for every demo employer (called at the end of sheets/demo.py: seed). Idempotent:
an employer that already has an introduction is left alone."""

from registry.models import Employer
from sheets.printing.models import EmployerIntro

# By employer kind: what coordinators typically write after a visit, in plain words.
BY_KIND = {
    "farm": (
        "家族と地域のパートさん6人で作業しています。作業中は静かですが、休憩時間はにぎやかです。",
        ["rest_area", "toilet", "parking"],
        "長靴と帽子を持ってきてください。畑では必ず水分をとります。わからないことは作業の前に聞いてください。",
        "はじめての方にも、一つずつ見せながら教えます。天気のよい日の畑は気持ちがいいですよ。",
    ),
    "agricultural_corporation": (
        "20代から70代まで12人が働いています。選別場は機械の音がしますが、声をかけ合って作業しています。",
        ["rest_area", "toilet", "changing_room", "lockers", "parking"],
        "作業場では帽子と手袋をつけます。休憩は10時と15時に全員でとります。",
        "季節ごとに仕事が変わります。自分に合う作業を一緒に見つけましょう。",
    ),
    "welfare_service": (
        "利用者さんと職員がいっしょに作業しています。ゆっくりしたペースで、困ったらすぐ聞ける雰囲気です。",
        ["rest_area", "toilet", "lockers", "canteen"],
        "作業の前後にあいさつをします。体調がよくないときは、無理をせず職員に伝えてください。",
        "見学だけでも大歓迎です。まずは雰囲気を見に来てください。",
    ),
}
DEFAULT = (
    "社長と従業員10人ほどの職場です。作業中は黙々と、お昼はみんなで話しながら休んでいます。",
    ["rest_area", "toilet", "lockers", "parking"],
    "始業5分前には作業場に来てください。スマートフォンは休憩時間に使います。わからないときは担当者に聞いてください。",
    "はじめての方にも、見本を見せながら教えます。自分のペースで覚えてもらえれば大丈夫です。",
)


def seed(stdout) -> None:
    created = 0
    for employer in Employer.objects.filter(intro__isnull=True).order_by("pk"):
        atmosphere, facilities, house_rules, message = BY_KIND.get(employer.kind, DEFAULT)
        intro = EmployerIntro(
            employer=employer, atmosphere=atmosphere, facilities=facilities, house_rules=house_rules, message=message
        )
        intro.full_clean()
        intro.save()
        created += 1
    stdout.write(f"Sheets: {created} employer introductions (①) created.")
