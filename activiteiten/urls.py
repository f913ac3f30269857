from django.urls import path

from . import views

app_name = "activiteiten"

urlpatterns = [
    path("", views.activiteit_list, name="lijst"),
    path("nieuw/", views.activiteit_create, name="nieuw"),
    path("uitnodiging/<str:token>/", views.uitnodiging, name="uitnodiging"),
    path("buurt/<str:code>.ics", views.buurt_ics, name="buurt-ics"),
    path("<int:pk>/", views.activiteit_detail, name="detail"),
    path("<int:pk>.ics", views.activiteit_ics, name="ics"),
    path("<int:pk>/aanmelden/", views.aanmelden, name="aanmelden"),
    path("<int:pk>/afmelden/", views.afmelden, name="afmelden"),
    path("<int:pk>/aanwezigheid/", views.aanwezigheid, name="aanwezigheid"),
    path("<int:pk>/flyer/", views.flyer, name="flyer"),
    path("<int:pk>/foto/", views.verslag_foto, name="foto"),
    path("<int:pk>/bericht/", views.bericht, name="bericht"),
]
