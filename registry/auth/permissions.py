"""Who may do what: a role decorator on every view that reads private data or changes anything.

Deny by default: a view guarded with role_required lets in only the roles it names.
"""

from functools import wraps

from flask import abort
from flask_login import current_user

from registry.auth.models import UserRole
from registry.extensions import login_manager


def role_required(*roles: UserRole):
    def decorator(view):
        @wraps(view)
        def guarded(*args, **kwargs):
            if not current_user.is_authenticated:
                return login_manager.unauthorized()
            if current_user.role not in roles:
                abort(403)
            return view(*args, **kwargs)

        return guarded

    return decorator


SECRETARIAT = (UserRole.admin, UserRole.secretariat)


def is_secretariat() -> bool:
    """Whether the current user may change the registry (and see private fields)."""
    return current_user.is_authenticated and current_user.role in SECRETARIAT
