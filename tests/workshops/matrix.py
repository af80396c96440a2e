"""Permission-matrix cases for every workshops URL (merged by tests/test_permission_matrix.py).

series_a belongs to agency A (region X) with agency B participating; its logic model is
published, so every agency of region X may read it. series_a_draft has a draft logic model."""

from django.urls import reverse

from registry.models import Role
from tests.matrix_support import LOGIN, Case
from tests.workshops.factories import CardFactory, ItemFactory, SeriesFactory, SessionFactory
from workshops.models import CardHeading, LogicModelLink, Mechanism, Status
from workshops.survey import survey_token

ZERO = "00000000-0000-0000-0000-000000000000"

# Series data: organiser A's coordinators manage, A's counselor reads, B's counselor (only
# a counselor of a participating agency) and C see nothing.
READ = {"anonymous": LOGIN, "counselor_b": 404, "counselor_c": 404, "*": 200}
MANAGE_GET = {"anonymous": LOGIN, "counselor_a": 403, "counselor_b": 404, "counselor_c": 404, "*": 200}
MANAGE_POST = {"anonymous": LOGIN, "counselor_a": 403, "counselor_b": 404, "counselor_c": 404, "*": 302}
# The published logic model is visible to the whole region: B gets 403 on writes, C 404.
MODEL_READ = {"anonymous": LOGIN, "counselor_c": 404, "*": 200}
MODEL_GET = {"anonymous": LOGIN, "counselor_a": 403, "counselor_b": 403, "counselor_c": 404, "*": 200}
MODEL_POST = {"anonymous": LOGIN, "counselor_a": 403, "counselor_b": 403, "counselor_c": 404, "*": 302}
# Region X progress: every member of the region reads, coordinators edit.
REGION_READ = {"anonymous": LOGIN, "counselor_c": 404, "*": 200}
REGION_GET = MODEL_GET
REGION_POST = MODEL_POST
POST_ONLY = {"*": 405}


def extend_world(world) -> None:
    world.series_a = SeriesFactory(organiser=world.agency_a, participants=[world.agency_b])
    world.session_a = SessionFactory(series=world.series_a, number=1)
    world.card_a = CardFactory(session=world.session_a, theme="needs", text="長くひきこもっている人")
    world.card_a2 = CardFactory(session=world.session_a, theme="needs", text="ひきこもりが長い人")
    world.heading_a = CardHeading.objects.create(session=world.session_a, theme="needs", title="ブランク")
    logic_model = world.series_a.logic_model
    logic_model.status = Status.PUBLISHED
    logic_model.save()
    world.item_need = ItemFactory(logic_model=logic_model, column="needs", text="ミスマッチで早期離職する人")
    world.item_init = ItemFactory(logic_model=logic_model, column="initiatives", text="業務の切り出し")
    world.item_short = ItemFactory(logic_model=logic_model, column="short", category="work", text="自分に合う仕事")
    world.link_a = LogicModelLink.objects.create(source=world.item_need, target=world.item_init)
    world.series_a_draft = SeriesFactory(organiser=world.agency_a)
    world.mechanism_x = Mechanism.objects.create(region=world.region_x, kind="shigoto_info", agency=world.agency_a)
    world.survey_token = survey_token(world.session_a)
    # The region's editors are coordinators: make sure the personas' roles are what the matrix says.
    assert world.coordinator_a.memberships.get().role == Role.COORDINATOR


def url(name: str, attr: str, field: str = "uuid"):
    return lambda w: reverse(f"workshops:{name}", args=[getattr(getattr(w, attr), field)])


def region_x(name: str, *extra):
    return lambda w: reverse(f"workshops:{name}", args=[w.region_x.uuid, *extra])


MATRIX: dict[str, list[Case]] = {
    "workshops:series_list": [Case("GET", lambda w: reverse("workshops:series_list"), {"anonymous": LOGIN, "*": 200})],
    "workshops:series_create": [
        Case(
            "GET",
            lambda w: reverse("workshops:series_create"),
            {"anonymous": LOGIN, "agency_admin_a": 200, "coordinator_a": 200, "*": 403},
        ),
        Case(
            "POST",
            lambda w: reverse("workshops:series_create"),
            {"anonymous": LOGIN, "agency_admin_a": 302, "coordinator_a": 302, "*": 403},
            data=lambda w: {"title": "第2期ワークショップ", "participants": [w.agency_b.pk]},
        ),
    ],
    "workshops:series_detail": [
        Case("GET", url("series_detail", "series_a"), READ),
        Case("GET", lambda w: reverse("workshops:series_detail", args=[ZERO]), {"anonymous": LOGIN, "*": 404}),
    ],
    "workshops:series_edit": [Case("GET", url("series_edit", "series_a"), MANAGE_GET)],
    "workshops:session_create": [
        Case("GET", url("session_create", "series_a"), MANAGE_GET),
        Case(
            "POST",
            url("session_create", "series_a"),
            MANAGE_POST,
            data=lambda w: {"number": 2, "themes": ["priorities"], "duration_minutes": 150, "is_open": "on"},
        ),
    ],
    "workshops:session_detail": [
        Case("GET", url("session_detail", "session_a"), READ),
        Case("GET", lambda w: reverse("workshops:session_detail", args=[ZERO]), {"anonymous": LOGIN, "*": 404}),
    ],
    "workshops:session_edit": [Case("GET", url("session_edit", "session_a"), MANAGE_GET)],
    "workshops:card_create": [
        Case(
            "POST",
            url("card_create", "session_a"),
            MANAGE_POST,
            data=lambda w: {"text": "通勤手段がない人", "theme": "needs", "table": "B"},
        ),
        Case("GET", url("card_create", "session_a"), POST_ONLY),
    ],
    "workshops:card_merge": [
        Case(
            "POST",
            url("card_merge", "session_a"),
            MANAGE_POST,
            data=lambda w: {"cards": [str(w.card_a.uuid), str(w.card_a2.uuid)], "text": ""},
        ),
        Case("GET", url("card_merge", "session_a"), POST_ONLY),
    ],
    "workshops:heading_create": [
        Case(
            "POST", url("heading_create", "session_a"), MANAGE_POST, data=lambda w: {"theme": "needs", "title": "制約"}
        ),
        Case("GET", url("heading_create", "session_a"), POST_ONLY),
    ],
    "workshops:survey_results": [Case("GET", url("survey_results", "session_a"), READ)],
    "workshops:card_vote": [
        Case("POST", url("card_vote", "card_a"), MANAGE_POST, data=lambda w: {"delta": "1"}),
        Case("GET", url("card_vote", "card_a"), POST_ONLY),
    ],
    "workshops:card_group": [
        Case("POST", url("card_group", "card_a"), MANAGE_POST, data=lambda w: {"heading": str(w.heading_a.uuid)}),
        Case("GET", url("card_group", "card_a"), POST_ONLY),
    ],
    # No account needed: the signed token is the key; a forged or expired one is 404.
    "workshops:survey_answer": [
        Case("GET", lambda w: reverse("workshops:survey_answer", args=[w.survey_token]), {"*": 200}),
        Case(
            "POST",
            lambda w: reverse("workshops:survey_answer", args=[w.survey_token]),
            {"*": 200},
            data=lambda w: {"submission_id": "6b7c2f0e-1d2a-4b8e-9f00-000000000001", "insights": "顔が分かった"},
        ),
        Case("GET", lambda w: reverse("workshops:survey_answer", args=["forged:token"]), {"*": 404}),
    ],
    "workshops:logic_model_detail": [
        Case("GET", url("logic_model_detail", "series_a"), MODEL_READ),
        Case("GET", url("logic_model_detail", "series_a_draft"), READ),
    ],
    "workshops:logic_model_edit": [
        Case("GET", url("logic_model_edit", "series_a"), MODEL_GET),
        Case("GET", url("logic_model_edit", "series_a_draft"), MANAGE_GET),
    ],
    "workshops:logic_model_pdf": [
        Case("GET", url("logic_model_pdf", "series_a"), MODEL_READ),
        Case("GET", url("logic_model_pdf", "series_a_draft"), READ),
    ],
    "workshops:logic_model_publish": [
        Case("POST", url("logic_model_publish", "series_a"), MODEL_POST, data=lambda w: {"publish": "0"}),
        Case("GET", url("logic_model_publish", "series_a"), POST_ONLY),
    ],
    "workshops:item_create": [
        Case(
            "POST",
            url("item_create", "series_a"),
            MODEL_POST,
            data=lambda w: {"column": "long", "category": "retention", "text": "働き続けられる"},
        ),
        Case("GET", url("item_create", "series_a"), POST_ONLY),
    ],
    "workshops:link_create": [
        Case(
            "POST",
            url("link_create", "series_a"),
            MODEL_POST,
            data=lambda w: {"source": str(w.item_init.uuid), "target": str(w.item_short.uuid)},
        ),
        Case("GET", url("link_create", "series_a"), POST_ONLY),
    ],
    "workshops:item_edit": [Case("GET", url("item_edit", "item_need"), MODEL_GET)],
    "workshops:item_delete": [
        Case("POST", url("item_delete", "item_need"), MODEL_POST),
        Case("GET", url("item_delete", "item_need"), POST_ONLY),
    ],
    "workshops:link_delete": [
        Case("POST", url("link_delete", "link_a"), MODEL_POST),
        Case("GET", url("link_delete", "link_a"), POST_ONLY),
    ],
    "workshops:region_progress": [
        Case("GET", region_x("region_progress"), REGION_READ),
        Case("GET", lambda w: reverse("workshops:region_progress", args=[ZERO]), {"anonymous": LOGIN, "*": 404}),
    ],
    "workshops:step_edit": [
        Case("GET", region_x("step_edit", "team"), REGION_GET),
        Case(
            "POST",
            region_x("step_edit", "team"),
            REGION_POST,
            data=lambda w: {"status": "in_progress", "started_on": "2026-04-01", "notes": ""},
        ),
        Case(
            "GET",
            region_x("step_edit", "unknown"),
            {"anonymous": LOGIN, "counselor_a": 403, "counselor_b": 403, "*": 404},
        ),
    ],
    "workshops:mechanism_create": [Case("GET", region_x("mechanism_create"), REGION_GET)],
    "workshops:mechanism_edit": [Case("GET", url("mechanism_edit", "mechanism_x"), REGION_GET)],
    "workshops:mechanism_delete": [
        Case("POST", url("mechanism_delete", "mechanism_x"), REGION_POST),
        Case("GET", url("mechanism_delete", "mechanism_x"), POST_ONLY),
    ],
}

MATRIX["workshops:card_edit"] = [
    Case("GET", url("card_edit", "card_a"), MANAGE_GET),
    Case(
        "POST",
        url("card_edit", "card_a"),
        MANAGE_POST,
        data=lambda w: {"text": "長くひきこもっている人（10年以上）", "theme": "needs", "table": "A"},
    ),
]

# Deleting a card: those who manage the series (card_a has no author among the personas;
# the author's own right is in tests/workshops/test_card_delete.py).
MATRIX["workshops:card_delete"] = [
    Case("POST", url("card_delete", "card_a"), MANAGE_GET),  # the confirmation page
    Case("POST", url("card_delete", "card_a"), MANAGE_POST, data=lambda w: {"confirmed": "1"}),
    Case("GET", url("card_delete", "card_a"), POST_ONLY),
]
MATRIX["workshops:heading_edit"] = [
    Case("GET", url("heading_edit", "heading_a"), MANAGE_GET),
    Case("POST", url("heading_edit", "heading_a"), MANAGE_POST, data=lambda w: {"title": "働いた経験が少ない"}),
]
MATRIX["workshops:logic_model_title"] = [
    Case("GET", url("logic_model_title", "series_a"), MODEL_GET),
    Case("GET", url("logic_model_title", "series_a_draft"), MANAGE_GET),
    Case("POST", url("logic_model_title", "series_a"), MODEL_POST, data=lambda w: {"title": "伊丹市の目標ガイド"}),
]

# Region evaluation: aggregates only, so every member reads it for a region of their own
# prefecture (their own region by default); another prefecture's region is 404.
EVALUATION_OWN = {"anonymous": LOGIN, "*": 200}
EVALUATION_X = {"anonymous": LOGIN, "counselor_c": 404, "*": 200}


def evaluation_url(name: str, *args):
    return lambda w: reverse(f"workshops:{name}", args=list(args)) + f"?region={w.region_x.uuid}&year=2026"


MATRIX["workshops:evaluation"] = [
    Case("GET", lambda w: reverse("workshops:evaluation"), EVALUATION_OWN),
    Case("GET", evaluation_url("evaluation"), EVALUATION_X),
    Case("GET", lambda w: reverse("workshops:evaluation") + f"?region={ZERO}", {"anonymous": LOGIN, "*": 404}),
    Case("POST", lambda w: reverse("workshops:evaluation"), POST_ONLY),
]
MATRIX["workshops:evaluation_pdf"] = [
    Case("GET", evaluation_url("evaluation_pdf"), EVALUATION_X),
]
MATRIX["workshops:evaluation_export"] = [
    Case("GET", evaluation_url("evaluation_export", "csv"), EVALUATION_X),
    Case("GET", evaluation_url("evaluation_export", "xlsx"), EVALUATION_X),
]
