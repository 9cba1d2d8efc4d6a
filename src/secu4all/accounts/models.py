"""The platform's user."""

from django.contrib.auth.models import AbstractUser


class User(AbstractUser):
    """A person who signs in; what they may see comes from their memberships."""

    class Meta(AbstractUser.Meta):
        swappable = "AUTH_USER_MODEL"
