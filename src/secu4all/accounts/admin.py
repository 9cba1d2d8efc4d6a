"""Platform administrators manage user accounts in Django's admin."""

from django.contrib import admin
from django.contrib.auth.admin import UserAdmin

from secu4all.accounts.models import User

admin.site.register(User, UserAdmin)
