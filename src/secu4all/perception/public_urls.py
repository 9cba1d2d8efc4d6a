"""URLs of the anonymous public survey, outside any organisation: /s/..."""

from django.urls import path

from secu4all.perception import public

app_name = "survey"

urlpatterns = [
    path("r/<str:key>/<int:number>/", public.page, name="page"),
    path("r/<str:key>/done/", public.done, name="done"),
    path("<str:token>/", public.choose_language, name="language"),
    path("<str:token>/<str:lang>/", public.start, name="start"),
]
