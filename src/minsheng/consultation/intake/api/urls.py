from django.urls import path
from django.views.generic import TemplateView

from minsheng.consultation.intake.api import openapi, views

urlpatterns = [
    path("openapi.json", openapi.openapi_json, name="api-openapi"),
    path("docs/", TemplateView.as_view(template_name="consultation/api_docs.html"), name="api-docs"),
    path("campaigns/<slug:slug>/suggestions", views.suggestions, name="api-suggestions"),
    path("campaigns/<slug:slug>/suggestions/<str:receipt>", views.suggestion_status, name="api-suggestion-status"),
]
