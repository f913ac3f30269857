from django.contrib import admin
from django.contrib.auth.admin import UserAdmin as DjangoUserAdmin
from django.utils.translation import gettext_lazy as _

from .models import Team, User


@admin.register(User)
class UserAdmin(DjangoUserAdmin):
    ordering = ["email"]
    list_display = ["email", "weergavenaam", "role", "team", "is_active", "last_login"]
    list_filter = ["role", "team", "is_active", "is_staff"]
    search_fields = ["email", "weergavenaam"]
    fieldsets = [
        (None, {"fields": ["email", "password"]}),
        (_("Profiel"), {"fields": ["weergavenaam"]}),
        (_("Rol en gebied"), {"fields": ["role", "team"]}),
        (_("Rechten"), {"fields": ["is_active", "is_staff", "is_superuser", "groups"]}),
        (_("Data"), {"fields": ["last_login", "date_joined"]}),
    ]
    add_fieldsets = [
        (
            None,
            {"classes": ["wide"], "fields": ["email", "password1", "password2", "role", "team"]},
        ),
    ]
    readonly_fields = ["last_login", "date_joined"]


@admin.register(Team)
class TeamAdmin(admin.ModelAdmin):
    list_display = ["naam", "organisatie", "gemeente"]
    list_filter = ["organisatie", "gemeente"]
    search_fields = ["naam"]
    filter_horizontal = ["wijken", "buurten"]
