"""The editorial roles and the moderation workflow. Idempotent; safe in production.

- **Editors**: create, edit and publish sections, reviews and interviews; manage
  people, films and festivals; upload images and documents; approve moderation
  tasks; manage webhook endpoints and redeliver their events. Their page
  permissions sit on the home page, so every section, present or future, is
  theirs.
- **Critics**: create reviews and interviews, edit their own and submit them
  for moderation; cannot publish, and cannot delete, move, unpublish or
  restrict any page (``add_page`` alone lets Wagtail edit only the pages one
  owns; reviews/permissions.py reserves deleting and moving to publishers);
  may choose and upload images; may add a film or a festival that is missing
  (from the page editor's chooser) but not change or delete one. People stay
  with editors: a critic asks an editor for a new byline or director. Their page permissions sit on each section (a
  review or interview index page), not on the home page, so they cannot add
  sections or edit the home page.

Reviews and interviews go through the "Editorial review" workflow: one
approval task assigned to Editors, assigned to each section.

Sections are content: an editor may add one at any time (say "Festival
dispatches" beside "Reviews"). ``grant_section`` gives a new section its
critics and its workflow; reviews/signal_handlers.py calls it when a section
is created, and ``setup_roles`` calls it for every section that exists.
"""

from django.contrib.auth.models import Group, Permission
from wagtail.models import (
    Collection,
    GroupApprovalTask,
    GroupCollectionPermission,
    GroupPagePermission,
    Workflow,
    WorkflowPage,
    WorkflowTask,
)

from reviews.models import HomePage, InterviewIndexPage, ReviewIndexPage

SECTION_MODELS = (ReviewIndexPage, InterviewIndexPage)
ROLES = {
    "Editors": {
        "pages_at": "home",
        "pages": ["add_page", "change_page", "publish_page", "lock_page", "unlock_page"],
        "collections": [
            "add_image",
            "change_image",
            "choose_image",
            "add_document",
            "change_document",
            "choose_document",
        ],
        "models": [
            "people.add_person",
            "people.change_person",
            "people.delete_person",
            "reviews.add_film",
            "reviews.change_film",
            "reviews.delete_film",
            "reviews.add_festival",
            "reviews.change_festival",
            "reviews.delete_festival",
            # Webhook endpoints (delivery/views.py): who is told of every change.
            "delivery.add_webhookendpoint",
            "delivery.change_webhookendpoint",
            "delivery.delete_webhookendpoint",
        ],
    },
    "Critics": {
        "pages_at": "section",
        # Not change_page: in Wagtail it edits (and deletes drafts of) everyone's pages.
        "pages": ["add_page"],
        "collections": ["add_image", "choose_image", "choose_document"],
        "models": ["reviews.add_film", "reviews.add_festival"],
    },
}
WORKFLOW_NAME = "Editorial review"


def permission(codename):
    app_label, _, name = codename.rpartition(".")
    queryset = Permission.objects.filter(codename=name)
    if app_label:
        queryset = queryset.filter(content_type__app_label=app_label)
    return queryset.get()


def sections():
    """Every review and interview section, in tree order."""
    return [page for model in SECTION_MODELS for page in model.objects.order_by("path")]


def grant_pages(group, page, codenames):
    """Exactly ``codenames`` for ``group`` on ``page``: a grant taken away is revoked here."""
    for codename in codenames:
        GroupPagePermission.objects.get_or_create(
            group=group, page=page, permission=permission(f"wagtailcore.{codename}")
        )
    GroupPagePermission.objects.filter(group=group, page=page).exclude(
        permission__codename__in=codenames
    ).delete()


def grant_section(section, workflow=None):
    """Give one section its section-level roles and the editorial workflow. Idempotent.

    Only what exists is granted: before ``setup_roles`` has run there are no
    groups and no workflow, and this does nothing.
    """
    for group in Group.objects.filter(name__in=ROLES):
        grants = ROLES[group.name]
        if grants["pages_at"] == "section":
            grant_pages(group, section, grants["pages"])
    workflow = workflow or Workflow.objects.filter(name=WORKFLOW_NAME).first()
    if workflow is not None:
        WorkflowPage.objects.update_or_create(page=section, defaults={"workflow": workflow})


def setup_roles():
    root_collection = Collection.get_first_root_node()
    groups = {}
    for name, grants in ROLES.items():
        group, _ = Group.objects.get_or_create(name=name)
        group.permissions.add(
            permission("wagtailadmin.access_admin"), *(permission(c) for c in grants["models"])
        )
        if grants["pages_at"] == "home":
            for home in HomePage.objects.all():
                grant_pages(group, home, grants["pages"])
        for codename in grants["collections"]:
            GroupCollectionPermission.objects.get_or_create(
                group=group, collection=root_collection, permission=permission(codename)
            )
        groups[name] = group

    task = GroupApprovalTask.objects.filter(name="Editors approve").first()
    if task is None:
        task = GroupApprovalTask.objects.create(name="Editors approve")
    task.groups.set([groups["Editors"]])
    workflow, _ = Workflow.objects.get_or_create(name=WORKFLOW_NAME)
    WorkflowTask.objects.get_or_create(workflow=workflow, task=task, defaults={"sort_order": 0})
    for section in sections():
        grant_section(section, workflow)
    return groups
