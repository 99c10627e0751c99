"""Grades are letters to readers and numbers to queries: they order and filter."""

import pytest

from reviews.factories import ReviewPageFactory
from reviews.models import Grade, ReviewPage


def test_the_scale_runs_from_a_plus_down_to_f():
    assert Grade.letters() == ["A+", "A", "A-", "B+", "B", "B-", "C+", "C", "C-", "D+", "D", "D-", "F"]


@pytest.mark.parametrize("letter", ["a-", " B+ ", "F"])
def test_letters_parse_case_and_space_insensitively(letter):
    assert Grade.from_letter(letter).label == letter.strip().upper()


@pytest.mark.parametrize("letter", ["E", "A++", "", None, "B +"])
def test_letters_off_the_scale_are_rejected(letter):
    with pytest.raises(ValueError, match="not a grade"):
        Grade.from_letter(letter)


@pytest.mark.django_db
def test_reviews_order_by_grade_and_filter_b_plus_or_better():
    for letter in ["C", "A-", "B+", "B", "A+"]:
        ReviewPageFactory(
            title=letter, slug=f"review-{Grade.from_letter(letter)}", grade=Grade.from_letter(letter)
        )

    best_first = ReviewPage.objects.order_by("-grade").values_list("title", flat=True)
    assert list(best_first) == ["A+", "A-", "B+", "B", "C"]

    b_plus_or_better = ReviewPage.objects.filter(grade__gte=Grade.B_PLUS)
    assert sorted(b_plus_or_better.values_list("title", flat=True)) == ["A+", "A-", "B+"]


@pytest.mark.django_db
def test_grade_letter_is_what_readers_see():
    assert ReviewPageFactory(grade=Grade.A_MINUS).grade_letter == "A-"
