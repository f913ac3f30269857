from django.urls import path, re_path

from . import views_bereid, views_buurt, views_dashboard, views_enquete, views_open_data

app_name = "indicatoren"

urlpatterns = [
    path("peiling/", views_enquete.enquete, name="enquete"),
    path("peiling/starter/", views_bereid.starter_aanmelden, name="starter-aanmelden"),
    path("peiling/starter/intrekken/", views_bereid.starter_intrekken, name="starter-intrekken"),
    path("mijn-buurt/", views_buurt.mijn_buurt, name="mijn-buurt"),
    path("peilingen/", views_enquete.peilingen, name="peilingen"),
    path("peilingen/<int:pk>/sluiten/", views_enquete.peiling_sluiten, name="peiling-sluiten"),
    path("dashboard/", views_dashboard.dashboard, name="dashboard"),
    path("dashboard/buurt/<str:code>/", views_dashboard.buurt_trend, name="buurt"),
    path("dashboard/bereid-naar-actief/", views_bereid.bereid_naar_actief, name="bereid"),
    path(
        "dashboard/starters/uitnodigen/",
        views_bereid.starters_uitnodigen,
        name="starters-uitnodigen",
    ),
    path("herberekenen/", views_dashboard.herberekenen, name="herberekenen"),
    path("berekening/<int:pk>/", views_dashboard.berekening, name="berekening"),
    path(
        "berekening/<int:pk>/status/", views_dashboard.berekening_status, name="berekening-status"
    ),
    path("open-data/", views_open_data.index, name="open-data"),
    re_path(
        r"^open-data/(?P<gemeente_code>[^/]+)/(?P<periode>[^/]+)\.(?P<formaat>csv|json)$",
        views_open_data.export,
        name="export",
    ),
]
