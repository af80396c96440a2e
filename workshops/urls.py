from django.urls import path

from workshops import views

app_name = "workshops"

urlpatterns = [
    path("workshops/", views.series_list, name="series_list"),
    path("workshops/new/", views.series_create, name="series_create"),
    path("workshops/<uuid:series_uuid>/", views.series_detail, name="series_detail"),
    path("workshops/<uuid:series_uuid>/edit/", views.series_edit, name="series_edit"),
    path("workshops/<uuid:series_uuid>/sessions/new/", views.session_create, name="session_create"),
    path("workshops/sessions/<uuid:session_uuid>/", views.session_detail, name="session_detail"),
    path("workshops/sessions/<uuid:session_uuid>/edit/", views.session_edit, name="session_edit"),
    path("workshops/sessions/<uuid:session_uuid>/cards/", views.card_create, name="card_create"),
    path("workshops/sessions/<uuid:session_uuid>/cards/merge/", views.card_merge, name="card_merge"),
    path("workshops/sessions/<uuid:session_uuid>/headings/", views.heading_create, name="heading_create"),
    path("workshops/sessions/<uuid:session_uuid>/survey/", views.survey_results, name="survey_results"),
    path("workshops/cards/<uuid:card_uuid>/vote/", views.card_vote, name="card_vote"),
    path("workshops/cards/<uuid:card_uuid>/group/", views.card_group, name="card_group"),
    path("workshops/cards/<uuid:card_uuid>/edit/", views.card_edit, name="card_edit"),
    path("workshops/cards/<uuid:card_uuid>/delete/", views.card_delete, name="card_delete"),
    path("workshops/headings/<uuid:heading_uuid>/edit/", views.heading_edit, name="heading_edit"),
    # Participants answer without an account: the signed token is the only key.
    path("survey/<str:token>/", views.survey_answer, name="survey_answer"),
    path("workshops/<uuid:series_uuid>/logic-model/", views.logic_model_detail, name="logic_model_detail"),
    path("workshops/<uuid:series_uuid>/logic-model/edit/", views.logic_model_edit, name="logic_model_edit"),
    path("workshops/<uuid:series_uuid>/logic-model/title/", views.logic_model_title, name="logic_model_title"),
    path("workshops/<uuid:series_uuid>/logic-model/pdf/", views.logic_model_pdf, name="logic_model_pdf"),
    path("workshops/<uuid:series_uuid>/logic-model/publish/", views.logic_model_publish, name="logic_model_publish"),
    path("workshops/<uuid:series_uuid>/logic-model/items/", views.item_create, name="item_create"),
    path("workshops/<uuid:series_uuid>/logic-model/links/", views.link_create, name="link_create"),
    path("workshops/logic-model/items/<uuid:item_uuid>/edit/", views.item_edit, name="item_edit"),
    path("workshops/logic-model/items/<uuid:item_uuid>/delete/", views.item_delete, name="item_delete"),
    path("workshops/logic-model/links/<uuid:link_uuid>/delete/", views.link_delete, name="link_delete"),
    path("workshops/regions/<uuid:region_uuid>/", views.region_progress, name="region_progress"),
    path("workshops/regions/<uuid:region_uuid>/steps/<slug:step>/", views.step_edit, name="step_edit"),
    path("workshops/regions/<uuid:region_uuid>/mechanisms/new/", views.mechanism_create, name="mechanism_create"),
    path("workshops/mechanisms/<uuid:mechanism_uuid>/edit/", views.mechanism_edit, name="mechanism_edit"),
    path("workshops/mechanisms/<uuid:mechanism_uuid>/delete/", views.mechanism_delete, name="mechanism_delete"),
]

from workshops.evaluation.urls import urlpatterns as evaluation_urlpatterns  # noqa: E402

urlpatterns += evaluation_urlpatterns
