"""Choosers that tell people apart: each row shows the person's photo and roles.

Every person chooser (directors, interviewees) lists people by name; the byline
chooser lists people with the critic role first, since bylines are theirs.
"""

from django.db.models import Exists, OuterRef
from wagtail.admin.ui.tables import Column
from wagtail.snippets.views.chooser import ChooseResultsView, ChooseView, SnippetChooserViewSet

from .models import Person, Role


class PhotoColumn(Column):
    """A small square thumbnail of the person's photo, or nothing."""

    cell_template_name = "people/tables/photo_cell.html"


def role_names(person):
    return ", ".join(role.name for role in person.roles.all())


class PersonColumnsMixin:
    @property
    def columns(self):
        return [
            PhotoColumn("photo", label="Photo", width="56px"),
            *super().columns,
            Column("roles", label="Roles", accessor=role_names),
        ]

    def get_object_list(self):
        return super().get_object_list().select_related("photo").prefetch_related("roles")


class PersonChooseView(PersonColumnsMixin, ChooseView):
    pass


class PersonChooseResultsView(PersonColumnsMixin, ChooseResultsView):
    pass


class PersonChooserViewSet(SnippetChooserViewSet):
    """The Person snippet's chooser (PersonViewSet.chooser_viewset_class)."""

    choose_view_class = PersonChooseView
    choose_results_view_class = PersonChooseResultsView


class BylineChooserViewSet(PersonChooserViewSet):
    """People with the critic role first, then everyone else; by name within each."""

    model = Person
    choose_one_text = "Choose person"
    choose_another_text = "Choose another person"
    # Only the byline fields use this chooser (people/widgets.py); every other
    # foreign key to Person keeps the snippet's own chooser.
    register_widget = False

    def get_object_list(self):
        is_critic = Exists(Person.roles.through.objects.filter(person=OuterRef("pk"), role__slug=Role.CRITIC))
        return (
            Person.objects.annotate(is_critic=is_critic)
            .order_by("-is_critic", "name")
            .select_related("photo")
            .prefetch_related("roles")
        )
