from django.contrib import admin
from django.contrib.auth.admin import UserAdmin

from .models import User


@admin.register(User)
class AgencyUserAdmin(UserAdmin[User]):
    list_display = ("username", "email", "role", "client", "is_active")
    list_filter = ("role", "is_active", "client")
    fieldsets = (
        *(UserAdmin.fieldsets or ()),
        ("Agency", {"fields": ("role", "client")}),
    )
