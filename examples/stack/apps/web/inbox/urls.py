from django.urls import path

from apps.web.inbox import views

app_name = "inbox"

urlpatterns = [
    path("intake/", views.intake, name="intake"),
]
