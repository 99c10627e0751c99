from wagtail import hooks
from wagtail.snippets.models import register_snippet
from wagtail.snippets.views.snippets import SnippetViewSet

from .models import Person
from .views import BylineChooserViewSet, PersonChooserViewSet
from .widgets import BYLINE_CHOOSER


class PersonViewSet(SnippetViewSet):
    model = Person
    icon = "user"
    menu_label = "People"
    menu_order = 200
    add_to_admin_menu = True
    list_display = ["name", "slug"]
    list_filter = ["roles"]
    chooser_viewset_class = PersonChooserViewSet


register_snippet(PersonViewSet)


@hooks.register("register_admin_viewset")
def register_byline_chooser():
    return BylineChooserViewSet(BYLINE_CHOOSER, url_prefix="people/byline-chooser", icon="user")
