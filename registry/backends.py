"""The authentication backend: Django's ModelBackend, with the user read on every request also
saying whether they have a confirmed two-factor device."""

from typing import TYPE_CHECKING

from django.contrib.auth.backends import ModelBackend

if TYPE_CHECKING:
    from registry.models import User


class AccountBackend(ModelBackend):
    def get_user(self, user_id: int) -> "User | None":
        """TwoFactorMiddleware asks on every request whether the user has a device; answering in
        the user's own query saves each page a query of its own."""
        from registry.models import User
        from registry.twofactor import HAS_DEVICE_ATTRIBUTE, has_confirmed_device

        users = User._default_manager.annotate(**{HAS_DEVICE_ATTRIBUTE: has_confirmed_device()})
        user = users.filter(pk=user_id).first()
        return user if user is not None and self.user_can_authenticate(user) else None
