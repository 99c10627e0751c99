"""Seed a realistic corpus for the benchmark (run inside Django, see run.py).

Default: 2,000 reviews and 200 interviews of ~12 blocks each (7 text, 3 images,
2 pull quotes), 100 people, 500 films, a pool of 60 images with their API
renditions made ahead. Pages are created through the page tree (treebeard) and
marked live directly: the benchmark measures reading, not publishing.
"""

import random
import time
from datetime import UTC, datetime, timedelta
from io import BytesIO

from django.core.files.images import ImageFile
from django.db import transaction
from PIL import Image as PILImage
from wagtail.images import get_image_model

from api.images import RENDITION_SPECS
from people.models import Person, Role
from reviews.models import (
    EditorialPageAuthor,
    EditorialPageTag,
    Festival,
    Film,
    FilmDirector,
    Grade,
    InterviewIndexPage,
    InterviewPage,
    InterviewPageInterviewee,
    ReviewIndexPage,
    ReviewPage,
)

WORDS = ["cinema", "frame", "light", "shadow", "director", "critic", "festival", "premiere", "documentary", "drama", "comedy", "thriller", "actor", "performance", "script", "camera", "edit", "sound", "score", "silence", "audience", "screen", "story", "character", "memory", "city", "night", "river", "road", "family", "war", "love", "grief", "revolution", "archive", "interview", "portrait"]
TAGS = [f"tag-{n}" for n in range(30)]


def _sentence(rng, words=14):
    return " ".join(rng.choice(WORDS) for _ in range(words)).capitalize() + "."


def _paragraph(rng):
    return "<p>" + " ".join(_sentence(rng) for _ in range(4)) + "</p>"


def _png(rng, width=800, height=450):
    image = PILImage.new("RGB", (width, height), tuple(rng.randrange(40, 220) for _ in range(3)))
    buffer = BytesIO()
    image.save(buffer, format="PNG")
    return buffer.getvalue()


def _body(rng, images, link_target=None):
    blocks = []
    picks = rng.sample(images, 3)
    for n in range(7):
        blocks.append({"type": "text", "value": _paragraph(rng)})
        if n in (1, 3, 5):
            image = picks[(n - 1) // 2]
            blocks.append(
                {
                    "type": "image",
                    "value": {
                        "image": image.pk,
                        "alt_text": "A still",
                        "decorative": False,
                        "caption": _sentence(rng, 8),
                        "credit": "Distributor",
                    },
                }
            )
        if n in (2, 4):
            blocks.append({"type": "pull_quote", "value": {"quote": _sentence(rng, 12), "attribution": ""}})
    if link_target is not None:
        blocks[0]["value"] += f'<p>See <a linktype="page" id="{link_target}">the interview</a>.</p>'
    return blocks


def seed(reviews=2000, interviews=200, people=100, films=500, images=60, seed_value=42, log=print):
    """Create the corpus unless a corpus of this size already exists. Returns seconds spent."""
    if ReviewPage.objects.count() >= reviews and InterviewPage.objects.count() >= interviews:
        log(f"corpus present: {ReviewPage.objects.count()} reviews, {InterviewPage.objects.count()} interviews")
        return 0.0
    started = time.perf_counter()
    rng = random.Random(seed_value)
    Image = get_image_model()

    with transaction.atomic():
        pool = []
        for n in range(images):
            image = Image(title=f"Bench image {n}", description=f"Bench image {n}")
            image.file = ImageFile(BytesIO(_png(rng)), name=f"bench-{n}.png")
            image.save()
            image.get_renditions(*RENDITION_SPECS.values())
            pool.append(image)
        critic, director = Role.objects.get(slug="critic"), Role.objects.get(slug="director")
        persons = []
        for n in range(people):
            person = Person(name=f"Bench Person {n}", bio=_sentence(rng, 20), photo=rng.choice(pool), x=f"bench{n}")
            person.save()
            person.roles.add(critic if n < people * 0.6 else director)
            person.save()
            persons.append(person)
        critics, directors = persons[: int(people * 0.6)], persons[int(people * 0.6) :]
        festivals = [Festival.objects.get_or_create(name=f"Fest {n}", year=2010 + n)[0] for n in range(8)]
        film_rows = []
        for n in range(films):
            film = Film(
                title=f"Bench Film {n} {rng.choice(WORDS)}",
                release_year=rng.randrange(1960, 2025),
                runtime_minutes=rng.randrange(70, 180),
                countries="USA",
                synopsis=_sentence(rng, 25),
                poster=rng.choice(pool),
            )
            film.directors = [FilmDirector(person=rng.choice(directors))]
            film.save()
            film_rows.append(film)

    review_index, interview_index = ReviewIndexPage.objects.get(), InterviewIndexPage.objects.get()
    published = datetime(2015, 1, 1, tzinfo=UTC)
    interviews_by_film = {}
    for n in range(interviews):
        with transaction.atomic():
            film = rng.choice(film_rows)
            page = InterviewPage(
                title=f"Interview {n} with {rng.choice(directors).name}",
                slug=f"bench-interview-{n}",
                summary=_sentence(rng),
                film=film,
                festival=rng.choice(festivals),
                hero_image=rng.choice(pool),
                body=_body(rng, pool),
                first_published_at=published + timedelta(hours=n),
            )
            interview_index.add_child(instance=page)
            EditorialPageAuthor.objects.create(page=page, person=rng.choice(critics), sort_order=0)
            InterviewPageInterviewee.objects.create(page=page, person=rng.choice(directors), sort_order=0)
            interviews_by_film[film.pk] = page.pk
    tags = {name: EditorialPageTag.tag_model().objects.get_or_create(name=name, slug=name)[0] for name in TAGS}
    for n in range(reviews):
        with transaction.atomic():
            film = rng.choice(film_rows)
            page = ReviewPage(
                title=f"Review {n}: {film.title}",
                slug=f"bench-review-{n}",
                summary=_sentence(rng),
                film=film,
                grade=rng.choice(list(Grade)),
                festival=rng.choice(festivals) if rng.random() < 0.5 else None,
                hero_image=rng.choice(pool),
                body=_body(rng, pool, interviews_by_film.get(film.pk)),
                first_published_at=published + timedelta(hours=n, minutes=30),
            )
            review_index.add_child(instance=page)
            authors = rng.sample(critics, rng.choice((1, 1, 1, 2)))
            EditorialPageAuthor.objects.bulk_create(
                EditorialPageAuthor(page=page, person=person, sort_order=k) for k, person in enumerate(authors)
            )
            EditorialPageTag.objects.bulk_create(
                EditorialPageTag(content_object=page, tag=tags[name]) for name in rng.sample(TAGS, 3)
            )
        if n and n % 1000 == 0:
            log(f"  {n} reviews…")
    elapsed = time.perf_counter() - started
    log(f"seeded {reviews} reviews, {interviews} interviews, {people} people, {films} films in {elapsed:.0f}s")
    return elapsed
