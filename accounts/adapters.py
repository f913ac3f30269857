from allauth.account.adapter import DefaultAccountAdapter

from .models import Role


class AccountAdapter(DefaultAccountAdapter):
    """Everyone who signs up is a resident; other roles are given by an administrator."""

    def save_user(self, request, user, form, commit=True):
        user.role = Role.BEWONER
        user.weergavenaam = form.cleaned_data.get("weergavenaam", "")
        return super().save_user(request, user, form, commit=commit)
