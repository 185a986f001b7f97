from django.conf import settings
from django.contrib import admin
from django.urls import include
from django.urls import path

urlpatterns = [
    path(settings.ADMIN_URL, admin.site.urls),
    path("ops/", include("shop.ops_urls")),
    path("api/", include("shop.urls")),
]
