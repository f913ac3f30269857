from django.contrib import admin, messages
from django.utils.translation import gettext_lazy as _
from django.utils.translation import ngettext

from .models import FeedToken
from .services import feed_token_issue, feed_tokens_revoke


@admin.register(FeedToken)
class FeedTokenAdmin(admin.ModelAdmin):
    """Issue a token for a team's system; the key is shown once, after saving."""

    list_display = ["naam", "team", "prefix", "created_at", "last_used_at", "revoked_at"]
    list_filter = ["team", "revoked_at"]
    fields = ["team", "naam"]
    actions = ["revoke"]

    def save_model(self, request, obj, form, change):
        if change:
            return super().save_model(request, obj, form, change)
        token, key = feed_token_issue(
            team=form.cleaned_data["team"], naam=form.cleaned_data["naam"], by=request.user
        )
        obj.pk, obj.prefix = token.pk, token.prefix
        messages.warning(
            request,
            _("Sleutel voor %(naam)s (alleen nu zichtbaar, bewaar hem veilig): %(key)s")
            % {"naam": token.naam, "key": key},
        )
        return None

    def has_change_permission(self, request, obj=None):
        return obj is None

    @admin.action(description=_("Intrekken"))
    def revoke(self, request, queryset):
        count = feed_tokens_revoke(tokens=queryset)
        messages.info(
            request,
            ngettext("%(n)s token ingetrokken.", "%(n)s tokens ingetrokken.", count) % {"n": count},
        )
