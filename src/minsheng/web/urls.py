from django.contrib import admin
from django.contrib.auth import views as auth_views
from django.templatetags.static import static
from django.urls import include, path
from django.utils.translation import gettext_lazy
from django.views.generic import RedirectView
from django.views.i18n import JavaScriptCatalog

from minsheng.web import errors
from minsheng.web.elder import elder_toggle
from minsheng.web.homes import start
from minsheng.web.second_factor import second_factor
from minsheng.web.signin import logout

admin.site.site_header = gettext_lazy("民声 · 后台管理")
admin.site.site_title = gettext_lazy("民声后台")

urlpatterns = [
    path("healthz", errors.healthz, name="healthz"),
    # browsers ask for /favicon.ico on every visit whatever the page says: a 404 logged each time
    path("favicon.ico", RedirectView.as_view(url=static("minsheng/favicon.svg"), permanent=True)),
    path("readyz", errors.readyz, name="readyz"),
    path("admin/", admin.site.urls),
    path("accounts/login/", auth_views.LoginView.as_view(), name="login"),
    path("accounts/start/", start, name="start"),
    path("accounts/second-factor/", second_factor, name="second-factor"),
    path("elder/", elder_toggle, name="elder"),
    path("jsi18n/", JavaScriptCatalog.as_view(), name="javascript-catalog"),
    path("accounts/logout/", logout, name="logout"),
    path("assistance/", include("minsheng.assistance.urls")),
    path("api/v1/", include("minsheng.consultation.intake.api.urls")),
    path("", include("minsheng.consultation.urls")),
]

handler400 = errors.bad_request
handler403 = errors.permission_denied
handler404 = errors.page_not_found
handler500 = errors.server_error
