"""Seed a realistic corpus for the benchmark (run inside Django, see run.py).

Default: 2,000 reviews and 200 interviews of ~12 blocks each (7 text, 3 images,
2 pull quotes), 100 people, 500 films (``films_for``: four reviews per film at any
scale), a pool of 60 images with their API renditions made ahead. Pages are created through the page tree (treebeard) and
marked live directly, in bulk: the benchmark measures reading, not publishing.
"""

import random
import time
from datetime import UTC, datetime, timedelta
from io import BytesIO

from django.contrib.contenttypes.models import ContentType
from django.core.files.images import ImageFile
from django.db import transaction
from django.db.models import F
from PIL import Image as PILImage
from wagtail.images import get_image_model
from wagtail.models import Page
from wagtail.search.backends import get_search_backend

from delivery.store import batches
from people.models import Person, Role
from reviews.images import RENDITION_SPECS
from reviews.models import (
    EditorialPage,
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

WORDS = [
    "cinema",
    "frame",
    "light",
    "shadow",
    "director",
    "critic",
    "festival",
    "premiere",
    "documentary",
    "drama",
    "comedy",
    "thriller",
    "actor",
    "performance",
    "script",
    "camera",
    "edit",
    "sound",
    "score",
    "silence",
    "audience",
    "screen",
    "story",
    "character",
    "memory",
    "city",
    "night",
    "river",
    "road",
    "family",
    "war",
    "love",
    "grief",
    "revolution",
    "archive",
    "interview",
    "portrait",
]
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


BATCH = 1000


def bulk_add_children(parent, pages):
    """Insert live pages under ``parent`` in bulk: one statement per table per batch.

    ``add_child`` costs a dozen queries per page (tree update, revisions, search
    index, reference index); 50,000 reviews that way take over an hour. Here the
    tree paths are computed as treebeard would, the base ``Page`` rows are
    bulk-created, and each multi-table child level is inserted with Django's
    own ``_insert`` (``bulk_create`` refuses multi-table models).
    """
    parent.refresh_from_db()
    last = parent.get_last_child()
    start = (parent._str2int(last.path[-parent.steplen :]) if last else 0) + 1
    depth = parent.depth + 1
    content_type = ContentType.objects.get_for_model(type(pages[0]))
    locale = parent.locale
    with transaction.atomic():
        for n, page in enumerate(pages):
            page.path = Page._get_path(parent.path, depth, start + n)
            page.depth, page.numchild = depth, 0
            page.url_path = f"{parent.url_path}{page.slug}/"
            page.draft_title = page.title
            page.content_type, page.locale = content_type, locale
            page.live, page.has_unpublished_changes = True, False
            page.last_published_at = page.first_published_at
        base_rows = [
            Page(
                **{
                    f.attname: getattr(page, f.attname)
                    for f in Page._meta.concrete_fields
                    if f.attname != "id"
                }
            )
            for page in pages
        ]
        Page.objects.bulk_create(base_rows)
        for page, row in zip(pages, base_rows, strict=True):
            page.pk = page.id = page.page_ptr_id = page.editorialpage_ptr_id = row.pk
        for model in (EditorialPage, type(pages[0])):
            fields = model._meta.local_concrete_fields
            model._base_manager._insert(pages, fields=fields, using="default")
        Page.objects.filter(pk=parent.pk).update(numchild=F("numchild") + len(pages))
    return pages


def films_for(reviews):
    """Films in a corpus of ``reviews``: four reviews of each, as a publication that reviews
    a film more than once (festival dispatch, release review, a second opinion) has; at
    least 500. The same ratio at every scale keeps documents alike (a film's related
    list as long at 50,000 reviews as at 2,000), so the scales compare like with like."""
    return max(500, reviews // 4)


def seed(reviews=2000, interviews=200, people=100, films=500, images=60, seed_value=42, log=print):
    """Create the corpus unless a corpus of this size already exists. Returns seconds spent."""
    if ReviewPage.objects.count() >= reviews and InterviewPage.objects.count() >= interviews:
        log(
            f"corpus present: {ReviewPage.objects.count()} reviews, {InterviewPage.objects.count()} interviews"
        )
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
            person = Person(
                name=f"Bench Person {n}", bio=_sentence(rng, 20), photo=rng.choice(pool), x=f"bench{n}"
            )
            person.save()
            person.roles.add(critic if n < people * 0.6 else director)
            person.save()
            persons.append(person)
        critics, directors = persons[: int(people * 0.6)], persons[int(people * 0.6) :]
        festivals = [Festival.objects.get_or_create(name=f"Fest {n}", year=2010 + n)[0] for n in range(8)]
        film_rows = Film.objects.bulk_create(
            Film(
                title=f"Bench Film {n} {rng.choice(WORDS)}",
                slug=f"bench-film-{n}",
                release_year=rng.randrange(1960, 2025),
                runtime_minutes=rng.randrange(70, 180),
                countries="USA",
                synopsis=_sentence(rng, 25),
                poster=rng.choice(pool),
            )
            for n in range(films)
        )
        FilmDirector.objects.bulk_create(
            FilmDirector(film=film, person=rng.choice(directors)) for film in film_rows
        )

    review_index, interview_index = ReviewIndexPage.objects.get(), InterviewIndexPage.objects.get()
    published = datetime(2015, 1, 1, tzinfo=UTC)
    interview_pages = []
    interviews_by_film = {}
    for n in range(interviews):
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
        interview_pages.append((page, [rng.choice(critics)], [rng.choice(directors)]))
    for batch in batches(interview_pages, BATCH):
        pages = bulk_add_children(interview_index, [page for page, _, _ in batch])
        with transaction.atomic():
            EditorialPageAuthor.objects.bulk_create(
                EditorialPageAuthor(page_id=page.pk, person=people[0], sort_order=0)
                for page, (_, people, _) in zip(pages, batch, strict=True)
            )
            InterviewPageInterviewee.objects.bulk_create(
                InterviewPageInterviewee(page_id=page.pk, person=people[0], sort_order=0)
                for page, (_, _, people) in zip(pages, batch, strict=True)
            )
        interviews_by_film.update({page.film_id: page.pk for page in pages})

    tags = {
        name: EditorialPageTag.tag_model().objects.get_or_create(name=name, slug=name)[0] for name in TAGS
    }
    done = 0
    for batch_numbers in batches(list(range(reviews)), BATCH):
        batch = []
        for n in batch_numbers:
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
            batch.append((page, rng.sample(critics, rng.choice((1, 1, 1, 2))), rng.sample(TAGS, 3)))
        pages = bulk_add_children(review_index, [page for page, _, _ in batch])
        with transaction.atomic():
            EditorialPageAuthor.objects.bulk_create(
                EditorialPageAuthor(page_id=page.pk, person=person, sort_order=k)
                for page, (_, authors, _) in zip(pages, batch, strict=True)
                for k, person in enumerate(authors)
            )
            EditorialPageTag.objects.bulk_create(
                EditorialPageTag(content_object_id=page.pk, tag=tags[name])
                for page, (_, _, names) in zip(pages, batch, strict=True)
                for name in names
            )
        done += len(batch)
        if done % 5000 == 0:
            log(f"  {done} reviews…")
    log("  indexing for search…")
    backend = get_search_backend()
    for model in (ReviewPage, InterviewPage):
        index = backend.get_index_for_model(model)
        queryset = model.objects.all()
        for chunk in batches(list(queryset.values_list("pk", flat=True)), BATCH):
            index.add_items(model, list(model.objects.filter(pk__in=chunk)))
    elapsed = time.perf_counter() - started
    log(
        f"seeded {reviews} reviews, {interviews} interviews, {people} people, {films} films in {elapsed:.0f}s"
    )
    return elapsed


def build_store():
    """Render every public page the delivery store lacks; ``{"rendered", "seconds"}``."""
    from delivery.rebuild import rebuild

    started = time.perf_counter()
    outcomes = rebuild(only_missing=True)
    return {"rendered": outcomes["stored"], "seconds": time.perf_counter() - started}


def render_cost(samples=50):
    """Milliseconds to re-render one review into the store alone, and per review when the
    worker renders a claim of ten together (forced: the stored copies are blanked first)."""
    from delivery.models import StoredPage
    from delivery.store import write_batch, write_page

    page_ids = list(ReviewPage.objects.order_by("-pk").values_list("pk", flat=True)[:samples])
    StoredPage.objects.filter(pk__in=page_ids).update(full="")  # not "unchanged": really write
    timings = []
    for page_id in page_ids:
        started = time.perf_counter()
        write_page(page_id)
        timings.append((time.perf_counter() - started) * 1000)
    timings.sort()
    StoredPage.objects.filter(pk__in=page_ids).update(full="")
    started = time.perf_counter()
    for batch in batches(page_ids):
        write_batch(batch)
    return {
        "rerender_ms_p50": timings[len(timings) // 2],
        "rerender_ms_p99": timings[min(len(timings) - 1, int(len(timings) * 0.99))],
        "rerender_batched_ms_mean": (time.perf_counter() - started) * 1000 / len(page_ids),
    }


def tasks_run_since(moment):
    """Tasks the worker ran from ``moment`` (ISO 8601) on, by task: ``{task path: [count,
    seconds]}``, seconds of wall time between each task's start and finish."""
    from django.db.models import Count, F, Sum
    from django_tasks_db.models import DBTaskResult

    rows = (
        DBTaskResult.objects.filter(started_at__gte=moment, finished_at__isnull=False)
        .values("task_path")
        .annotate(n=Count("id"), took=Sum(F("finished_at") - F("started_at")))
    )
    return {row["task_path"]: [row["n"], round(row["took"].total_seconds(), 1)] for row in rows}


def queued_tasks():
    """Tasks waiting in the database queue, by task: ``{task path: count}``."""
    from django.db.models import Count
    from django_tasks_db.models import DBTaskResult

    ready = DBTaskResult.objects.ready().values("task_path").annotate(n=Count("id"))
    return {row["task_path"]: row["n"] for row in ready}


def keyset_paths(reviews, pages=10):
    """``?after=`` URLs for the last pages of the review listing (newest first), cursor-walked."""
    from delivery.models import StoredPage

    ordered = StoredPage.objects.filter(page_type="reviews.ReviewPage").order_by(
        "-first_published_at", "-page_id"
    )
    rows = list(ordered.values("page_id", "first_published_at")[max(reviews - 20 * (pages + 1), 0) :])
    from api.filters import encode_cursor

    paths = []
    for n in range(pages):
        cursor_row = rows[n * 20] if n * 20 < len(rows) else rows[-1]
        cursor = encode_cursor("first_published_at", True, cursor_row)
        paths.append(f"/api/v2/pages/?type=reviews.ReviewPage&fields=*&limit=20&after={cursor}")
    return paths
