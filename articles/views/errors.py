"""Error pages that never need the database."""

import sys

from django.http import HttpResponseServerError
from django.template.loader import render_to_string

from articles.middleware import DATABASE_DOWN, unavailable_response


def server_error(request):
    """A 503 when the cause is an unreachable database, else a plain 500 page."""
    exception = sys.exc_info()[1]
    if isinstance(exception, DATABASE_DOWN) or isinstance(
        getattr(exception, "__cause__", None), DATABASE_DOWN
    ):
        return unavailable_response()
    return HttpResponseServerError(render_to_string("500.html"))
