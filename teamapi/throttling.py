"""Rate limits of the JSON API: per team token, or per client address without one."""

from django.utils import timezone
from rest_framework.throttling import BaseThrottle

from accounts import ratelimit
from wijkaanpak.proxies import rate_limit_key

from .models import FeedToken

REQUESTS_PER_TOKEN = "600/m"  # noqa: S105 (a rate, not a secret); bench/urls.py lifts it
REQUESTS_PER_IP = "120/m"  # without a token: public activities only


class PerTokenThrottle(BaseThrottle):
    """The shared fixed-window limiter: per team token, or per IP address without one."""

    period = 60

    def allow_request(self, request, view):
        if isinstance(request.auth, FeedToken):
            # Counted while authenticating, in the same round trip as the token.
            self.period = ratelimit.parse(REQUESTS_PER_TOKEN)[1]
            return not request.over_limit
        key, rate = f"api:ip:{rate_limit_key(request)}", REQUESTS_PER_IP
        self.period = ratelimit.parse(rate)[1]
        return not ratelimit.exceeded(key, rate)

    def wait(self):
        return self.period - timezone.now().timestamp() % self.period
