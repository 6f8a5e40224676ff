from django.urls import path

from minsheng.consultation.handling import views

urlpatterns = [
    path("manage/inbox/s/<int:pk>/return/", views.suggestion_return, name="workbench-return"),
    path("manage/inbox/s/<int:pk>/extend/", views.extension_ask, name="workbench-extend"),
    path("manage/c/<slug:slug>/dispatch/", views.dispatch, name="dispatch-by-receipt"),
    path("manage/c/<slug:slug>/dispatch/<str:receipt>/", views.dispatch, name="dispatch"),
    path("manage/c/<slug:slug>/extensions/<int:pk>/", views.extension_decide, name="extension-decide"),
    path("manage/c/<slug:slug>/limits/", views.limits, name="handling-limits"),
    path("manage/undo/<int:pk>/", views.undo_action, name="undo"),
]
