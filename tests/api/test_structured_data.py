"""Search engines get schema.org data for every review and interview (``structured_data``).

Clients: the reference frontend, which copies the field into a
``<script type="application/ld+json">``; Google's review snippets read it there.
The JSON-LD is expanded with pyld against a local copy of the schema.org terms it
uses (tests/api/fixtures/schema_org_context.jsonld): nothing is downloaded,
and a term schema.org does not define would be dropped by the expansion.
"""

import json
from pathlib import Path

import pytest
from pyld import jsonld

from people.factories import CriticFactory, PersonFactory
from reviews.factories import FilmFactory, InterviewPageFactory, ReviewPageFactory
from reviews.grades import Grade

SCHEMA = "https://schema.org/"
CONTEXT = json.loads((Path(__file__).parent / "fixtures" / "schema_org_context.jsonld").read_text())


def local_loader(url, options=None):
    """pyld's document loader: the schema.org context from the fixture, nothing from the network."""
    if url.rstrip("/") != "https://schema.org":
        raise AssertionError(f"pyld tried to load {url}")
    return {"contextUrl": None, "documentUrl": url, "document": CONTEXT}


def expand(data):
    return jsonld.expand(data, {"documentLoader": local_loader})


def terms(data):
    """Every key of a JSON-LD object tree except keywords (``@context``, ``@type`` …)."""
    found = set()
    if isinstance(data, dict):
        found |= {key for key in data if not key.startswith("@")}
        for value in data.values():
            found |= terms(value)
    elif isinstance(data, list):
        for value in data:
            found |= terms(value)
    return found


def expanded_properties(data):
    """Property IRIs of an expanded tree, as ``{"name", "author", …}`` (schema.org prefix removed)."""
    found = set()
    if isinstance(data, dict):
        for key, value in data.items():
            if not key.startswith("@"):
                assert key.startswith(SCHEMA), key
                found.add(key.removeprefix(SCHEMA))
            found |= expanded_properties(value)
    elif isinstance(data, list):
        for value in data:
            found |= expanded_properties(value)
    return found


def published(page):
    """Publish a revision, as an editor does, so the page has publication dates."""
    page.save_revision().publish()
    return page


@pytest.fixture
def review(db):
    critic = CriticFactory(
        name="Spencer Whitlock",
        website="https://spencer.example",
        letterboxd="swhitlock",
        public_email="spencer@marquee.example",
    )
    film = FilmFactory(
        title="Ai Weiwei: Never Sorry",
        release_year=2012,
        runtime_minutes=91,
        imdb_id="tt2089598",
        wikidata_id="Q4697206",
        directors=[PersonFactory(name="Alison Klayman")],
    )
    page = ReviewPageFactory(
        title="Ai Weiwei: Never Sorry", film=film, grade=Grade.A_MINUS, authors=[critic], tags=["art"]
    )
    return published(page)


def structured_data_of(api, page):
    return api.get(f"/api/v2/pages/{page.pk}/").data["structured_data"]


def test_a_review_is_valid_json_ld_with_only_schema_org_terms(api, review):
    data = structured_data_of(api, review)
    (expanded,) = expand(data)
    assert expanded["@type"] == [SCHEMA + "Review"]
    assert expanded_properties(expanded) == terms(data)


def test_a_review_has_every_property_google_requires_for_a_review_snippet(api, review):
    """developers.google.com/search/docs/appearance/structured-data/review-snippet: author (with a
    name), itemReviewed (with a name), reviewRating (with ratingValue); recommended datePublished,
    bestRating and worstRating. A Movie as itemReviewed needs an image too."""
    data = structured_data_of(api, review)
    assert data["@type"] == "Review"
    assert [author["name"] for author in data["author"]] == ["Spencer Whitlock"]
    assert all(author["@type"] == "Person" for author in data["author"])
    movie = data["itemReviewed"]
    assert movie["@type"] == "Movie"
    assert movie["name"] == "Ai Weiwei: Never Sorry"
    assert movie["image"][0].startswith("http://testserver/media/images/")
    rating = data["reviewRating"]
    assert rating["@type"] == "Rating"
    assert rating["worstRating"] <= rating["ratingValue"] <= rating["bestRating"]
    assert data["datePublished"].endswith("Z")
    assert data["headline"] == "Ai Weiwei: Never Sorry"
    assert data["publisher"] == {
        "@type": "Organization",
        "name": "Marquee",
        "url": "https://www.marquee.test/",
    }
    assert data["image"] and all(url.startswith("http") for url in data["image"])


def test_the_movie_carries_director_year_runtime_and_its_film_database_pages(api, review):
    movie = structured_data_of(api, review)["itemReviewed"]
    assert movie["director"] == [{"@type": "Person", "name": "Alison Klayman"}]
    assert movie["dateCreated"] == "2012"
    assert movie["duration"] == "PT91M"
    assert movie["sameAs"] == [
        "https://www.imdb.com/title/tt2089598/",
        "https://www.wikidata.org/wiki/Q4697206",
    ]


def test_the_critic_is_linked_to_their_public_profiles_not_their_email(api, review):
    (author,) = structured_data_of(api, review)["author"]
    assert author["sameAs"] == ["https://spencer.example", "https://letterboxd.com/swhitlock"]


@pytest.mark.parametrize(
    ("grade", "value"),
    [(Grade.A_PLUS, 12), (Grade.A_MINUS, 10), (Grade.B, 8), (Grade.C_MINUS, 4), (Grade.F, 0)],
)
def test_the_letter_grade_maps_to_its_score_out_of_twelve(api, grade, value):
    page = ReviewPageFactory(grade=grade)
    rating = structured_data_of(api, page)["reviewRating"]
    assert rating == {
        "@type": "Rating",
        "ratingValue": value,
        "bestRating": 12,
        "worstRating": 0,
        "alternateName": grade.label,
    }


def test_an_interview_is_an_article_about_the_interviewee(api, db):
    interview = published(
        InterviewPageFactory(
            title="Alison Klayman on filming Ai Weiwei", interviewees=[PersonFactory(name="Alison Klayman")]
        )
    )
    data = structured_data_of(api, interview)
    (expanded,) = expand(data)
    assert expanded["@type"] == [SCHEMA + "Article"]
    assert expanded_properties(expanded) == terms(data)
    assert data["genre"] == "Interview"
    assert [person["name"] for person in data["about"]] == ["Alison Klayman"]
    assert [movie["@type"] for movie in data["mentions"]] == ["Movie"]
    assert "reviewRating" not in data


def test_a_profile_link_added_later_reaches_the_stored_json_ld(api, review):
    """Rendered once at publish, re-rendered when the critic changes (the store's dependency)."""
    critic = review.authors.first().person
    critic.bluesky = "spencer.bsky.social"
    critic.save()
    (author,) = structured_data_of(api, review)["author"]
    assert "https://bsky.app/profile/spencer.bsky.social" in author["sameAs"]


def test_listings_leave_it_out_unless_asked(api, review):
    listing = api.get("/api/v2/pages/", {"type": "reviews.ReviewPage"}).data
    assert "structured_data" not in listing["items"][0]
    chosen = api.get("/api/v2/pages/", {"type": "reviews.ReviewPage", "fields": "_,structured_data"}).data
    assert chosen["items"][0]["structured_data"]["@type"] == "Review"
