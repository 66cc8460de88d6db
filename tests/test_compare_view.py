"""/compare/ on the seed archive, on both engines: facts, overlap, quotes, entities, bad requests."""

from __future__ import annotations

import csv
import io

import pytest

from articles.models import Article, Claim

pytestmark = pytest.mark.django_db


def _ids(seeded, *prefixes) -> str:
    return ",".join(str(seeded[p].pk) for p in prefixes)


ALL = ("000", "001", "002", "003", "004")


@pytest.fixture
def seed_comparison(client, seeded):
    """The JSON comparison of all five seed articles, with the seeds keyed "000" … "004"."""
    response = client.get("/compare/", {"ids": _ids(seeded, *ALL), "format": "json"})
    assert response.status_code == 200
    return response.json(), seeded


def _fact(data, subject):
    return next(f for f in data["facts"] if f["subject"] == subject)


def test_json_twin_has_the_documented_shape(seed_comparison):
    data, seeded = seed_comparison
    assert set(data) == {"articles", "rows", "overlap", "facts", "quotes", "entities"}
    assert {"id", "url", "title", "outlet", "published_at"} <= set(data["articles"][0])
    fact = data["facts"][0]
    assert {"subject", "quantity", "unit", "agree", "claims"} <= set(fact)
    assert {"article", "value", "text", "sentence"} <= set(fact["claims"][0])
    columns = len(data["articles"])
    assert all(len(row["cells"]) == columns for row in data["rows"])
    # Every sentence of every article appears exactly once in the grid.
    placed = sorted(
        (p["article"], p["sentence_index"]) for r in data["rows"] for c in r["cells"] for p in c
    )
    assert len(placed) == len(set(placed))
    assert {a for a, _ in placed} == {seeded[p].pk for p in ALL}


def test_bridge_length_disagrees_and_stays_apart_from_the_total_length(seed_comparison):
    data, seeded = seed_comparison
    bridge = _fact(data, "bridge length")
    assert bridge["agree"] is False and bridge["unit"] == "m"
    values = {(c["article"], c["value"]) for c in bridge["claims"]}
    assert values == {
        (seeded["000"].pk, 1000.0),
        (seeded["001"].pk, 1000.0),
        (seeded["002"].pk, 850.0),
        (seeded["003"].pk, 850.0),
        (seeded["004"].pk, 1000.0),
    }
    total = _fact(data, "total length")
    assert total["agree"] is True and total["unit"] == "km"
    assert sorted((c["article"], c["value"], c["text"]) for c in total["claims"]) == sorted(
        [(seeded["003"].pk, 4.7, "4.7 kilometers"), (seeded["004"].pk, 4.7, "4.7 km")]
    )


def test_construction_time_agrees_across_units_and_each_cell_links_to_its_sentence(
    seed_comparison,
):
    data, seeded = seed_comparison
    time_group = _fact(data, "construction time")
    assert time_group["agree"] is True
    assert {c["text"] for c in time_group["claims"]} >= {
        "one and a half years",
        "1.5 years",
        "around 18 months",
        "approximately 18 months",
    }
    assert {c["value"] for c in time_group["claims"]} == {18.0}
    for c in time_group["claims"]:
        article = Article.objects.get(pk=c["article"])
        assert c["url"].endswith(f"{article.get_absolute_url()}#s{c['sentence_index']}")
        assert c["text"] in c["sentence"]


def test_the_rewrite_is_the_standout_pair_of_the_overlap_matrix(seed_comparison):
    data, seeded = seed_comparison
    best = max(data["overlap"], key=lambda o: o["mutual"])
    assert {best["article"], best["other"]} == {seeded["000"].pk, seeded["001"].pk}
    assert best["relation"] == "rewrite"
    others = [
        o for o in data["overlap"] if {o["article"], o["other"]} != {best["article"], best["other"]}
    ]
    assert all(o["relation"] is None for o in others)
    assert len(data["overlap"]) == 20  # every ordered pair of five
    dated = {
        o["published"]
        for o in data["overlap"]
        if {o["article"], o["other"]} == {seeded["003"].pk, seeded["004"].pk}
    }
    assert dated == {"earlier", "later"}  # 004 (30 April) came before 003 (10 May)


def test_columns_follow_publication_order_and_matching_sentences_share_a_row(seed_comparison):
    data, seeded = seed_comparison
    # Dated articles first (004: 30 April, 003: 10 May), then the undated ones as asked.
    assert [a["id"] for a in data["articles"]] == [
        seeded[p].pk for p in ("004", "003", "000", "001", "002")
    ]
    starovoit = [
        row
        for row in data["rows"]
        if any(
            "Starovoit" in p["text"] and "850" in p["text"] for cell in row["cells"] for p in cell
        )
    ]
    assert len(starovoit) == 1
    (row,) = starovoit
    assert row["kind"] == "shared"
    articles = {p["article"] for cell in row["cells"] for p in cell}
    assert articles == {seeded["002"].pk, seeded["003"].pk}


def test_mishustins_quotes_are_matched_across_the_articles_that_carry_them(seed_comparison):
    data, seeded = seed_comparison
    mishustin = next(q for q in data["quotes"] if q["speaker"] == "Mikhail Mishustin")
    matched = [m for m in mishustin["matches"] if seeded["004"].pk in m["articles"]]
    assert len(matched) == 1
    (match,) = matched
    assert seeded["000"].pk in match["articles"]
    by_article = {}
    for quote in match["quotes"]:
        by_article.setdefault(quote["article"], []).append(quote["text"])
    assert any(
        t.startswith("The significance goes far beyond") for t in by_article[seeded["000"].pk]
    )
    assert any("significance goes far beyond" in t for t in by_article[seeded["004"].pk])
    for quote in match["quotes"]:
        assert quote["url"].endswith(f"#s{quote['sentence_index']}")


def test_entity_matrix_shows_who_each_article_mentions(seed_comparison):
    data, seeded = seed_comparison
    people = {p["name"]: set(p["articles"]) for p in data["entities"]["person"]}
    assert people["Mikhail Mishustin"] == {seeded[p].pk for p in ALL}
    assert people["Sergei Lavrov"] == {seeded["002"].pk}  # the others leave him out
    assert set(data["entities"]) == {"person", "organization", "place", "event"}


def test_comparisons_of_kept_articles_are_the_same_as_fresh_ones(client, seeded, settings):
    """Articles compared before are reused (articles.compare.inputs) in any pairing and order."""
    pairings = [("000", "003"), ("003", "004"), ("004", "000", "001"), ("001", "000")]

    def pages():
        out = []
        for ids in pairings:
            for form in ("json", "html", "csv"):
                response = client.get("/compare/", {"ids": _ids(seeded, *ids), "format": form})
                assert response.status_code == 200
                out.append(response.content)
        return out

    kept = pages() + pages()  # the second round finds every article kept
    settings.NEWSARCHIVE = {**settings.NEWSARCHIVE, "COMPARE_MEMO": 0}
    fresh = pages()
    assert kept[: len(fresh)] == fresh and kept[len(fresh) :] == fresh


def test_an_edit_shows_in_the_next_comparison_of_a_kept_article(client, seeded):
    a, b = seeded["000"], seeded["003"]
    ids = {"ids": f"{a.pk},{b.pk}", "format": "json"}
    before = client.get("/compare/", ids).json()
    bridge = [f for f in before["facts"] if f["subject"] == "bridge length"]
    assert any(c["article"] == b.pk for f in bridge for c in f["claims"])
    Article.objects.filter(pk=a.pk).update(
        body="A new opening sentence about the ferry timetable. " + a.body
    )
    Claim.objects.filter(article=b, subject="bridge length").delete()
    after = client.get("/compare/", ids).json()
    texts = [p["text"] for row in after["rows"] for cell in row["cells"] for p in cell]
    assert "A new opening sentence about the ferry timetable." in texts
    bridge = [f for f in after["facts"] if f["subject"] == "bridge length"]
    assert all(c["article"] != b.pk for f in bridge for c in f["claims"])


def test_the_five_seed_comparison_shows_its_findings(client, seeded):
    # Its speed is measured by bench/pages.py, not asserted here.
    response = client.get(f"/compare/?ids={_ids(seeded, *ALL)}")
    assert response.status_code == 200
    html = response.content.decode()
    assert "disagrees" in html and "rewrite" in html and "Mikhail Mishustin" in html


# --- Without extraction: rows created here ---------------------------------------------------


def test_csv_export_neutralises_formulas(client, seeded_plain):
    a, b = seeded_plain["000"], seeded_plain["003"]
    for article, value, text in ((a, 1000.0, "=1+1 km"), (b, 850.0, "850 meters")):
        Claim.objects.create(
            article=article, quantity="length", value=value, low=value, high=value, unit="m",
            subject="bridge length", text=text, sentence="", sentence_index=2,
        )  # fmt: skip
    response = client.get("/compare/", {"ids": f"{a.pk},{b.pk}", "format": "csv"})
    assert response.status_code == 200
    assert response["Content-Type"].startswith("text/csv")
    rows = list(csv.reader(io.StringIO(response.content.decode())))
    assert rows[0][:4] == ["subject", "quantity", "unit", "status"]
    texts = {row[11]: row for row in rows[1:]}
    assert texts["'=1+1 km"][3] == "disagree"
    assert texts["850 meters"][7] == "850.0"


def test_article_text_is_escaped(client, seeded_plain):
    a = seeded_plain["000"]
    a.title = "<script>alert(1)</script>"
    a.save()
    response = client.get("/compare/", {"ids": [a.pk, seeded_plain["001"].pk]})
    html = response.content.decode()
    assert "<script>alert(1)</script>" not in html
    assert "&lt;script&gt;alert(1)&lt;/script&gt;" in html


def test_an_article_without_text_compares_without_error(client, seeded_plain):
    empty = seeded_plain["002"]
    Article.objects.filter(pk=empty.pk).update(body="")
    response = client.get("/compare/", {"ids": f"{empty.pk},{seeded_plain['000'].pk}"})
    assert response.status_code == 200
    assert "Comparing 2 articles" in response.content.decode()


def test_repeated_ids_parameter_works_like_a_comma_list(client, seeded_plain):
    a, b = seeded_plain["000"].pk, seeded_plain["001"].pk
    repeated = client.get("/compare/", {"ids": [a, b], "format": "json"}).json()
    listed = client.get("/compare/", {"ids": f"{a},{b}", "format": "json"}).json()
    assert [x["id"] for x in repeated["articles"]] == [x["id"] for x in listed["articles"]]
    assert len(repeated["rows"]) == len(listed["rows"])


@pytest.mark.parametrize(
    ("query", "message"),
    [
        ("ids=999999,999998", "No article with number 999999, 999998 in the archive."),
        ("ids={a}", "Choose at least two articles to compare."),
        ("", "Choose at least two articles to compare."),
        ("ids={a},{a}", "Each article can be compared only once"),
        ("ids=1,2,3,4,5,6,7", "At most 6 articles can be compared at once."),
        ("ids={a},abc", "“abc” is not an article number."),
        ("ids={a},%3Cb%3E", "“<b>” is not an article number."),
    ],
)
def test_bad_requests_get_a_clear_message_not_an_error(client, seeded_plain, query, message):
    query = query.format(a=seeded_plain["000"].pk)
    page = client.get(f"/compare/?{query}")
    assert page.status_code == 400
    html = page.content.decode()
    assert "<b>" not in html.split("<main", 1)[1]  # the junk is escaped
    from django.utils.html import escape

    assert escape(message) in html
    data = client.get(f"/compare/?{query}&format=json")
    assert data.status_code == 400
    assert data.json() == {"error": data.json()["error"]}
    assert message in data.json()["error"]
