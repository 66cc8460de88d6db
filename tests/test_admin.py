"""The curation admin through HTTP: merge, undo, the review queue, roles and CSRF."""

from __future__ import annotations

import pytest
from django.contrib.admin.models import LogEntry
from django.contrib.auth import get_user_model
from django.contrib.auth.models import Group
from django.test import Client

from articles.models import (
    Article,
    EntityRedirect,
    MergeRecord,
    Person,
    PersonMention,
    RejectedSurface,
)

pytestmark = pytest.mark.django_db

PEOPLE = "/admin/articles/person/"
MENTIONS = "/admin/articles/personmention/"


def make_article(n: int, **fields) -> Article:
    return Article.objects.create(
        title=f"Article {n}",
        body=fields.pop("body", "Mikhail Mishustin visited the bridge. Mishustin spoke."),
        content_hash=f"hash-{n}",
        **fields,
    )


@pytest.fixture
def curator():
    user = get_user_model().objects.create_user("cora", password="pw", is_staff=True)
    user.groups.add(Group.objects.get(name="Curator"))
    return user


@pytest.fixture
def curator_client(curator) -> Client:
    client = Client()
    client.force_login(curator)
    return client


@pytest.fixture
def mishustins():
    keep = Person.objects.create(name="Mikhail Mishustin", aliases=["Mishustin"])
    dup = Person.objects.create(name="M. Mishustin")
    a1, a2 = make_article(1), make_article(2)
    PersonMention.objects.create(
        article=a1, entity=keep, surface="Mikhail Mishustin", start=0, end=17
    )
    PersonMention.objects.create(
        article=a1, entity=dup, surface="Mikhail Mishustin", start=0, end=17
    )
    PersonMention.objects.create(article=a1, entity=dup, surface="Mishustin", start=38, end=47)
    PersonMention.objects.create(article=a2, entity=dup, surface="Mishustin", start=38, end=47)
    a2.authors.add(dup)
    return keep, dup, a1, a2


def action_post(client, url, action, ids, **extra):
    data = {"action": action, "_selected_action": [str(i) for i in ids], "index": "0", **extra}
    return client.post(url, data)


def test_curator_group_has_exactly_the_curation_permissions():
    codenames = set(
        Group.objects.get(name="Curator").permissions.values_list("codename", flat=True)
    )
    assert "change_person" in codenames and "view_personmention" in codenames
    assert {"add_mergerecord", "add_rejectedsurface"} <= codenames
    assert not {c for c in codenames if c.startswith("delete_")}
    assert not {c for c in codenames if c.endswith(("_user", "_group", "_permission"))}
    assert "add_person" not in codenames and "add_article" not in codenames
    assert {"change_story", "change_storymembership"} <= codenames
    assert len(codenames) == 36


def test_people_list_shows_article_counts_in_constant_queries(
    curator_client, mishustins, django_assert_max_num_queries
):
    for n in range(30):
        Person.objects.create(name=f"Person {n}")
    with django_assert_max_num_queries(12):
        response = curator_client.get(PEOPLE)
    assert response.status_code == 200
    rows = {p.name: (p.article_count, p.authored_count) for p in response.context["cl"].result_list}
    assert rows["Mikhail Mishustin"] == (1, 0)
    assert rows["M. Mishustin"] == (2, 1)
    assert rows["Person 7"] == (0, 0)
    assert 'href="/people/m-mishustin/"' in response.content.decode()


def test_people_search_by_alias_and_spelling_variant(curator_client, mishustins):
    keep, dup, *_ = mishustins
    for query, expected in [
        ("Mishustin", {keep, dup}),
        ("mishustin", {keep, dup}),
        ("M.Mishustin", {dup}),
    ]:
        response = curator_client.get(PEOPLE, {"q": query})
        assert set(response.context["cl"].result_list) == expected, query
    keep.aliases = ["Mikhail Vladimirovich Mishustin"]
    keep.save()
    response = curator_client.get(PEOPLE, {"q": "Vladimirovich"})
    assert list(response.context["cl"].result_list) == [keep]


def test_filter_people_without_articles(curator_client, mishustins):
    lonely = Person.objects.create(name="Nobody")
    response = curator_client.get(PEOPLE, {"has_articles": "no"})
    assert list(response.context["cl"].result_list) == [lonely]
    response = curator_client.get(PEOPLE, {"has_articles": "yes"})
    assert len(response.context["cl"].result_list) == 2


def test_aliases_are_edited_one_per_line(curator_client, mishustins):
    keep = mishustins[0]
    url = f"/admin/articles/person/{keep.pk}/change/"
    response = curator_client.get(url)
    assert "Mishustin</textarea>" in response.content.decode()
    response = curator_client.post(
        url,
        {
            "name": keep.name,
            "slug": keep.slug,
            "aliases": "Mishustin\r\n\r\n  M.  Mishustin \r\nMishustin",
            "description": "",
            "role": "Prime Minister",
            "curated": "on",
        },
    )
    assert response.status_code == 302
    keep.refresh_from_db()
    assert keep.aliases == ["Mishustin", "M. Mishustin"]
    assert keep.alias_keys == "|mishustin|mmishustin|"
    assert LogEntry.objects.get(object_id=str(keep.pk)).get_change_message() == (
        "Changed Aliases, Curated and Role."
    )


def test_merge_through_the_admin_then_undo(curator_client, curator, mishustins):
    keep, dup, a1, a2 = mishustins
    response = action_post(curator_client, PEOPLE, "merge_selected", [keep.pk, dup.pk])
    assert response.status_code == 200
    page = response.content.decode()
    # The one in more articles is proposed; the curator keeps the other.
    assert f'name="keep" value="{dup.pk}" id="keep-{dup.pk}" checked' in page
    assert f'name="keep" value="{keep.pk}" id="keep-{keep.pk}">' in page

    response = action_post(
        curator_client, PEOPLE, "merge_selected", [keep.pk, dup.pk], post="yes", keep=str(keep.pk)
    )
    assert response.status_code == 302
    assert list(Person.objects.all()) == [keep]
    assert PersonMention.objects.filter(entity=keep).count() == 3
    assert list(a2.authors.all()) == [keep]
    record = MergeRecord.objects.get()
    assert (record.merged_name, record.kept_name, record.merged_by) == (
        "M. Mishustin",
        "Mikhail Mishustin",
        curator,
    )
    assert EntityRedirect.objects.get().old_slug == "m-mishustin"

    record_page = curator_client.get(f"/admin/articles/mergerecord/{record.pk}/change/")
    undo_url = f"/admin/articles/mergerecord/{record.pk}/undo/"
    assert undo_url in record_page.content.decode()
    assert "Undo the merge of “M. Mishustin”" in curator_client.get(undo_url).content.decode()
    response = curator_client.post(undo_url)
    assert response.status_code == 302
    assert sorted(Person.objects.values_list("pk", "slug")) == [
        (keep.pk, "mikhail-mishustin"),
        (dup.pk, "m-mishustin"),
    ]
    assert PersonMention.objects.filter(entity=dup).count() == 3
    assert not EntityRedirect.objects.exists()
    assert curator_client.get(undo_url).content.decode().count("already undone") == 1


def test_merge_needs_two_and_a_choice(curator_client, mishustins):
    keep, dup, *_ = mishustins
    response = action_post(curator_client, PEOPLE, "merge_selected", [keep.pk], post="yes")
    assert response.status_code == 302
    assert "at least two" in str(list(response.wsgi_request._messages))
    response = action_post(curator_client, PEOPLE, "merge_selected", [keep.pk, dup.pk], post="yes")
    assert response.status_code == 200  # back to the choice
    assert Person.objects.count() == 2


def test_confirm_and_reject_in_bulk_from_the_queue(curator_client, curator, mishustins):
    keep, dup, a1, a2 = mishustins
    queue = curator_client.get(MENTIONS, {"status__exact": "suggested"})
    assert queue.status_code == 200
    assert len(queue.context["cl"].result_list) == 4
    assert "<mark>Mishustin</mark>" in queue.content.decode()

    first_two = PersonMention.objects.filter(article=a1, start=0)
    response = action_post(
        curator_client, MENTIONS, "confirm_selected", first_two.values_list("pk", flat=True)
    )
    assert response.status_code == 302
    rest = PersonMention.objects.filter(status="suggested")
    response = action_post(
        curator_client, MENTIONS, "reject_selected", rest.values_list("pk", flat=True)
    )
    assert response.status_code == 302
    assert sorted(PersonMention.objects.values_list("status", flat=True)) == [
        "confirmed",
        "confirmed",
        "rejected",
        "rejected",
    ]
    assert (
        LogEntry.objects.filter(user=curator, change_message="Rejected the mention.").count() == 2
    )


def test_reject_everywhere_and_link_from_the_queue(curator_client, mishustins):
    keep, dup, a1, a2 = mishustins
    heading = PersonMention.objects.create(article=a2, entity=dup, surface="ADVERTISEMENT", start=0)
    response = action_post(curator_client, MENTIONS, "reject_everywhere_selected", [heading.pk])
    assert response.status_code == 302
    assert RejectedSurface.objects.get().key == "advertisement"
    heading.refresh_from_db()
    assert heading.status == "rejected"

    mention = PersonMention.objects.get(article=a2, surface="Mishustin")
    response = action_post(curator_client, MENTIONS, "link_selected", [mention.pk])
    assert response.status_code == 200
    assert "admin-autocomplete" in response.content.decode()
    response = action_post(
        curator_client, MENTIONS, "link_selected", [mention.pk], post="yes", entity=str(keep.pk)
    )
    assert response.status_code == 302
    mention.refresh_from_db()
    assert (mention.entity, mention.status, mention.method) == (keep, "confirmed", "manual")


def test_linking_to_an_entity_that_does_not_exist_says_so_and_changes_nothing(
    curator_client, mishustins
):
    keep, dup, a1, a2 = mishustins
    mention = PersonMention.objects.get(article=a2, surface="Mishustin")
    before = (mention.entity_id, mention.status, mention.method)
    history = LogEntry.objects.count()
    unknown = str(Person.objects.order_by("-pk").first().pk + 1)
    for chosen, message in [
        ("abc", "No person has the id “abc”; no mention was changed."),
        (unknown, f"No person has the id “{unknown}”; no mention was changed."),
        ("<b>7</b>", "No person has the id “&lt;b&gt;7&lt;/b&gt;”; no mention was changed."),
        ("", "No person chosen; no mention was changed."),
    ]:
        response = action_post(
            curator_client, MENTIONS, "link_selected", [mention.pk], post="yes", entity=chosen
        )
        page = response.content.decode()
        assert response.status_code == 200
        assert f'<li class="error">{message}</li>' in page
        assert "admin-autocomplete" in page  # the form again, to choose a real person
        mention.refresh_from_db()
        assert (mention.entity_id, mention.status, mention.method) == before
    assert LogEntry.objects.count() == history


def test_article_admin_edits_metadata_and_shows_inlines(curator_client, mishustins):
    keep, dup, a1, a2 = mishustins
    url = f"/admin/articles/article/{a1.pk}/change/"
    response = curator_client.get(url)
    assert response.status_code == 200
    page = response.content.decode()
    assert "Person mentions" in page and "Mikhail Mishustin" in page
    assert 'name="body"' not in page  # offsets point into the body: not editable here


def test_staff_outside_the_curator_group_cannot_curate(mishustins):
    keep, dup, *_ = mishustins
    staff = get_user_model().objects.create_user("stan", password="pw", is_staff=True)
    client = Client()
    client.force_login(staff)
    assert client.get(PEOPLE).status_code == 403
    assert client.get(MENTIONS).status_code == 403
    response = action_post(
        client, PEOPLE, "merge_selected", [keep.pk, dup.pk], post="yes", keep=str(keep.pk)
    )
    assert response.status_code == 403
    assert Person.objects.count() == 2
    response = action_post(
        client, MENTIONS, "confirm_selected", PersonMention.objects.values_list("pk", flat=True)
    )
    assert response.status_code == 403
    assert not PersonMention.objects.filter(status="confirmed").exists()


def test_curators_see_curation_actions_but_no_deleting_or_user_admin(curator_client, mishustins):
    actions = dict(curator_client.get(PEOPLE).context["action_form"].fields["action"].choices)
    assert "merge_selected" in actions and "delete_selected" not in actions
    actions = dict(curator_client.get(MENTIONS).context["action_form"].fields["action"].choices)
    assert {
        "confirm_selected",
        "reject_selected",
        "reject_everywhere_selected",
        "link_selected",
    } <= set(actions)
    article = mishustins[2]
    assert curator_client.get(f"/admin/articles/article/{article.pk}/delete/").status_code == 403
    assert curator_client.get("/admin/auth/user/").status_code == 403
    assert curator_client.get("/admin/auth/group/").status_code == 403


def test_admin_posts_need_a_csrf_token(curator, mishustins):
    keep, dup, *_ = mishustins
    client = Client(enforce_csrf_checks=True)
    client.force_login(curator)
    data = {
        "action": "merge_selected",
        "_selected_action": [keep.pk, dup.pk],
        "post": "yes",
        "keep": keep.pk,
    }
    assert client.post(PEOPLE, data).status_code == 403
    assert Person.objects.count() == 2

    client.get(PEOPLE)  # sets the CSRF cookie
    token = client.cookies["csrftoken"].value
    assert client.post(PEOPLE, {**data, "csrfmiddlewaretoken": token}).status_code == 302
    assert Person.objects.count() == 1


def test_rerun_extraction_keeps_curator_decisions(curator_client, curator, seeded):
    article = seeded["000"]
    mentions = PersonMention.objects.filter(article=article, status="suggested").order_by("start")
    confirmed, rejected = mentions[0], mentions[1]
    confirmed.status, rejected.status = "confirmed", "rejected"
    confirmed.save()
    rejected.save()

    response = action_post(
        curator_client, "/admin/articles/article/", "rerun_extraction", [article.pk]
    )

    assert response.status_code == 302
    messages = [str(m) for m in response.wsgi_request._messages]
    assert messages[0].startswith("Re-ran extraction on 1 articles")
    confirmed.refresh_from_db()
    rejected.refresh_from_db()
    assert (confirmed.status, rejected.status) == ("confirmed", "rejected")
    # The decided places are not suggested again (what else is suggested is extraction's call).
    suggested_after = PersonMention.objects.filter(article=article, status="suggested")
    slots = set(suggested_after.values_list("start", "end"))
    assert (confirmed.start, confirmed.end) not in slots
    assert (rejected.start, rejected.end) not in slots
    assert suggested_after.exists()
    assert LogEntry.objects.get(user=curator, object_id=str(article.pk)).change_message == (
        "Re-ran extraction."
    )


def test_renaming_a_slug_keeps_the_old_address(curator_client, mishustins):
    keep = mishustins[0]
    response = curator_client.post(
        f"/admin/articles/person/{keep.pk}/change/",
        {
            "name": keep.name,
            "slug": "mishustin",
            "aliases": "Mishustin",
            "description": "",
            "role": "",
        },
    )
    assert response.status_code == 302
    assert EntityRedirect.objects.get().old_slug == "mikhail-mishustin"
    response = curator_client.get("/people/mikhail-mishustin/")
    assert (response.status_code, response["Location"]) == (301, "/people/mishustin/")


def test_link_form_autocompletes_entities_by_alias(curator_client, mishustins):
    response = curator_client.get(
        "/admin/autocomplete/",
        {
            "app_label": "articles",
            "model_name": "personmention",
            "field_name": "entity",
            "term": "mishus",
        },
    )
    names = [r["text"] for r in response.json()["results"]]
    assert sorted(names) == ["M. Mishustin", "Mikhail Mishustin"]


def test_merging_three_keeps_one_with_a_record_per_merged(curator_client, mishustins):
    keep, dup, a1, a2 = mishustins
    third = Person.objects.create(name="Mishustin, M.")
    ids = [keep.pk, dup.pk, third.pk]
    response = action_post(
        curator_client, PEOPLE, "merge_selected", ids, post="yes", keep=str(keep.pk)
    )
    assert response.status_code == 302
    assert list(Person.objects.all()) == [keep]
    assert sorted(MergeRecord.objects.values_list("merged_name", flat=True)) == [
        "M. Mishustin",
        "Mishustin, M.",
    ]
    keep.refresh_from_db()
    assert keep.aliases == ["Mishustin", "M. Mishustin", "Mishustin, M."]


def test_adding_a_rejected_surface_rejects_its_suggestions(curator_client, curator, mishustins):
    response = curator_client.post(
        "/admin/articles/rejectedsurface/add/", {"kind": "person", "surface": "mishustin"}
    )
    assert response.status_code == 302
    rejection = RejectedSurface.objects.get()
    assert (rejection.key, rejection.created_by) == ("mishustin", curator)
    assert list(
        PersonMention.objects.filter(status="rejected").values_list("surface", flat=True)
    ) == [
        "Mishustin",
        "Mishustin",
    ]
    again = curator_client.post(
        "/admin/articles/rejectedsurface/add/", {"kind": "person", "surface": "MISHUSTIN"}
    )
    assert again.status_code == 200
    assert "already rejected" in again.content.decode()


def test_merging_needs_the_right_to_record_merges(mishustins):
    from django.contrib.auth.models import Permission

    editor = get_user_model().objects.create_user("ed", password="pw", is_staff=True)
    editor.user_permissions.set(
        Permission.objects.filter(codename__in=["view_person", "change_person"])
    )
    client = Client()
    client.force_login(editor)
    actions = dict(client.get(PEOPLE).context["action_form"].fields["action"].choices)
    assert "merge_selected" not in actions and "mark_curated" in actions
    keep, dup, *_ = mishustins
    action_post(client, PEOPLE, "merge_selected", [keep.pk, dup.pk], post="yes", keep=str(keep.pk))
    assert Person.objects.count() == 2
