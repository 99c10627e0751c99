"""The byline chooser: people with the critic role first, each with photo and roles."""

from django.urls import reverse
from wagtail.snippets.widgets import AdminSnippetChooser

from .models import Person

# URL namespace of the chooser views behind the widget (people/views.py, registered in wagtail_hooks.py).
BYLINE_CHOOSER = "people_byline_chooser"


class BylineChooser(AdminSnippetChooser):
    """Person chooser for bylines (review critics, interviewers): opens the byline chooser modal."""

    def __init__(self, **kwargs):
        super().__init__(Person, **kwargs)

    def get_chooser_modal_url(self):
        return reverse(f"{BYLINE_CHOOSER}:choose")
