from django.contrib import admin
from django.urls import URLPattern, URLResolver, include, path

from apps.web.inbox import views

urlpatterns: list[URLPattern | URLResolver] = [
    path("health", views.health, name="health"),
    path("api/", include("apps.web.inbox.urls")),
    path("admin/", admin.site.urls),
]
