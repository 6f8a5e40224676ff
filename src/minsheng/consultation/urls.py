"""The app's pages, one list per feature (URLs and names unchanged; the partner API is under ``intake/api``)."""

from django.urls import include, path

urlpatterns = [
    path("", include("minsheng.consultation.intake.urls")),
    path("", include("minsheng.consultation.analysis.urls")),
    path("", include("minsheng.consultation.workbench.urls")),
    path("", include("minsheng.consultation.publishing.urls")),
    path("", include("minsheng.consultation.handling.urls")),
]
