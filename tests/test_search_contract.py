"""One contract for both search engines: the same queries give the same hits in the same order.

Run on SQLite (default) and on PostgreSQL (DATABASE_URL=postgres://…); no test here asks which
engine it is on.
"""

from __future__ import annotations

import datetime as dt
import hashlib

import pytest

from articles.models import Article, Outlet, Person, PersonMention
from articles.search import search_articles

pytestmark = pytest.mark.django_db


def when(year: int, month: int = 1, day: int = 1) -> dt.datetime:
    return dt.datetime(year, month, day, 12, tzinfo=dt.UTC)


def make(title: str, body: str, published: dt.datetime, outlet=None) -> Article:
    digest = hashlib.sha256(f"{title}\n{body}".encode()).hexdigest()
    return Article.objects.create(
        title=title, body=body, content_hash=digest, published_at=published, outlet=outlet
    )


@pytest.fixture
def corpus(db) -> dict[str, Article]:
    """Eight short articles whose words were chosen so each operator has a clear answer."""
    return build_corpus()


def build_corpus() -> dict[str, Article]:
    """Create the contract corpus: articles keyed by a short name, two outlets, two people."""
    tass = Outlet.objects.create(name="TASS")
    nk = Outlet.objects.create(name="NK News")
    mishustin = Person.objects.create(name="Mikhail Mishustin", aliases=["Mishustin"])
    zelensky = Person.objects.create(
        name="Volodymyr Zelensky", aliases=["Zelenskyy", "Volodymyr Zelenskyy"]
    )
    a = {
        "road": make(
            "Russia and North Korea start building a road bridge",
            "Construction began on the Tumen River crossing. Prime Minister Mikhail Mishustin "
            "said the crossing would strengthen ties between the two countries.",
            when(2024, 4, 30),
            tass,
        ),
        "tourism": make(
            "Tourism on the border grows",
            "Tourists cross the border by train; the old bridges are closed to traffic and "
            "tour operators wait for the new road link.",
            when(2023, 6, 1),
            nk,
        ),
        "kim": make(
            "Kim Jong-un visits Vladivostok",
            "The North Korean leader Kim Jong-un arrived by armoured train for talks in the "
            "Russian port city.",
            when(2023, 9, 12),
            nk,
        ),
        "bridges": make(
            "Engineers weigh the crossing",
            "The bridge will be one kilometre long. A second bridge for rail is planned, and a "
            "third bridge may follow; each bridge needs customs posts.",
            when(2024, 5, 2),
            tass,
        ),
        "rail": make(
            "Railway link carries freight",
            "Freight trains use the railway bridge across the Tumen. Officials in Kursk were "
            "not involved in the project.",
            when(2022, 11, 20),
            tass,
        ),
        "kyiv": make(
            "Kyiv reacts to the summit",
            "President Zelenskyy said the meeting showed a dangerous alliance. Officials in Kyiv "
            "called the bridge a symbol.",
            when(2024, 6, 20),
            None,
        ),
        "hostile": make(
            "<script>alert('title')</script> Harbour notes",
            "<b>bold</b> & <img src=x onerror=alert(1)> the harbour bridge reopened.",
            when(2021, 3, 3),
            None,
        ),
        "weather": make(
            "Weather",
            "Rain over Rason for the whole week; ferries stayed in the harbour.",
            when(2024, 1, 15),
            nk,
        ),
    }
    PersonMention.objects.create(article=a["road"], entity=mishustin, surface="Mishustin")
    PersonMention.objects.create(article=a["kyiv"], entity=zelensky, surface="Zelenskyy")
    return a


def ids(corpus: dict[str, Article], *names: str) -> list[int]:
    return [corpus[n].pk for n in names]


def hit_ids(query: str, **options) -> list[int]:
    results = search_articles(query, **options)
    return [h.article.pk for h in results.page(1, per_page=50).object_list]


def test_stemming_finds_other_forms(corpus):
    assert set(hit_ids("bridges")) == set(
        ids(corpus, "road", "tourism", "bridges", "rail", "kyiv", "hostile")
    )


def test_title_hit_ranks_above_body_only_hits(corpus):
    found = hit_ids("bridge")
    assert found[0] == corpus["road"].pk  # the only title hit
    assert found[1] == corpus["bridges"].pk  # four body hits beat one


def test_exclusions_drop_hits_without_reordering_the_rest(corpus):
    excluded = set(ids(corpus, "rail", "kyiv"))
    assert hit_ids("bridge -Kursk -Zelenskyy") == [
        pk for pk in hit_ids("bridge") if pk not in excluded
    ]


def test_phrase_in_the_title_ranks_above_phrase_only_in_the_body(corpus):
    body_only = make(
        "Ferry timetable changes",
        "The harbour bridge closes at night; the harbour bridge opens at dawn.",
        when(2024, 2, 1),
    )
    titled = make("Harbour bridge repainted", "Work ends in spring.", when(2020, 1, 1))
    found = hit_ids('"harbour bridge"')
    assert set(found) == {body_only.pk, titled.pk, corpus["hostile"].pk}
    assert found[0] == titled.pk


def test_phrase_matches_words_side_by_side_only(corpus):
    assert hit_ids('"road link"') == ids(corpus, "tourism")
    assert hit_ids('"railway bridge"') == ids(corpus, "rail")
    assert hit_ids('"bridge railway"') == []


def test_or(corpus):
    assert set(hit_ids("Mishustin OR Kursk")) == set(ids(corpus, "road", "rail"))


def test_exclusion_and_excluded_phrase(corpus):
    assert set(hit_ids("bridge -Kursk -Zelenskyy")) == set(
        ids(corpus, "road", "tourism", "bridges", "hostile")
    )
    assert set(hit_ids('bridge -"harbour bridge" -kilometre')) == set(
        ids(corpus, "road", "tourism", "rail", "kyiv")
    )


def test_exclusion_only_browses_everything_else_newest_first(corpus):
    assert hit_ids("-bridge") == ids(corpus, "weather", "kim")


def test_prefix(corpus):
    assert set(hit_ids("tour*")) == {corpus["tourism"].pk}
    assert set(hit_ids("vladi*")) == {corpus["kim"].pk}


def test_parentheses_group(corpus):
    assert set(hit_ids("(Mishustin OR Kursk) railway")) == {corpus["rail"].pk}
    assert set(hit_ids("train (armoured OR tourists)")) == set(ids(corpus, "tourism", "kim"))


def test_diacritics_and_case_are_ignored(corpus):
    assert hit_ids("KÝIV reacts") == ids(corpus, "kyiv")


def test_hyphenated_names_match_spaced_spelling(corpus):
    assert hit_ids('"Kim Jong Un"') == ids(corpus, "kim")
    assert hit_ids("Jong-un") == ids(corpus, "kim")


@pytest.mark.parametrize(
    "query",
    [
        '"unbalanced',
        "((bridge",
        "bridge)))",
        "OR",
        "- -",
        "the of and",
        "🙂 🚀",
        "'; DROP TABLE articles_article; --",
        '" OR 1=1 --',
        "<script>alert(1)</script>",
        "NEAR(bridge road) title:bridge bridge^2 {title}:x",
        "x" * 10_000,
        "bridge " * 2000,
        "(" * 3000 + "bridge",
        '\\"\\x00 ** --- ::: ||',
    ],
)
def test_hostile_input_never_raises(corpus, query):
    results = search_articles(query)
    page = results.page(1)
    assert isinstance(results.total, int)
    assert results.facets is not None
    assert len(page.object_list) <= 20


def test_only_stop_words_gives_empty_result_with_note(corpus):
    results = search_articles("the of and")
    assert results.total == 0
    assert any("Very common words" in n for n in results.notes)


def test_blank_query_browses_newest_first(corpus):
    assert hit_ids("") == ids(
        corpus, "kyiv", "bridges", "road", "weather", "kim", "tourism", "rail", "hostile"
    )


def test_sort_newest_and_oldest(corpus):
    assert hit_ids("bridge", sort="newest") == ids(
        corpus, "kyiv", "bridges", "road", "tourism", "rail", "hostile"
    )
    assert hit_ids("bridge", sort="oldest") == ids(
        corpus, "hostile", "rail", "tourism", "road", "bridges", "kyiv"
    )


def test_date_sorts_put_undated_articles_last_and_page_consistently(corpus):
    undated = make("An undated bridge story", "The bridge story carries no date.", None)
    newest = hit_ids("bridge", sort="newest")
    oldest = hit_ids("bridge", sort="oldest")
    assert newest[-1] == oldest[-1] == undated.pk
    assert newest[:-1] == ids(corpus, "kyiv", "bridges", "road", "tourism", "rail", "hostile")
    results = search_articles("bridge", sort="oldest")
    paged = [h.article.pk for n in (1, 2, 3) for h in results.page(n, per_page=3).object_list]
    assert paged == oldest
    assert results.page(1, per_page=3).paginator.count == 7
    assert results.page(3, per_page=3).object_list[0].article.outlet is None


def test_filters_combine_with_query(corpus):
    tass = Article.objects.filter(outlet__name="TASS")
    assert set(hit_ids("bridge", queryset=tass)) == set(ids(corpus, "road", "bridges", "rail"))
    recent = Article.objects.filter(published_at__gte=when(2024), published_at__lt=when(2025))
    assert hit_ids("bridge", queryset=recent, sort="oldest") == ids(
        corpus, "road", "bridges", "kyiv"
    )


def test_filtered_relevance_ranks_as_the_whole_archive_does(corpus):
    tass = Article.objects.filter(outlet__name="TASS")
    in_tass = set(ids(corpus, "road", "bridges", "rail"))
    assert hit_ids("bridge", queryset=tass) == [pk for pk in hit_ids("bridge") if pk in in_tass]
    assert hit_ids("bridge", queryset=tass) == ids(corpus, "road", "bridges", "rail")
    # Only the pool of the last-stored filtered matches is ranked, in the same order.
    results = search_articles("bridge", queryset=tass, rank_pool=2)
    assert results.total == 3
    assert [h.article.pk for h in results.page(1).object_list] == ids(corpus, "bridges", "rail")


def test_pagination_is_consistent(corpus):
    results = search_articles("bridge")
    pages = [results.page(n, per_page=4) for n in (1, 2)]
    assert pages[0].paginator.count == 6
    assert pages[0].paginator.num_pages == 2
    first, second = ([h.article.pk for h in p.object_list] for p in pages)
    assert len(first) == 4 and len(second) == 2
    assert not set(first) & set(second)
    assert first + second == hit_ids("bridge")
    assert search_articles("bridge").page("junk", per_page=4).number == 1
    assert search_articles("bridge").page(99, per_page=4).number == 2


def test_total_is_capped(corpus):
    results = search_articles("bridge", candidates=3)
    assert (results.total, results.capped) == (3, True)
    assert results.paginator(2).count == 3
    assert (search_articles("bridge").total, search_articles("bridge").capped) == (6, False)


def test_relevance_ranks_only_the_newest_candidates(corpus):
    results = search_articles("bridge", rank_pool=2)
    assert results.total == 6
    # Both hit the body once; the shorter article ranks first (bm25 and ts_rank_cd flag 1 agree).
    assert [h.article.pk for h in results.page(1).object_list] == ids(corpus, "hostile", "kyiv")


def test_snippet_marks_matches_and_escapes_article_text(corpus):
    results = search_articles("harbour bridge")
    (hit,) = results.page(1).object_list
    assert "<mark>bridge</mark>" in hit.snippet
    assert "<mark>harbour</mark>" in hit.snippet
    assert "<b>" not in hit.snippet and "<img" not in hit.snippet
    # PostgreSQL's headline drops what its parser takes for tags; what is left is escaped.
    assert "&amp; &lt;img src=x onerror=alert(1)&gt;" in hit.snippet


def test_snippet_of_a_long_body_shows_the_match_wherever_it_lies(db):
    filler = "Delegates discussed quotas and tariffs at length before the recess. " * 80
    far = make(
        "Annual review",
        filler + "At the very end the ferry terminal reopened after the storm.",
        when(2024, 1, 2),
    )
    # "port" first occurs inside "important" (no match there); the word itself comes far later.
    inside = make(
        "Quarterly review",
        "An important note opens the file. " + filler + "The port of Rajin handled coal.",
        when(2024, 1, 3),
    )
    # Found by its title alone: the snippet is the body's opening words.
    titled = make("Customs posts move", "Officials met early. " + filler, when(2024, 1, 4))
    snippets = {
        hit.article.pk: hit.snippet
        for query in ("ferry terminal", "port", "customs")
        for hit in search_articles(query).page(1).object_list
    }
    assert "<mark>ferry</mark> <mark>terminal</mark> reopened" in snippets[far.pk]
    assert "<mark>port</mark> of Rajin" in snippets[inside.pk]
    assert "important" not in snippets[inside.pk]
    assert snippets[titled.pk].startswith("Officials met early. Delegates discussed")
    assert "<mark>" not in snippets[titled.pk]


def test_facets_count_the_matched_set(corpus):
    facets = search_articles("bridge").facets
    assert [(f["label"], f["count"]) for f in facets["outlet"]] == [("TASS", 3), ("NK News", 1)]
    assert [(f["label"], f["count"]) for f in facets["person"]] == [
        ("Mikhail Mishustin", 1),
        ("Volodymyr Zelensky", 1),
    ]
    assert [(f["value"], f["count"]) for f in facets["year"]] == [
        ("2024", 3),
        ("2023", 1),
        ("2022", 1),
        ("2021", 1),
    ]


def test_a_facet_shows_its_ten_largest_groups_ties_by_name(db):
    articles = [
        make(f"Summit day {i}", f"Delegates met on day {i}.", when(2024, 2, i + 1))
        for i in range(6)
    ]
    people = [Person.objects.create(name=f"Delegate {letter}") for letter in "LKJIHGFEDCBA"]
    # "Delegate L" is in three articles, "Delegate K" in two, the ten others in one each
    # (a rejected mention does not count).
    for article in articles[:3]:
        PersonMention.objects.create(article=article, entity=people[0], surface="L")
    for article in articles[:2]:
        PersonMention.objects.create(article=article, entity=people[1], surface="K")
    for i, person in enumerate(people[2:]):
        PersonMention.objects.create(article=articles[i % 6], entity=person, surface="x")
    PersonMention.objects.create(
        article=articles[5], entity=people[1], surface="K", status="rejected"
    )
    facet = search_articles("delegates").facets["person"]
    assert [(f["label"], f["count"]) for f in facet] == [
        ("Delegate L", 3),
        ("Delegate K", 2),
        *((f"Delegate {letter}", 1) for letter in "ABCDEFGH"),
    ]


def test_entities_named_by_the_query_are_offered(corpus):
    results = search_articles("Mishustin bridge")
    assert [m.entity.name for m in results.entities] == ["Mikhail Mishustin"]


def test_alias_expansion_and_its_toggle(corpus):
    results = search_articles("Volodymyr Zelensky")
    (hit,) = results.page(1).object_list
    assert hit.article.pk == corpus["kyiv"].pk
    assert hit.via_alias in {"Zelenskyy", "Volodymyr Zelenskyy"}
    assert hit_ids("Volodymyr Zelensky", alias=False) == []
    direct = search_articles("Zelenskyy").page(1).object_list
    assert [h.via_alias for h in direct] == [None]


def test_did_you_mean(corpus):
    results = search_articles("Mishustn crossing")
    assert results.total == 0
    assert results.suggestion == "Mishustin crossing"
    assert search_articles("bridge").suggestion is None


def test_did_you_mean_from_vocabulary(corpus):
    assert search_articles("Vladivostk").suggestion == "vladivostok"


def test_index_follows_updates_and_deletes(corpus):
    weather = corpus["weather"]
    weather.body = "Snow closed the bridge at Rason."
    weather.save()
    assert corpus["weather"].pk in hit_ids("snow")
    assert hit_ids("ferries") == []
    weather.delete()
    assert hit_ids("snow") == []


def test_seed_archive(seeded_plain):
    """The real seed articles: stemming, title ranking, hyphenated names, did you mean."""
    every = {a.pk for a in seeded_plain.values()}
    assert set(hit_ids("bridges")) == every
    in_title = {a.pk for a in seeded_plain.values() if "bridge" in a.title.lower()}
    found = hit_ids("bridge")
    assert set(found[: len(in_title)]) == in_title
    spelled = {seeded_plain[k].pk for k in ("001", "002", "004")}  # Jong-un, Jong-Un, Jong Un
    assert set(hit_ids('"Kim Jong Un"')) == spelled
    assert search_articles("Mishustn").suggestion.lower() == "mishustin"
    assert hit_ids("Tumen -Mishustin") == []


@pytest.mark.django_db
def test_numbers_joined_by_hyphens_are_found_on_both_engines():
    mid = make("Bridge due mid-2026", "Rollout is planned for mid-2026.", when(2025, 4))
    season = make("Budget", "The 2025-2026 budget funds the bridge.", when(2025, 5))
    plain = make("Plain year", "In 2026 the crossing opens.", when(2025, 6))
    assert set(hit_ids("2026")) == {mid.pk, season.pk, plain.pk}
    assert hit_ids('"mid-2026"') == [mid.pk]
    assert set(hit_ids("2025")) == {season.pk}


@pytest.mark.postgres_only
def test_postgres_finds_the_same_newest_matches_walking_ids_or_collecting_first(corpus, engine):
    # PostgreSQL's backend picks, per query, between walking ids newest first and collecting
    # every match through the GIN index first (postgres.py); both must give the same rows.
    if engine != "postgresql":
        pytest.skip("a PostgreSQL planner choice")
    from articles.search import get_backend, parse_query
    from articles.search.backend import Within

    backend = get_backend()
    lowest = corpus["kim"].pk - 3
    filtered = [
        Within("SELECT id FROM articles_article WHERE id > %s", [lowest]),
        Within("SELECT id FROM articles_article WHERE id > %s", [lowest], ("id > %s", [lowest])),
    ]
    queries = ['"road bridge"', "bridge OR kursk", "bridge -kursk", "tour*", '"jong un" OR putin']
    # Phrases whose words also appear apart, in other order, or in excluded articles: checking
    # word order after collecting the words' rows must still drop exactly those.
    queries += ['"the bridge" -kursk', '"bridge the"', '"north korean" train', '"railway bridge"']
    ways = [(False, False), (True, False), (True, True)]  # (collect_first, check_order_later)
    for text in queries:
        tree = parse_query(text).tree
        for within in (None, *filtered):
            for oldest in (False, True):
                found = {}
                for collect_first, later in ways:
                    sql, params = backend.newest_matches_sql(
                        tree,
                        within=within,
                        limit=3,
                        oldest=oldest,
                        collect_first=collect_first,
                        check_order_later=later,
                    )
                    found[collect_first, later] = [row[0] for row in backend._fetch(sql, params)]
                    if not collect_first:  # the walk as candidate_ids forces it
                        forced = backend._fetch_planned(sql, params, without="enable_bitmapscan")
                        found["walked"] = [row[0] for row in forced]
                assert len(set(map(tuple, found.values()))) == 1, (text, within, oldest, found)
                if text != '"bridge the"':
                    assert found[False, False], (text, within, oldest)


@pytest.mark.postgres_only
def test_postgres_collecting_from_the_newest_ids_first_loses_no_match(corpus, engine):
    # candidate_ids reads the GIN index's matches among the newest (oldest) ids first and the
    # rest of the archive only for the matches still missing; whatever the split, the two
    # ranges give the rows one collection would, in order, and the planner setting the first
    # one needs does not outlive it (the test runs inside a transaction, as a request may).
    if engine != "postgresql":
        pytest.skip("a PostgreSQL plan")
    from articles.models import Article
    from articles.search import get_backend, parse_query

    backend = get_backend()
    ids = sorted(Article.objects.values_list("pk", flat=True))
    queries = ['"road bridge"', "bridge OR kursk", "bridge -kursk", "tour*", '"the bridge" -kursk']
    for text in queries:
        tree = parse_query(text).tree
        for oldest in (False, True):
            whole_sql = backend._collected_sql(tree, within=None, limit=len(ids), oldest=oldest)
            whole = [row[0] for row in backend._fetch(*whole_sql)]
            assert whole, text
            for split in (ids[1], ids[len(ids) // 2], ids[-1]):
                ranges = [(split, None), (None, split - 1)]
                found = []
                for id_range in reversed(ranges) if oldest else ranges:
                    sql, params = backend._collected_sql(
                        tree, within=None, limit=len(ids), oldest=oldest, id_range=id_range
                    )
                    found += [row[0] for row in backend._fetch_planned(sql, params)]
                assert found == whole, (text, oldest, split)
            assert backend.candidate_ids(tree, within=None, limit=3, oldest=oldest) == whole[:3]
    assert backend._fetch("SHOW enable_indexscan", []) == [("on",)]


@pytest.mark.postgres_only
def test_postgres_prices_a_prefix_as_the_words_it_begins(corpus, engine):
    # The planner guesses 2 % of the rows for any ``word:*`` when it knows fewer than 100
    # common lexemes; the backend asks it about the prefix's indexed words instead. Only the
    # estimate changes: the search still runs the prefix.
    if engine != "postgresql":
        pytest.skip("a PostgreSQL estimate")
    from articles.search import get_backend, parse_query, search_articles
    from articles.search.query import Not, Or, Term

    backend = get_backend()
    tree = parse_query("tour* -brid*").tree
    estimated = backend._estimation_tree(tree)
    words = {leaf.word for leaf in estimated.children[0].children}
    assert {"tour", "tourist"} <= words and all(w.startswith("tour") for w in words)
    excluded = estimated.children[1]
    assert isinstance(excluded, Not) and excluded.child == Term("bridg")
    assert backend._estimation_tree(parse_query("qqzz*").tree) == parse_query("qqzz*").tree
    assert not isinstance(backend._estimation_tree(parse_query("putin").tree), Or)
    assert search_articles("tour*").total == search_articles("tour OR tourist OR tourism").total


@pytest.mark.postgres_only
@pytest.mark.django_db(transaction=True)
def test_postgres_search_works_with_server_side_binding(engine):
    # With server-side binding an execute holds one statement, so the planner settings that
    # candidate_ids sends with its statement are left out: the same ids, the planner's plan.
    if engine != "postgresql":
        pytest.skip("a PostgreSQL connection option")
    from django.db import connection
    from django.db.backends.postgresql.base import DatabaseWrapper

    from articles.search import get_backend, parse_query

    build_corpus()
    options = {**connection.settings_dict.get("OPTIONS", {}), "server_side_binding": True}
    bound = DatabaseWrapper({**connection.settings_dict, "OPTIONS": options})
    try:
        for text in ['"road bridge"', "bridge OR kursk", "bridge -kursk", "tour*", "bridge"]:
            tree = parse_query(text).tree
            for oldest in (False, True):
                usual = get_backend().candidate_ids(tree, within=None, limit=5, oldest=oldest)
                found = get_backend(bound).candidate_ids(tree, within=None, limit=5, oldest=oldest)
                assert found == usual and usual, (text, oldest)
            walk = get_backend(bound).newest_matches_sql(tree, within=None, limit=5)
            assert get_backend(bound)._fetch_planned(*walk) == get_backend()._fetch(*walk)
    finally:
        bound.close()


@pytest.mark.postgres_only
@pytest.mark.django_db(transaction=True)
def test_postgres_keeps_fixed_statements_planned_with_the_same_pages(engine, client, settings):
    # Facets, named entities, snippets, stories and an article page's rows are kept prepared on
    # the connection and, after a few runs, answered from a generic plan; the pages are the
    # same as without, and stay right after the connection is replaced (its statements are
    # prepared afresh).
    if engine != "postgresql":
        pytest.skip("PostgreSQL keeps plans")
    from django.db import connection

    from articles import memo

    corpus = build_corpus()
    queries = ["bridge", "Mishustin bridge", '"road bridge"', "tour*", "bridge -kursk"]
    articles = [corpus["road"].get_absolute_url(), corpus["kyiv"].get_absolute_url()]

    def pages() -> list[bytes]:
        memo.clear_all()
        found = []
        for q in queries:
            response = client.get("/search/", {"q": q, "format": "json"})
            assert response.status_code == 200
            found.append(response.content)
        for url in articles:
            response = client.get(url)
            assert response.status_code == 200
            found.append(response.content)
        return found

    settings.PG_KEEP_PLANS = False
    plain = pages()
    assert b"Mikhail Mishustin" in plain[1] and b"Mikhail Mishustin" in plain[-2]
    with connection.cursor() as cursor:
        cursor.execute("SELECT count(*) FROM pg_prepared_statements")
        assert cursor.fetchone() == (0,)

    settings.PG_KEEP_PLANS = True
    for _ in range(7):  # PostgreSQL tries a generic plan after five custom ones
        assert pages() == plain
    with connection.cursor() as cursor:
        cursor.execute("SELECT statement, generic_plans FROM pg_prepared_statements")
        kept = cursor.fetchall()
    facets = [generic for statement, generic in kept if statement.startswith("WITH sample")]
    assert facets and max(facets) > 0, kept
    mentions = [generic for statement, generic in kept if "articles_personmention" in statement]
    assert mentions and max(mentions) > 0, kept

    connection.close()
    assert pages() == plain
