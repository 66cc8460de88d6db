"""Sign-in accounting for the login throttle (see articles.middleware.RateLimitMiddleware)."""

from django.contrib.auth.signals import user_logged_in, user_login_failed
from django.dispatch import receiver

from .middleware import clear_login_failures, client_address, record_login_failure


@receiver(user_login_failed)
def count_failed_login(sender, credentials, request=None, **kwargs):
    if request is not None:
        record_login_failure(client_address(request))


@receiver(user_logged_in)
def forget_failed_logins(sender, request, user, **kwargs):
    if request is not None:
        clear_login_failures(client_address(request))
