"""Role checks for views. Scope (which buurten) is decided in ``buurten.selectors``."""

from functools import wraps

from django.core.exceptions import PermissionDenied

from .models import Role


def role_required(*roles: str):
    """Allow the given roles (administrators always); anyone else gets 403."""

    def decorator(view):
        @wraps(view)
        def wrapper(request, *args, **kwargs):
            role = getattr(request.user, "role", None)  # anonymous users have none
            if role not in roles and not (request.user.is_superuser or role == Role.BEHEERDER):
                raise PermissionDenied
            return view(request, *args, **kwargs)

        return wrapper

    return decorator
