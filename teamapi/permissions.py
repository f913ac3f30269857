from rest_framework.permissions import AllowAny, BasePermission

from .models import FeedToken


class HasTeamToken(BasePermission):
    def has_permission(self, request, view):
        return isinstance(request.auth, FeedToken)


# Anyone may call the view; a token sent is still checked (a wrong one is a 401) and may show
# more. drf-spectacular documents AllowAny as the anonymous option of `security`.
PUBLIC = [AllowAny]
