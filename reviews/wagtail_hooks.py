from wagtail.snippets.models import register_snippet
from wagtail.snippets.views.chooser import SnippetChooserViewSet
from wagtail.snippets.views.snippets import SnippetViewSet, SnippetViewSetGroup

from people.views import snippet_creation_form

from .models import Festival, Film


class FilmChooserViewSet(SnippetChooserViewSet):
    """The film chooser, with an "Add film" tab for whoever may add films (editors and critics).

    Directors and the poster are chosen afterwards on the film's own page (the chooser's "Edit" link).
    """

    create_action_label = "Add film"

    @property
    def creation_form_class(self):
        return snippet_creation_form(
            Film, ["title", "original_title", "release_year", "runtime_minutes", "countries", "synopsis"]
        )


class FestivalChooserViewSet(SnippetChooserViewSet):
    """The festival chooser, with an "Add festival" tab for whoever may add festivals."""

    create_action_label = "Add festival"

    @property
    def creation_form_class(self):
        return snippet_creation_form(Festival, ["name", "year", "city"])


class FilmViewSet(SnippetViewSet):
    model = Film
    icon = "media"
    list_display = ["title", "release_year", "runtime_minutes"]
    list_filter = ["release_year"]
    chooser_viewset_class = FilmChooserViewSet


class FestivalViewSet(SnippetViewSet):
    model = Festival
    icon = "date"
    list_display = ["name", "year", "city"]
    chooser_viewset_class = FestivalChooserViewSet


class FilmsGroup(SnippetViewSetGroup):
    items = (FilmViewSet, FestivalViewSet)
    menu_icon = "media"
    menu_label = "Films"
    menu_name = "films"
    menu_order = 210


register_snippet(FilmsGroup)
