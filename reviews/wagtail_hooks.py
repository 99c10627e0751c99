from wagtail.snippets.models import register_snippet
from wagtail.snippets.views.snippets import SnippetViewSet, SnippetViewSetGroup

from .models import Festival, Film


class FilmViewSet(SnippetViewSet):
    model = Film
    icon = "media"
    list_display = ["title", "release_year", "runtime_minutes"]
    list_filter = ["release_year"]


class FestivalViewSet(SnippetViewSet):
    model = Festival
    icon = "date"
    list_display = ["name", "year", "city"]


class FilmsGroup(SnippetViewSetGroup):
    items = (FilmViewSet, FestivalViewSet)
    menu_icon = "media"
    menu_label = "Films"
    menu_name = "films"
    menu_order = 210


register_snippet(FilmsGroup)
