"""The letter-grade scale."""

from django.db import models


class Grade(models.IntegerChoices):
    """The letter scale, stored as a number so that it orders and filters.

    ``grade >= Grade.B_PLUS`` means “B+ or better”.
    """

    F = 0, "F"
    D_MINUS = 1, "D-"
    D = 2, "D"
    D_PLUS = 3, "D+"
    C_MINUS = 4, "C-"
    C = 5, "C"
    C_PLUS = 6, "C+"
    B_MINUS = 7, "B-"
    B = 8, "B"
    B_PLUS = 9, "B+"
    A_MINUS = 10, "A-"
    A = 11, "A"
    A_PLUS = 12, "A+"

    @classmethod
    def from_letter(cls, letter):
        """``"B+"`` → ``Grade.B_PLUS``; raises ValueError for anything off the scale."""
        normalized = (letter or "").strip().upper()
        for grade in cls:
            if grade.label == normalized:
                return grade
        raise ValueError(f"{letter!r} is not a grade (use one of {', '.join(cls.letters())})")

    @classmethod
    def letters(cls):
        return [grade.label for grade in sorted(cls, reverse=True)]
