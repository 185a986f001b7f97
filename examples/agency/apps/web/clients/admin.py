from django.contrib import admin

from .models import Client, Site


class SiteInline(admin.TabularInline[Site, Client]):
    model = Site
    extra = 0


@admin.register(Client)
class ClientAdmin(admin.ModelAdmin[Client]):
    list_display = ("name", "contact_email", "notify_on_lead")
    search_fields = ("name", "contact_email")
    inlines = (SiteInline,)


@admin.register(Site)
class SiteAdmin(admin.ModelAdmin[Site]):
    list_display = ("slug", "domain", "client", "is_live")
    list_filter = ("is_live",)
    search_fields = ("slug", "domain", "client__name")
