from allauth.account.forms import SignupForm as AllauthSignupForm
from django.contrib.auth.hashers import make_password
from django.core.validators import RegexValidator
from django.utils.translation import gettext_lazy as _

from wijkaanpak.singleline import SingleLineField


class SignupForm(AllauthSignupForm):
    weergavenaam = SingleLineField(
        label=_("Weergavenaam"),
        max_length=60,
        required=False,
        help_text=_("Hoe buren je zien, bijvoorbeeld je voornaam. Je e-mailadres ziet niemand."),
        validators=[
            RegexValidator(
                r"@", inverse_match=True, message=_("Gebruik je naam, geen e-mailadres.")
            )
        ],
    )
    field_order = ["email", "weergavenaam", "password1", "password2"]

    def try_save(self, request):
        """For an address that has an account allauth only mails its owner, which answers
        in a tenth of the time a new account takes (the password hash is most of that): the
        answer time would tell who has an account. Hash the password here too, unused."""
        if self.account_already_exists:
            make_password(self.cleaned_data.get("password1"))
        return super().try_save(request)
