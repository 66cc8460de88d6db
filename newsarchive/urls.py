"""Top-level URLs: the admin and the archive."""

from django.contrib import admin
from django.urls import include, path

urlpatterns = [
    path("admin/", admin.site.urls),
    path("", include("articles.urls")),
]

handler500 = "articles.views.errors.server_error"
