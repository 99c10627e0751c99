"""Films, festivals and the editorial pages that point at them.

The page tree: Home → sections → pages. A section is a review index page
(holding ReviewPages) or an interview index page (holding InterviewPages); the
home page holds any number of each, e.g. "Reviews" and "Festival dispatches". Reviews and interviews share a concrete
``EditorialPage`` base so that authors, tags, film and festival live in one
table each and the API filters both types with one query.
"""

from django.conf import settings
from django.core.validators import MaxValueValidator, MinValueValidator, RegexValidator
from django.db import models
from django.shortcuts import redirect
from modelcluster.contrib.taggit import ClusterTaggableManager
from modelcluster.fields import ParentalKey
from modelcluster.models import ClusterableModel
from taggit.models import TaggedItemBase
from wagtail.admin.forms import WagtailAdminPageForm
from wagtail.admin.panels import (
    FieldPanel,
    FieldRowPanel,
    InlinePanel,
    MultiFieldPanel,
    MultipleChooserPanel,
    ObjectList,
    PageChooserPanel,
    TabbedInterface,
)
from wagtail.api import APIField
from wagtail.fields import RichTextField, StreamField
from wagtail.models import Orderable, Page
from wagtail.search import index

from people.models import Person
from people.slugs import unique_slug
from people.widgets import BylineChooser

from .blocks import BodyBlock, InterviewBodyBlock
from .grades import Grade
from .permissions import EditorialPermissionsMixin
from .preview import frontend_preview_url

# --- Films and festivals -------------------------------------------------------


class Film(index.Indexed, ClusterableModel):
    """A film as a first-class record: reviews and interviews point at it."""

    title = models.CharField(max_length=255)
    original_title = models.CharField(
        max_length=255, blank=True, help_text="Title in the original language, if different."
    )
    slug = models.SlugField(max_length=255, unique=True, blank=True)
    release_year = models.PositiveSmallIntegerField(
        validators=[MinValueValidator(1878), MaxValueValidator(2100)],
        help_text="Year of first public release.",
    )
    runtime_minutes = models.PositiveSmallIntegerField(
        null=True, blank=True, validators=[MinValueValidator(1), MaxValueValidator(1500)]
    )
    countries = models.CharField(
        max_length=255, blank=True, help_text="Production countries, comma-separated, e.g. “China, USA”."
    )
    poster = models.ForeignKey(
        "wagtailimages.Image", null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    synopsis = models.TextField(blank=True, help_text="A spoiler-free paragraph.")
    imdb_id = models.CharField(
        "IMDb id",
        max_length=20,
        blank=True,
        validators=[RegexValidator(r"^tt\d{5,10}$", "An IMDb id looks like tt1234567.")],
    )
    tmdb_id = models.PositiveIntegerField("TMDB id", null=True, blank=True)
    wikidata_id = models.CharField(
        "Wikidata id",
        max_length=20,
        blank=True,
        validators=[RegexValidator(r"^Q\d+$", "A Wikidata id looks like Q123456.")],
    )

    panels = [
        MultiFieldPanel(
            [
                FieldPanel("title"),
                FieldPanel("original_title"),
                FieldPanel("slug"),
                FieldRowPanel([FieldPanel("release_year"), FieldPanel("runtime_minutes")]),
                FieldPanel("countries"),
            ],
            heading="Film",
        ),
        MultipleChooserPanel(
            "directors", chooser_field_name="person", label="Directors", heading="Directors"
        ),
        FieldPanel("poster"),
        FieldPanel("synopsis"),
        MultiFieldPanel(
            [FieldPanel("imdb_id"), FieldPanel("tmdb_id"), FieldPanel("wikidata_id")],
            heading="External ids",
            classname="collapsed",
        ),
    ]

    search_fields = [
        index.SearchField("title"),
        index.AutocompleteField("title"),
        index.SearchField("original_title"),
        index.FilterField("release_year"),
        index.RelatedFields("directors", [index.RelatedFields("person", [index.SearchField("name")])]),
    ]

    class Meta:
        ordering = ["title", "release_year"]

    def __str__(self):
        return f"{self.title} ({self.release_year})"

    def save(self, *args, **kwargs):
        if not self.slug:
            self.slug = unique_slug(Film, f"{self.title} {self.release_year}", self.pk)
        super().save(*args, **kwargs)

    @property
    def country_list(self):
        return [country.strip() for country in self.countries.split(",") if country.strip()]


class FilmDirector(Orderable):
    """Ordered directors of a film. PROTECT: a director with films cannot be deleted."""

    film = ParentalKey(Film, on_delete=models.CASCADE, related_name="directors")
    person = models.ForeignKey("people.Person", on_delete=models.PROTECT, related_name="+")

    panels = [FieldPanel("person")]

    class Meta(Orderable.Meta):
        unique_together = [("film", "person")]


class Festival(index.Indexed, models.Model):
    """One edition of a festival, e.g. SIFF 2012."""

    name = models.CharField(max_length=120, help_text="e.g. “SIFF” or “Berlinale”.")
    year = models.PositiveSmallIntegerField(validators=[MinValueValidator(1900), MaxValueValidator(2100)])
    city = models.CharField(max_length=120, blank=True)
    slug = models.SlugField(max_length=140, unique=True, blank=True)

    panels = [FieldPanel("name"), FieldPanel("year"), FieldPanel("city"), FieldPanel("slug")]
    search_fields = [index.SearchField("name"), index.AutocompleteField("name")]

    class Meta:
        ordering = ["-year", "name"]
        unique_together = [("name", "year")]

    def __str__(self):
        return f"{self.name} {self.year}"

    def save(self, *args, **kwargs):
        if not self.slug:
            self.slug = unique_slug(Festival, f"{self.name} {self.year}", self.pk)
        super().save(*args, **kwargs)


# --- Site structure -----------------------------------------------------------


class HomePage(EditorialPermissionsMixin, Page):
    intro = RichTextField(blank=True, features=["bold", "italic", "link"])

    content_panels = Page.content_panels + [FieldPanel("intro")]

    parent_page_types = ["wagtailcore.Page"]
    subpage_types = ["reviews.ReviewIndexPage", "reviews.InterviewIndexPage"]
    max_count = 1

    template = "reviews/index_page.html"


class Section:
    """A section of the site: any number of each kind under the home page.

    Roles and the moderation workflow follow every section (reviews/roles.py).
    """

    @classmethod
    def first_in_tree(cls):
        """The first section of this kind in tree order: the one the site was built with."""
        return cls.objects.order_by("path").first()


class ReviewIndexPage(EditorialPermissionsMixin, Section, Page):
    intro = models.TextField(blank=True)

    content_panels = Page.content_panels + [FieldPanel("intro")]

    parent_page_types = ["reviews.HomePage"]
    subpage_types = ["reviews.ReviewPage"]

    template = "reviews/index_page.html"


class InterviewIndexPage(EditorialPermissionsMixin, Section, Page):
    intro = models.TextField(blank=True)

    content_panels = Page.content_panels + [FieldPanel("intro")]

    parent_page_types = ["reviews.HomePage"]
    subpage_types = ["reviews.InterviewPage"]

    template = "reviews/index_page.html"


# --- Editorial pages ----------------------------------------------------------


class EditorialPageTag(TaggedItemBase):
    content_object = ParentalKey(
        "reviews.EditorialPage", on_delete=models.CASCADE, related_name="tagged_items"
    )


class EditorialPageForm(WagtailAdminPageForm):
    """The page form of reviews and interviews: bylines tied to logins.

    - A new page starts with the author's own person in the byline, when their
      login is linked to one (``Person.user``).
    - Whoever may not publish the page (a critic) can only save a byline that
      includes them; leaving someone else's byline as it was is fine (fixing a
      typo in a colleague's draft). Editors may set any byline.
    - A subclass may require the film (reviews always review one).
    """

    film_required = False

    def __init__(self, *args, **kwargs):
        instance, user = kwargs.get("instance"), kwargs.get("for_user")
        is_new = instance is not None and instance.pk is None
        if is_new and not args and kwargs.get("data") is None and not list(instance.authors.all()):
            person = Person.of_user(user)
            if person is not None:
                instance.authors = [EditorialPageAuthor(person=person)]
        super().__init__(*args, **kwargs)
        if "film" in self.fields:
            self.fields["film"].required = self.film_required
        # Before the submitted byline is applied to the instance.
        self.byline_before = {link.person_id for link in self.instance.authors.all()}

    def clean(self):
        cleaned_data = super().clean()
        self.check_byline()
        return cleaned_data

    def may_publish(self, user):
        if self.instance.pk is None:
            return self.parent_page.permissions_for_user(user).can_publish_subpage()
        return self.instance.permissions_for_user(user).can_publish()

    def check_byline(self):
        formset = self.formsets.get("authors")
        user = self.for_user
        if formset is None or user is None or not formset.is_valid() or self.may_publish(user):
            return
        byline = {
            form.cleaned_data["person"].pk
            for form in formset.forms
            if form.cleaned_data.get("person") and not form.cleaned_data.get("DELETE")
        }
        if byline == self.byline_before:
            return
        person = Person.of_user(user)
        if person is None:
            self.add_error(
                None, "Your login is not linked to a person, so you cannot sign a byline: ask an editor."
            )
        elif person.pk not in byline:
            self.add_error(None, f"The byline must include you ({person.name}); an editor can change it.")


class ReviewPageForm(EditorialPageForm):
    film_required = True


class EditorialPage(EditorialPermissionsMixin, Page):
    """What reviews and interviews share. Not creatable on its own."""

    summary = models.TextField(
        max_length=400,
        help_text="The standfirst: one or two sentences for listings, search results and SEO.",
    )
    film = models.ForeignKey(
        "reviews.Film",
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="editorial_pages",
    )
    festival = models.ForeignKey(
        "reviews.Festival",
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="editorial_pages",
        help_text="Where the film was seen, if at a festival.",
    )
    hero_image = models.ForeignKey(
        "wagtailimages.Image",
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
        help_text=(
            "Wide image at the top of the page. Listings' thumbnails and social cards use it; "
            "without one they use the first image in the body, then the film's poster."
        ),
    )
    social_image = models.ForeignKey(
        "wagtailimages.Image",
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
        help_text="Overrides the hero image (or its stand-in) on social cards, cropped to 1200×630.",
    )
    tags = ClusterTaggableManager(through=EditorialPageTag, blank=True)

    search_fields = Page.search_fields + [
        index.SearchField("summary"),
        index.RelatedFields("film", [index.SearchField("title"), index.SearchField("original_title")]),
        index.RelatedFields("authors", [index.RelatedFields("person", [index.SearchField("name")])]),
        index.FilterField("film"),
        index.FilterField("festival"),
    ]

    # The public JSON contract (docs/api.md), in order; each is built by reviews/serializers.py.
    api_fields = [
        APIField("summary"),
        APIField("film"),
        APIField("film_title"),
        APIField("festival"),
        APIField("authors"),
        APIField("author_names"),
        APIField("hero_image"),
        APIField("thumbnail"),
        APIField("tags"),
        APIField("body"),
        APIField("related"),
        APIField("canonical_url"),
        APIField("social_image"),
        # schema.org JSON-LD of the page (reviews/structured_data.py); built from the fields above.
        APIField("structured_data"),
    ]
    # What a listing shows without ?fields=: enough for a card.
    api_listing_fields = ["summary", "film_title", "author_names", "thumbnail", "tags"]

    is_creatable = False
    base_form_class = EditorialPageForm

    # Panels are assembled per subclass from these pieces.
    seo_panels = [
        MultiFieldPanel(
            [FieldPanel("slug"), FieldPanel("seo_title"), FieldPanel("search_description")],
            heading="For search engines",
        ),
        FieldPanel("social_image"),
        InlinePanel(
            "related_links",
            label="Related page",
            heading="Related pages",
            help_text="Reviews and interviews of the same film are linked automatically; add others here.",
        ),
    ]

    def get_url_parts(self, request=None):
        """The page's public URL is on the frontend: the admin's "View live", ``full_url``."""
        parts = super().get_url_parts(request)
        if parts is None or not settings.FRONTEND_BASE_URL:
            return parts
        site_id, _django_root, page_path = parts
        return site_id, settings.FRONTEND_BASE_URL, page_path

    def get_url(self, request=None, current_site=None):
        # Always absolute: a relative URL would resolve against Django, not the frontend.
        return self.get_full_url(request)

    url = property(get_url)

    def serve_preview(self, request, mode_name):
        """Preview in the real frontend when one is configured, else the plain template."""
        url = frontend_preview_url(self, request)
        return redirect(url) if url else super().serve_preview(request, mode_name)

    @property
    def ordered_authors(self):
        return [link.person for link in self.authors.all()]

    def get_related_pages(self):
        """Related public pages, exactly as the API lists them (for the server-rendered preview)."""
        from .selectors import related_pages_of  # selectors builds its queries on these models

        return related_pages_of(self)


class EditorialPageAuthor(Orderable):
    """A byline. PROTECT: a critic with published work cannot be deleted."""

    page = ParentalKey(EditorialPage, on_delete=models.CASCADE, related_name="authors")
    person = models.ForeignKey("people.Person", on_delete=models.PROTECT, related_name="+")

    panels = [FieldPanel("person", widget=BylineChooser)]

    class Meta(Orderable.Meta):
        unique_together = [("page", "person")]


class EditorialPageRelatedLink(Orderable):
    """A hand-made link to another review or interview."""

    page = ParentalKey(EditorialPage, on_delete=models.CASCADE, related_name="related_links")
    related_page = models.ForeignKey(EditorialPage, on_delete=models.CASCADE, related_name="+")

    panels = [PageChooserPanel("related_page", ["reviews.ReviewPage", "reviews.InterviewPage"])]


class ReviewPage(EditorialPage):
    grade = models.PositiveSmallIntegerField(
        choices=Grade.choices,
        help_text="The critic's letter grade. Filters use its order: “B+ or better”.",
    )
    body = StreamField(BodyBlock(), help_text="The review: text, images and pull quotes.")

    content_panels = Page.content_panels + [
        FieldPanel("summary"),
        MultiFieldPanel(
            [FieldPanel("film"), FieldRowPanel([FieldPanel("grade"), FieldPanel("festival")])],
            heading="Verdict",
        ),
        MultipleChooserPanel(
            "authors", chooser_field_name="person", label="Critic", heading="Critics", min_num=1
        ),
        FieldPanel("hero_image"),
        FieldPanel("body"),
        FieldPanel("tags"),
    ]
    edit_handler = TabbedInterface(
        [
            ObjectList(content_panels, heading="Content"),
            ObjectList(EditorialPage.seo_panels, heading="SEO and related"),
            ObjectList(Page.settings_panels, heading="Publishing"),
        ]
    )

    search_fields = EditorialPage.search_fields + [
        index.SearchField("body"),
        index.FilterField("grade"),
    ]

    api_fields = EditorialPage.api_fields[:1] + [
        APIField("grade"),
        APIField("grade_score"),
        *EditorialPage.api_fields[1:],
    ]
    api_listing_fields = ["summary", "grade", "grade_score", *EditorialPage.api_listing_fields[1:]]

    parent_page_types = ["reviews.ReviewIndexPage"]
    subpage_types = []
    base_form_class = ReviewPageForm

    template = "reviews/editorial_page.html"

    @property
    def grade_letter(self):
        return Grade(self.grade).label


class InterviewPage(EditorialPage):
    body = StreamField(InterviewBodyBlock(), help_text="Introduction, then the exchanges.")

    content_panels = Page.content_panels + [
        FieldPanel("summary"),
        MultipleChooserPanel(
            "interviewees",
            chooser_field_name="person",
            label="Interviewee",
            heading="Interviewees",
            min_num=1,
        ),
        MultipleChooserPanel(
            "authors", chooser_field_name="person", label="Interviewer", heading="Interviewers", min_num=1
        ),
        FieldRowPanel([FieldPanel("film"), FieldPanel("festival")]),
        FieldPanel("hero_image"),
        FieldPanel("body"),
        FieldPanel("tags"),
    ]
    edit_handler = TabbedInterface(
        [
            ObjectList(content_panels, heading="Content"),
            ObjectList(EditorialPage.seo_panels, heading="SEO and related"),
            ObjectList(Page.settings_panels, heading="Publishing"),
        ]
    )

    search_fields = EditorialPage.search_fields + [
        index.SearchField("body"),
        index.RelatedFields("interviewees", [index.RelatedFields("person", [index.SearchField("name")])]),
    ]

    api_fields = EditorialPage.api_fields[:1] + [
        APIField("interviewees"),
        APIField("interviewee_names"),
        *EditorialPage.api_fields[1:],
    ]
    api_listing_fields = ["summary", "interviewee_names", *EditorialPage.api_listing_fields[1:]]

    parent_page_types = ["reviews.InterviewIndexPage"]
    subpage_types = []

    template = "reviews/editorial_page.html"


class InterviewPageInterviewee(Orderable):
    page = ParentalKey(InterviewPage, on_delete=models.CASCADE, related_name="interviewees")
    person = models.ForeignKey("people.Person", on_delete=models.PROTECT, related_name="+")

    panels = [FieldPanel("person")]

    class Meta(Orderable.Meta):
        unique_together = [("page", "person")]
