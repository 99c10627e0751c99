"""People: critics, filmmakers and interviewees are one record each."""

from django import forms
from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.validators import RegexValidator, URLValidator
from django.db import models
from modelcluster.fields import ParentalManyToManyField
from modelcluster.models import ClusterableModel
from wagtail.admin.panels import FieldPanel, FieldRowPanel, MultiFieldPanel, ObjectList, TabbedInterface
from wagtail.search import index

from .slugs import unique_slug

handle_validator = RegexValidator(
    r"^@?[A-Za-z0-9_.\-]{1,64}$",
    "Enter the handle only (letters, digits, dot, dash, underscore), not a full URL.",
)


class Role(models.Model):
    """What a person does for or in the publication: critic, filmmaker, interviewee…"""

    CRITIC = "critic"  # the slug of the role bylines are for (created by migration 0002)

    slug = models.SlugField(unique=True)
    name = models.CharField(max_length=60)

    class Meta:
        ordering = ["name"]

    def __str__(self):
        return self.name


class Person(index.Indexed, ClusterableModel):
    name = models.CharField(max_length=200)
    slug = models.SlugField(
        max_length=200,
        unique=True,
        blank=True,
        help_text="Used in URLs and API filters (?author=<slug>). Filled from the name if left blank.",
    )
    bio = models.TextField(
        blank=True,
        help_text="Two or three sentences, shown in the author box under reviews.",
    )
    photo = models.ForeignKey(
        "wagtailimages.Image",
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    roles = ParentalManyToManyField(Role, blank=True, related_name="people")
    website = models.URLField(blank=True)
    public_email = models.EmailField(
        blank=True, help_text="Shown publicly. Leave blank to keep the address private."
    )
    bluesky = models.CharField(max_length=100, blank=True, validators=[handle_validator])
    instagram = models.CharField(max_length=100, blank=True, validators=[handle_validator])
    letterboxd = models.CharField(max_length=100, blank=True, validators=[handle_validator])
    x = models.CharField("X (Twitter)", max_length=100, blank=True, validators=[handle_validator])
    # SET_NULL: deleting a login keeps the person and their bylines.
    user = models.OneToOneField(
        settings.AUTH_USER_MODEL,
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="person",
        verbose_name="admin login",
        help_text=(
            "The person's own login, if they write for Marquee: their new reviews and interviews "
            "start with them in the byline, and unless they may publish they can only save a "
            "byline that includes them."
        ),
    )

    profile_panels = [
        FieldPanel("name"),
        FieldPanel("slug"),
        FieldPanel("photo"),
        FieldPanel("bio"),
        FieldPanel("roles", widget=forms.CheckboxSelectMultiple),
        FieldPanel("user"),
    ]
    links_panels = [
        FieldPanel("website"),
        FieldPanel("public_email"),
        MultiFieldPanel(
            [
                FieldRowPanel([FieldPanel("bluesky"), FieldPanel("instagram")]),
                FieldRowPanel([FieldPanel("letterboxd"), FieldPanel("x")]),
            ],
            heading="Social handles",
            help_text="Handles only, e.g. @janedoe.",
        ),
    ]
    edit_handler = TabbedInterface(
        [
            ObjectList(profile_panels, heading="Profile"),
            ObjectList(links_panels, heading="Links"),
        ]
    )

    search_fields = [
        index.SearchField("name"),
        index.AutocompleteField("name"),
        index.SearchField("bio"),
        index.FilterField("slug"),
    ]

    class Meta:
        ordering = ["name"]
        verbose_name_plural = "people"

    def __str__(self):
        return self.name

    def save(self, *args, **kwargs):
        if not self.slug:
            self.slug = unique_slug(Person, self.name, self.pk)
        super().save(*args, **kwargs)

    @classmethod
    def of_user(cls, user):
        """The person a login belongs to, or None."""
        if user is None or not user.is_authenticated:
            return None
        return cls.objects.filter(user=user).first()

    @property
    def links(self):
        """Public links as absolute URLs, keyed by platform; blanks omitted."""
        links = {
            "website": self.website if _is_web_address(self.website) else "",
            "email": f"mailto:{self.public_email}" if self.public_email else "",
            "bluesky": _profile_url("https://bsky.app/profile/", self.bluesky),
            "instagram": _profile_url("https://www.instagram.com/", self.instagram),
            "letterboxd": _profile_url("https://letterboxd.com/", self.letterboxd),
            "x": _profile_url("https://x.com/", self.x),
        }
        return {platform: url for platform, url in links.items() if url}


def _is_web_address(url):
    """True for an absolute http(s) URL. The admin form checks this; stored data need not have passed it."""
    try:
        URLValidator(schemes=["http", "https"])(url)
    except ValidationError:
        return False
    return True


def _profile_url(prefix, handle):
    return f"{prefix}{handle.lstrip('@')}" if handle else ""
