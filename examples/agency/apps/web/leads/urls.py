from django.urls import path

from . import views

app_name = "leads"

urlpatterns = [
    path("<slug:site>/export.csv", views.export_site_leads, name="export"),
]
