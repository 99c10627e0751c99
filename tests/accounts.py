"""Admin users for tests that log in as an editor or a critic."""

from django.contrib.auth import get_user_model
from django.contrib.auth.models import Group


def user_in(group_name, username):
    """A user in the named group (run ``setup_roles`` first), with a valid password."""
    user = get_user_model().objects.create_user(username, f"{username}@example.com", "a-long-password-1")
    user.groups.add(Group.objects.get(name=group_name))
    return user
