from django import template

from buurten import namen

register = template.Library()


@register.filter
def before_full_stop(naam) -> str:
    """A name that ends a sentence: ``{% blocktranslate with buurt=buurt.naam|before_full_stop
    %}... lid van {{ buurt }}.{% endblocktranslate %}`` (``buurten.namen``)."""
    return namen.before_full_stop(naam)
