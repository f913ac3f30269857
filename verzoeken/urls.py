from django.urls import path

from . import views

app_name = "verzoeken"

# Mounted at /activiteiten/verzoeken/, where the pages have always been: links in e-mails
# already sent keep working.
urlpatterns = [
    path("", views.mijn, name="lijst"),
    path("nieuw/", views.nieuw, name="nieuw"),
    path("wachtrij/", views.wachtrij, name="wachtrij"),
    path("regels/", views.regels, name="regels"),
    path("bedrag/", views.bedrag_lezen, name="bedrag"),
    path("<int:pk>/", views.detail, name="detail"),
    path("<int:pk>/actie/", views.actie, name="actie"),
]
