"""Signals for writes that Django's model signals do not see (``bulk_update``): whoever keeps
something derived from sign-ups (the indicators' month aggregates) listens here, so that this
app need not know them."""

from django.dispatch import Signal

# Sent after ``Aanmelding`` rows were changed in bulk, with ``user_ids``: whose sign-ups.
aanmeldingen_bijgewerkt = Signal()
