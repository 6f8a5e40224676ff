from django.urls import path

from minsheng.consultation.workbench import views

urlpatterns = [
    path("manage/inbox/", views.inbox, name="inbox"),
    path("manage/inbox/due/", views.due, name="inbox-due"),
    path("manage/inbox/export.<str:fmt>", views.inbox_export, name="inbox-export"),
    path("manage/inbox/act/", views.act, name="workbench-act"),
    path("manage/inbox/s/<int:pk>/", views.suggestion, name="workbench-suggestion"),
    path("manage/inbox/s/<int:pk>/reassign/", views.reassign, name="workbench-reassign"),
]
