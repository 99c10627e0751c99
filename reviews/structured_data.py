"""schema.org structured data (JSON-LD) for reviews and interviews.

Search engines read it from a ``<script type="application/ld+json">`` the
frontend copies it into. It is built from the page's own document (the fields
before it in ``api_fields``), so it says exactly what the page says and depends
on nothing the document does not already depend on. A review is a ``Review`` of
a ``Movie``::

    {"@context": "https://schema.org", "@type": "Review", "headline": "Grabbers",
     "itemReviewed": {"@type": "Movie", "name": "Grabbers", "dateCreated": "2012",
                      "director": [{"@type": "Person", "name": "Jon Wright"}], …},
     "reviewRating": {"@type": "Rating", "ratingValue": 5, "bestRating": 12, "worstRating": 0,
                      "alternateName": "C"},
     "author": [{"@type": "Person", "name": "Daniel Reyes", "sameAs": […]}], …}

An interview is an ``Article`` (``genre`` "Interview") ``about`` its interviewees.
"""

from .grades import Grade

SCHEMA_ORG = "https://schema.org"

# The letter grade as a schema.org Rating: ratingValue is the grade's score,
# F = 0 … A+ = 12 (``grade_score``), on a scale from worstRating to bestRating.
WORST_RATING = int(min(Grade))
BEST_RATING = int(max(Grade))

# Film databases a film's external ids point into: sameAs URLs of the Movie.
FILM_DATABASES = {
    "imdb": "https://www.imdb.com/title/{}/",
    "tmdb": "https://www.themoviedb.org/movie/{}",
    "wikidata": "https://www.wikidata.org/wiki/{}",
}


def structured_data(document, loader):
    """The JSON-LD object of a review or interview ``document`` (built up to this field)."""
    common = {
        "url": document["canonical_url"],
        "mainEntityOfPage": document["canonical_url"],
        "headline": document["title"],
        "description": document["summary"],
        "datePublished": document["meta"]["first_published_at"],
        "dateModified": document["meta"]["last_published_at"],
        "image": _page_images(document),
        "author": [_person(person) for person in document["authors"]],
        "publisher": {"@type": "Organization", **loader.publisher()},
        "keywords": document["tags"],
    }
    film = document.get("film")
    if "grade_score" in document:
        data = {
            "@context": SCHEMA_ORG,
            "@type": "Review",
            **common,
            "name": document["title"],
            "itemReviewed": _movie(film) if film else None,
            "reviewRating": {
                "@type": "Rating",
                "ratingValue": document["grade_score"],
                "bestRating": BEST_RATING,
                "worstRating": WORST_RATING,
                "alternateName": document["grade"],
            },
        }
    else:
        data = {
            "@context": SCHEMA_ORG,
            "@type": "Article",
            **common,
            "genre": "Interview",
            "about": [_person(person) for person in document.get("interviewees", [])],
            "mentions": [_movie(film)] if film else [],
        }
    return _without_blanks(data)


def _movie(film):
    return {
        "@type": "Movie",
        "name": film["title"],
        "alternateName": film["original_title"] if film["original_title"] != film["title"] else None,
        "dateCreated": str(film["year"]),
        "director": [{"@type": "Person", "name": person["name"]} for person in film["directors"]],
        "image": _rendition_urls(film["poster"], ("fallback",)),
        "duration": f"PT{film['runtime_minutes']}M" if film["runtime_minutes"] else None,
        "countryOfOrigin": [{"@type": "Country", "name": country} for country in film["countries"]],
        "sameAs": [
            FILM_DATABASES[database].format(value)
            for database, value in film["external_ids"].items()
            if value is not None
        ],
    }


def _person(person):
    """A critic, interviewer or interviewee; ``sameAs`` lists their public profiles."""
    profiles = [url for platform, url in person["links"].items() if platform != "email"]
    return {"@type": "Person", "name": person["name"], "sameAs": profiles}


def _page_images(document):
    """The social card (1200×630 JPEG) and the large hero, as Google asks for wide images."""
    image = document.get("social_image") or document.get("hero_image")
    return _rendition_urls(image, ("social", "large"))


def _rendition_urls(image, names):
    if image is None:
        return []
    return list(dict.fromkeys(image["renditions"][name]["url"] for name in names))


def _without_blanks(value):
    """Drop None, "" and empty lists: an unknown value is left out, not stated as empty."""
    if isinstance(value, dict):
        cleaned = {key: _without_blanks(item) for key, item in value.items()}
        return {key: item for key, item in cleaned.items() if item not in (None, "", [])}
    if isinstance(value, list):
        return [_without_blanks(item) for item in value]
    return value
