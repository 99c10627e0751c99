"""Load demo content: critics, films, reviews and interviews. Idempotent; DEBUG only."""

import colorsys
import hashlib
import re
from datetime import UTC, datetime, timedelta
from io import BytesIO

from django.conf import settings
from django.contrib.auth import get_user_model
from django.core.files.images import ImageFile
from django.core.management.base import BaseCommand, CommandError
from django.db import transaction
from PIL import Image as PILImage
from PIL import ImageDraw, ImageFont, ImageOps
from wagtail.images import get_image_model

from people.models import Person, Role
from reviews import demo_content as demo
from reviews.blocks import ImageLayout
from reviews.models import (
    EditorialPage,
    EditorialPageAuthor,
    Festival,
    Film,
    FilmDirector,
    Grade,
    HomePage,
    InterviewIndexPage,
    InterviewPage,
    InterviewPageInterviewee,
    ReviewIndexPage,
    ReviewPage,
)
from reviews.roles import setup_roles

DEMO_ADMIN_USERNAME = "admin"
DEMO_PASSWORD = "marquee-demo"  # noqa: S105 - local demo only, documented in README
# One login per role, to try moderation: a critic submits, an editor publishes.
DEMO_ROLE_LOGINS = {"editor": "Editors", "critic": "Critics"}
# The demo critic login writes as this demo critic: new reviews start with her byline.
DEMO_CRITIC_PERSON = "Maya Okafor"
INTERNAL_HREF = re.compile(r'<a href="/(reviews|interviews)/([\w-]+)/">')
FIRST_PUBLISHED = datetime(2012, 5, 20, 9, 0, tzinfo=UTC)


class Command(BaseCommand):
    help = "Create demo critics, films, reviews and interviews (idempotent; refuses when DEBUG is off)."

    def add_arguments(self, parser):
        parser.add_argument(
            "--force", action="store_true", help="Run even with DEBUG off (tests, benchmarks)."
        )

    def handle(self, *args, force=False, **options):
        if not settings.DEBUG and not force:
            raise CommandError("load_demo only runs with DEBUG on: it creates a known admin login.")
        with transaction.atomic():
            created = DemoLoader(self.stdout).load()
        self.stdout.write(self.style.SUCCESS(f"Demo content ready ({created} objects created)."))
        logins = ", ".join([DEMO_ADMIN_USERNAME, *DEMO_ROLE_LOGINS])
        self.stdout.write(f"Logins: {logins}; password {DEMO_PASSWORD} (local use only)")


class DemoLoader:
    def __init__(self, stdout):
        self.stdout = stdout
        self.created = 0
        self.people = {}
        self.films = {}
        self.images = {}

    def load(self):
        self.ensure_logins()
        for critic in demo.CRITICS:
            self.person(critic["name"], role="critic", **{k: v for k, v in critic.items() if k != "name"})
        self.link_login("critic", self.people[DEMO_CRITIC_PERSON])
        festivals = {
            (f["name"], f["year"]): self.get_or_create(Festival, name=f["name"], year=f["year"], defaults=f)
            for f in demo.FESTIVALS
        }
        for film in demo.FILMS:
            self.film(*film)
        reviews_index = self.section(ReviewIndexPage, "Reviews", "reviews")
        interviews_index = self.section(InterviewIndexPage, "Interviews", "interviews")
        for n, item in enumerate(demo.REVIEWS):
            self.editorial_page(ReviewPage, reviews_index, item, festivals, n)
        for n, item in enumerate(demo.INTERVIEWS):
            self.editorial_page(InterviewPage, interviews_index, item, festivals, n)
        self.link_internal_hrefs()
        return self.created

    # --- records ------------------------------------------------------------

    def get_or_create(self, model, defaults=None, **lookup):
        obj, created = model.objects.get_or_create(**lookup, defaults=defaults or {})
        self.created += created
        return obj

    def ensure_logins(self):
        User = get_user_model()
        if not User.objects.filter(username=DEMO_ADMIN_USERNAME).exists():
            User.objects.create_superuser(DEMO_ADMIN_USERNAME, "admin@marquee.example", DEMO_PASSWORD)
            self.created += 1
        groups = setup_roles()
        for username, group in DEMO_ROLE_LOGINS.items():
            if not User.objects.filter(username=username).exists():
                user = User.objects.create_user(
                    username, f"{username}@marquee.example", DEMO_PASSWORD, first_name=username.title()
                )
                user.groups.add(groups[group])
                self.created += 1

    def section(self, model, title, slug):
        """The site's first section of this kind (others an editor added stay as they are), or a new one."""
        section = model.first_in_tree()
        if section is None:
            section = HomePage.objects.get().add_child(instance=model(title=title, slug=slug))
            self.created += 1
        return section

    def link_login(self, username, person):
        """Tie a demo login to a demo person, unless either is already tied to someone."""
        user = get_user_model().objects.get(username=username)
        if person.user_id is None and not Person.objects.filter(user=user).exists():
            person.user = user
            person.save(update_fields=["user"])
            self.created += 1

    def person(self, name, role, **fields):
        if name in self.people:
            return self.people[name]
        person = Person.objects.filter(name=name).first()
        if person is None:
            person = Person(name=name, **fields)
            person.photo = self.image(f"Portrait: {name}", 600, 600, name)
            person.save()
            person.roles.add(Role.objects.get(slug=role))
            person.save()
            self.created += 1
        self.people[name] = person
        return person

    def film(self, title, year, directors, runtime, countries, synopsis, imdb_id):
        film = Film.objects.filter(title=title, release_year=year).first()
        if film is None:
            film = Film(
                title=title,
                release_year=year,
                runtime_minutes=runtime,
                countries=countries,
                synopsis=synopsis,
                imdb_id=imdb_id,
                poster=self.image(f"Poster: {title}", 600, 900, title),
            )
            film.directors = [FilmDirector(person=self.person(name, role="director")) for name in directors]
            film.save()
            self.created += 1
        self.films[title] = film
        return film

    def image(self, title, width, height, caption):
        """A generated placeholder image (no downloads), created once per title."""
        Image = get_image_model()
        existing = Image.objects.filter(title=title).first()
        if existing:
            return existing
        image = Image(title=title, description=title)
        image.file = ImageFile(BytesIO(_placeholder_png(width, height, caption)), name=_slug(title) + ".png")
        image.save()
        self.created += 1
        return image

    # --- pages --------------------------------------------------------------

    def editorial_page(self, model, parent, item, festivals, n):
        if model.objects.filter(slug=item["slug"]).exists():
            return
        film = self.films[item["film"]]
        authors = item.get("authors") or [item["author"]]
        page = model(
            title=item["title"],
            slug=item["slug"],
            summary=item["summary"],
            film=film,
            festival=festivals.get(item["festival"]) if item["festival"] else None,
            hero_image=self.image(f"Still: {film.title} (hero)", 1600, 900, film.title),
            body=self.body(item["body"], film),
        )
        if model is ReviewPage:
            page.grade = Grade.from_letter(item["grade"])
        page.authors = [EditorialPageAuthor(person=self.people[name]) for name in authors]
        if model is InterviewPage:
            page.interviewees = [
                InterviewPageInterviewee(person=self.person(name, role="director"))
                for name in item["interviewees"]
            ]
        parent.add_child(instance=page)
        page.tags.add(*item["tags"])
        page.save_revision().publish()
        published = FIRST_PUBLISHED + timedelta(days=n * 3, hours=len(authors))
        # A save, not a queryset update: the delivery store re-renders on the save signal.
        page.first_published_at = page.last_published_at = published
        page.save(update_fields=["first_published_at", "last_published_at"])
        self.created += 1

    def body(self, blocks, film):
        data = []
        for block_type, value in blocks:
            if block_type == "image":
                image = self.image(f"Still: {film.title} #{value}", 1600, 900, f"{film.title}: still {value}")
                value = {
                    "image": image.pk,
                    "alt_text": f"A still from {film.title}",
                    "decorative": False,
                    "caption": f"{film.title} ({film.release_year}), still {value}.",
                    "credit": "Courtesy of the distributor",
                    # The first still breaks out of the text, later ones sit beside it.
                    "layout": ImageLayout.WIDE if value == 1 else ImageLayout.INSET_RIGHT,
                }
            data.append({"type": block_type, "value": value})
        return data

    def link_internal_hrefs(self):
        """Turn demo links like ``/reviews/<slug>/`` into Wagtail page links.

        Run after every page exists, so that a review can link to the interview
        created after it. Only touches bodies that still hold such a link.
        """
        for page in EditorialPage.objects.specific():
            raw = page.body.raw_data
            changed = False
            for block in raw:
                if block["type"] == "text" and INTERNAL_HREF.search(block["value"]):
                    block["value"] = INTERNAL_HREF.sub(self._page_link, block["value"])
                    changed = True
            if changed:
                page.body = list(raw)
                page.save_revision().publish()

    def _page_link(self, match):
        target = EditorialPage.objects.filter(slug=match.group(2)).first()
        if target is None:
            return "<a>"
        return f'<a linktype="page" id="{target.pk}">'


def _slug(text):
    return re.sub(r"[^a-z0-9]+", "-", text.lower()).strip("-")[:80]


def _placeholder_png(width, height, caption):
    """A vertical gradient in a colour derived from the caption, with the caption on it."""
    digest = hashlib.sha256(caption.encode()).digest()
    hue = digest[0] / 255
    top = tuple(int(c * 255) for c in colorsys.hsv_to_rgb(hue, 0.55, 0.55))
    bottom = tuple(int(c * 255) for c in colorsys.hsv_to_rgb((hue + 0.1) % 1, 0.7, 0.2))
    gradient = PILImage.linear_gradient("L").resize((width, height))
    image = ImageOps.colorize(gradient, black=top, white=bottom)
    draw = ImageDraw.Draw(image)
    font = ImageFont.load_default(size=max(18, width // 22))
    draw.multiline_text((width // 16, height // 2), _wrap(caption, 24), fill=(245, 240, 230), font=font)
    buffer = BytesIO()
    image.save(buffer, format="PNG")
    return buffer.getvalue()


def _wrap(text, width):
    words, lines, line = text.split(), [], ""
    for word in words:
        if line and len(line) + len(word) > width:
            lines.append(line)
            line = word
        else:
            line = f"{line} {word}".strip()
    lines.append(line)
    return "\n".join(lines)
