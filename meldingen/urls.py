from django.urls import path

from . import views

app_name = "meldingen"

urlpatterns = [
    path("nieuw/", views.start, name="nieuw"),
    path("nieuw/<int:categorie>/", views.create, name="nieuw-categorie"),
    path("nieuw/<int:categorie>/ik-ook/", views.ik_ook_lijst, name="ik-ook-lijst"),
    path("<int:pk>/ik-ook/", views.ik_ook, name="ik-ook"),
    path("mijn/", views.mijn, name="mijn"),
    path("mijn/<int:pk>/", views.mijn_detail, name="mijn-detail"),
    path("mijn/<int:pk>/oordeel/", views.oordeel, name="oordeel"),
    path("feed/", views.feed, name="feed"),
    path("feed/punten.json", views.feed_punten, name="feed-punten"),
    path("feed/vormen.json", views.feed_vormen, name="feed-vormen"),
    path("<int:pk>/", views.detail, name="detail"),
    path("<int:pk>/actie/", views.actie, name="actie"),
    path("<int:pk>/nazorg/", views.nazorg, name="nazorg"),
    path("melder/<int:pk>/inzage/", views.inzage, name="inzage"),
    path("inzage/<int:pk>/", views.inzage_detail, name="inzage-detail"),
    path("foto/<int:pk>/", views.foto, name="foto"),
]
