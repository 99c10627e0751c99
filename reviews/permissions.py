"""Who may remove or move pages: Wagtail's page permissions, with deletion reserved to publishers.

Wagtail lets ``change_page`` delete any draft and ``add_page`` delete the user's
own drafts (``PagePermissionTester.can_delete``), and it tests moving a page
as deleting it (``can_move``). Here taking a page out of the tree, or moving
it, needs publish permission on it too, so critics (who may add pages and
edit their own, reviews/roles.py) write and submit, and editors decide what
goes. Wagtail's admin asks every page for ``permissions_for_user``: the
delete and move views, their bulk actions and the action menus all follow.
"""

from wagtail.models import PagePermissionTester


class EditorialPermissionTester(PagePermissionTester):
    def can_delete(self, ignore_bulk=False):
        return super().can_delete(ignore_bulk=ignore_bulk) and self.can_publish()


class EditorialPermissionsMixin:
    """For every page class of the site: use ``EditorialPermissionTester``."""

    def permissions_for_user(self, user):
        return EditorialPermissionTester(user, self)
