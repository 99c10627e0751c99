"""The editorial roles and the moderation workflow. Idempotent; safe in production.

- **Editors**: create, edit and publish reviews and interviews; manage people,
  films and festivals; upload images and documents; approve moderation tasks.
- **Critics**: create reviews and interviews, edit their own and submit them
  for moderation; cannot publish, and cannot delete, move, unpublish or
  restrict any page (``add_page`` alone lets Wagtail edit only the pages one
  owns; reviews/permissions.py reserves deleting and moving to publishers);
  may choose and upload images.

Reviews and interviews go through the "Editorial review" workflow: one
approval task assigned to Editors.
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

from reviews.models import InterviewIndexPage, ReviewIndexPage

ROLES = {
    "Editors": {
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
        ],
    },
    "Critics": {
        # Not change_page: in Wagtail it edits (and deletes drafts of) everyone's pages.
        "pages": ["add_page"],
        "collections": ["add_image", "choose_image", "choose_document"],
        "models": [],
    },
}
WORKFLOW_NAME = "Editorial review"


def permission(codename):
    app_label, _, name = codename.rpartition(".")
    queryset = Permission.objects.filter(codename=name)
    if app_label:
        queryset = queryset.filter(content_type__app_label=app_label)
    return queryset.get()


def setup_roles():
    indexes = [ReviewIndexPage.objects.get(), InterviewIndexPage.objects.get()]
    root_collection = Collection.get_first_root_node()
    groups = {}
    for name, grants in ROLES.items():
        group, _ = Group.objects.get_or_create(name=name)
        group.permissions.add(
            permission("wagtailadmin.access_admin"), *(permission(c) for c in grants["models"])
        )
        for page in indexes:
            for codename in grants["pages"]:
                GroupPagePermission.objects.get_or_create(
                    group=group, page=page, permission=permission(f"wagtailcore.{codename}")
                )
            # Page grants are exactly the role's: one that was taken away is revoked here.
            GroupPagePermission.objects.filter(group=group, page=page).exclude(
                permission__codename__in=grants["pages"]
            ).delete()
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
    for page in indexes:
        WorkflowPage.objects.update_or_create(page=page, defaults={"workflow": workflow})
    return groups
