from allauth.account.forms import SignupForm as AllauthSignupForm
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
