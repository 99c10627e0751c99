"""Choosers that tell people apart, and that create what is missing.

Every person chooser (directors, interviewees) lists people by name with their
photo and roles; the byline chooser lists people with the critic role first,
since bylines are theirs. Each chooser has a "Create" tab (Wagtail's own
chooser creation form) for whoever may add the record: see ``snippet_creation_form``.
"""

from django.db.models import Exists, OuterRef
from wagtail.admin.panels import get_form_for_model
from wagtail.admin.ui.tables import Column
from wagtail.snippets.views.chooser import ChooseResultsView, ChooseView, SnippetChooserViewSet

from .models import Person, Role


def snippet_creation_form(model, fields):
    """The model's snippet form cut to ``fields``, for a chooser's "Create" tab.

    The same form class the snippet's add view uses (its panels' form: admin
    widgets, model validation, unique checks), limited to the plain fields a
    modal can hold: no inline formsets and no nested choosers, which an editor
    fills in afterwards through the chosen item's "Edit" link.
    """
    snippet_form = model.get_edit_handler().get_form_class()
    return get_form_for_model(model, form_class=snippet_form, fields=fields, formsets=[])


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


# What the "Add person" tab asks for; photo, links and login are set on the person's own page.
PERSON_CREATION_FIELDS = ["name", "roles", "bio"]


class PersonChooserViewSet(SnippetChooserViewSet):
    """The Person snippet's chooser (PersonViewSet.chooser_viewset_class).

    Whoever may add people (reviews/roles.py: editors) gets an "Add person" tab.
    """

    choose_view_class = PersonChooseView
    choose_results_view_class = PersonChooseResultsView
    create_action_label = "Add person"

    @property
    def creation_form_class(self):
        return snippet_creation_form(Person, PERSON_CREATION_FIELDS)


class BylineChooserViewSet(PersonChooserViewSet):
    """People with the critic role first, then everyone else; by name within each.

    A person added here starts with the critic role ticked.
    """

    model = Person
    choose_one_text = "Choose person"
    choose_another_text = "Choose another person"
    create_action_label = "Add critic"
    # Only the byline fields use this chooser (people/widgets.py); every other
    # foreign key to Person keeps the snippet's own chooser.
    register_widget = False

    @property
    def creation_form_class(self):
        form_class = super().creation_form_class

        class BylinePersonForm(form_class):
            def __init__(self, *args, **kwargs):
                super().__init__(*args, **kwargs)
                self.fields["roles"].initial = list(
                    Role.objects.filter(slug=Role.CRITIC).values_list("pk", flat=True)
                )

        return BylinePersonForm

    def get_object_list(self):
        is_critic = Exists(Person.roles.through.objects.filter(person=OuterRef("pk"), role__slug=Role.CRITIC))
        return (
            Person.objects.annotate(is_critic=is_critic)
            .order_by("-is_critic", "name")
            .select_related("photo")
            .prefetch_related("roles")
        )
