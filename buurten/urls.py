from django.urls import path

from . import adres_views, views

app_name = "buurten"

urlpatterns = [
    path("", views.buurt_search, name="zoeken"),
    path("lijst/", views.buurt_list, name="lijst"),
    path("adres/zoek/", adres_views.zoek, name="adres-zoek"),
    path("adres/punt/", adres_views.punt, name="adres-punt"),
    path("lid-worden/", views.join_with_code, name="code"),
    path("aanvragen/", views.aanvragen_queue, name="aanvragen"),
    path("aanvragen/<int:pk>/besluit/", views.aanvraag_decide, name="besluit"),
    path("lidmaatschap/<int:pk>/beeindigen/", views.membership_end, name="beeindigen"),
    path("lidmaatschap/<int:pk>/intrekken/", views.aanvraag_withdraw, name="aanvraag-intrekken"),
    path("lidmaatschap/<int:pk>/instaan/", views.vouch, name="instaan"),
    path(
        "lidmaatschap/<int:pk>/terugdraaien/", views.undo_vouched, name="borgstelling-terugdraaien"
    ),
    path("codes/<int:pk>/intrekken/", views.invite_code_revoke, name="code-intrekken"),
    path("codes/<int:pk>/flyer/", views.invite_code_flyer, name="flyer"),
    path("<str:code>/", views.buurt_detail, name="detail"),
    path("<str:code>/aanmelden/", views.aanvraag_create, name="aanvraag-indienen"),
    path("<str:code>/codes/", views.invite_codes, name="codes"),
]
