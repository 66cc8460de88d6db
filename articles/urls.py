"""The archive's pages. Every page also answers ``?format=json``."""

from django.urls import path

from .views import articles, compare, entities, search, stories

app_name = "articles"

urlpatterns = [
    path("", articles.home, name="home"),
    path("articles/<int:pk>/", articles.article_redirect, name="article-short"),
    path("articles/<int:pk>/<slug:slug>/", articles.article_detail, name="article"),
    path("search/", search.search, name="search"),
    path("compare/", compare.compare, name="compare"),
    path("stories/", stories.story_list, name="stories"),
    path("stories/<int:pk>/", stories.story_detail, name="story"),
    path("people/<slug:slug>/quotes/", entities.person_quotes, name="person-quotes"),
]

# One list and one detail page per kind of entity: /people/, /people/<slug>/ …
for _kind, _prefix in entities.URL_PREFIXES.items():
    urlpatterns += [
        path(f"{_prefix}/", entities.entity_list, {"kind": _kind}, name=f"{_kind}-list"),
        path(f"{_prefix}/<slug:slug>/", entities.entity_detail, {"kind": _kind}, name=_kind),
    ]
