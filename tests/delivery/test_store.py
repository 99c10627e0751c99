"""The delivery store: public pages only, re-rendered exactly where a change reaches.

These are the guarantees the read path relies on: every stored document equals
a fresh render of the database (``drift() == []``), nothing non-public is ever
stored, and a change re-renders the documents that showed it, and no others.
"""

from datetime import timedelta
from io import StringIO

import pytest
from django.core.management import CommandError, call_command
from django.db.models import F
from django.utils import timezone
from wagtail.models import PageViewRestriction

from delivery.models import Change, StoredCount, StoredPage
from delivery.rebuild import drift
from people.factories import CriticFactory
from reviews.factories import FilmFactory, InterviewPageFactory, ReviewPageFactory
from reviews.models import EditorialPageRelatedLink

pytestmark = pytest.mark.django_db


def rerendered_since(seq):
    """Page ids written or removed after change ``seq``."""
    return set(Change.objects.filter(seq__gt=seq).values_list("page_id", flat=True))


def last_seq():
    return Change.objects.order_by("-seq").values_list("seq", flat=True).first() or 0


def stored_ids():
    return set(StoredPage.objects.values_list("pk", flat=True))


def test_published_pages_are_stored_and_equal_a_fresh_render():
    review = ReviewPageFactory()
    interview = InterviewPageFactory(film=review.film)
    assert {review.pk, interview.pk} <= stored_ids()
    assert drift() == []


def test_non_public_pages_are_never_stored(reviews_index):
    draft = ReviewPageFactory(live=False)
    scheduled = ReviewPageFactory(live=False, go_live_at=timezone.now() + timedelta(days=1))
    restricted = ReviewPageFactory()
    PageViewRestriction.objects.create(page=restricted, restriction_type="password", password="x")
    assert not {draft.pk, scheduled.pk, restricted.pk} & stored_ids()
    assert drift() == []


def test_a_restricted_section_takes_its_pages_out_and_lifting_it_brings_them_back(reviews_index):
    review = ReviewPageFactory()
    restriction = PageViewRestriction.objects.create(page=reviews_index, restriction_type="login")
    assert review.pk not in stored_ids()
    assert reviews_index.pk not in stored_ids()
    restriction.delete()
    assert review.pk in stored_ids()
    assert drift() == []


def test_unpublishing_removes_the_page_and_rerenders_pages_that_listed_it():
    film = FilmFactory()
    review = ReviewPageFactory(film=film)
    interview = InterviewPageFactory(film=film)
    seq = last_seq()
    interview.unpublish()
    assert interview.pk not in stored_ids()
    assert rerendered_since(seq) == {interview.pk, review.pk}  # the review's related list changed
    assert drift() == []


def test_a_new_review_of_a_film_rerenders_its_siblings_only():
    film = FilmFactory()
    sibling = ReviewPageFactory(film=film)
    unrelated = ReviewPageFactory()
    unrelated_etag = StoredPage.objects.get(pk=unrelated.pk).etag
    seq = last_seq()
    newcomer = InterviewPageFactory(film=film)
    assert rerendered_since(seq) == {newcomer.pk, sibling.pk}
    assert StoredPage.objects.get(pk=unrelated.pk).etag == unrelated_etag
    assert drift() == []


def test_renaming_a_critic_rerenders_exactly_their_pages():
    critic = CriticFactory(name="Ana Critic")
    theirs = {ReviewPageFactory(authors=[critic]).pk for _ in range(30)}
    unrelated = ReviewPageFactory()
    unrelated_etag = StoredPage.objects.get(pk=unrelated.pk).etag
    seq = last_seq()
    critic.name = "Ana Critic-Jones"
    critic.save()
    assert rerendered_since(seq) == theirs
    assert StoredPage.objects.get(pk=unrelated.pk).etag == unrelated_etag
    assert drift() == []


def test_pages_rendered_together_keep_their_own_dependencies():
    critic = CriticFactory()
    linked = ReviewPageFactory(title="Linked")
    linking, other = ReviewPageFactory(authors=[critic]), ReviewPageFactory(authors=[critic])
    EditorialPageRelatedLink.objects.create(page=linking, related_page=linked)
    seq = last_seq()
    critic.name = "Renamed"
    critic.save()
    assert rerendered_since(seq) == {linking.pk, other.pk}  # rendered together, in one batch
    seq = last_seq()
    linked.title = "Linked, retitled"
    linked.save_revision().publish()
    # Only the review that links to it shows it: rendering the other beside it recorded nothing of it.
    assert rerendered_since(seq) == {linked.pk, linking.pk}
    assert drift() == []


def test_renders_share_their_queries_across_a_batch(django_assert_max_num_queries):
    critic = CriticFactory()
    film = FilmFactory()
    reviews = [ReviewPageFactory(authors=[critic], film=film if n % 2 else None) for n in range(30)]
    for review in reviews[::3]:
        review.tags.add("festival", "debut")
        review.save_revision().publish()
    critic.name = "Renamed"
    seq = last_seq()
    # 30 reviews to re-render: a few statements per page for its own writes (its row, its change,
    # a savepoint), not one per relation it shows (rendered one at a time, they take 657).
    with django_assert_max_num_queries(30 * 8):
        critic.save()
    assert rerendered_since(seq) == {review.pk for review in reviews}
    assert drift() == []


def test_rebuilding_a_current_store_writes_nothing():
    film = FilmFactory()
    pages = [ReviewPageFactory(film=film), ReviewPageFactory(film=film), InterviewPageFactory(film=film)]
    etags = dict(StoredPage.objects.values_list("pk", "etag"))
    seq = last_seq()
    output = StringIO()
    call_command("rebuild_delivery", "--no-progress", stdout=output)
    # Idempotent: nothing in the change log, so no webhook and no sync entry, and the same bytes.
    assert rerendered_since(seq) == set()
    assert "0 stored" in output.getvalue() and f"{len(etags)} unchanged" in output.getvalue()
    assert dict(StoredPage.objects.values_list("pk", "etag")) == etags
    assert {page.pk for page in pages} <= etags.keys()


def test_changing_an_image_rerenders_the_pages_that_show_it():
    review = ReviewPageFactory()
    other = ReviewPageFactory()
    seq = last_seq()
    review.hero_image.title = "A new title"
    review.hero_image.save()
    assert rerendered_since(seq) == {review.pk}
    assert drift() == []
    assert other.pk in stored_ids()


def test_moving_a_page_rerenders_its_url_and_the_pages_linking_to_it(reviews_index, interviews_index):
    film = FilmFactory()
    review = ReviewPageFactory(film=film, slug="moved")
    sibling = InterviewPageFactory(film=film)
    seq = last_seq()
    review.slug = "moved-again"
    review.save_revision().publish()
    assert rerendered_since(seq) == {review.pk, sibling.pk}
    assert StoredPage.objects.get(pk=review.pk).url_path.endswith("/moved-again/")
    assert drift() == []


def test_deleting_a_page_removes_it_and_rerenders_its_siblings():
    film = FilmFactory()
    review = ReviewPageFactory(film=film)
    sibling = InterviewPageFactory(film=film)
    review.delete()
    assert review.pk not in stored_ids()
    assert drift() == []
    assert sibling.pk in stored_ids()


def test_row_counters_follow_publish_unpublish_and_delete_and_drift_is_reported():
    """Listings' ``total_count`` comes from StoredCount: it must track every write, and
    ``check_delivery`` must say so when it does not."""
    first, second = ReviewPageFactory(), ReviewPageFactory()
    second.unpublish()
    first.delete()
    ReviewPageFactory()
    assert drift() == []
    StoredCount.objects.filter(pk="reviews.ReviewPage").update(rows=F("rows") + 1)
    output = StringIO()
    with pytest.raises(CommandError):
        call_command("check_delivery", stdout=output)
    assert "reviews.ReviewPage: counter says 2, the store holds 1" in output.getvalue()
