from django.urls import path

from . import views

app_name = "workcalendars"

urlpatterns = [
    # public (no sign-in): published weeks of public calendars, and their iCalendar feeds
    path("", views.public_index, name="public"),
    path("<int:pk>/", views.public_week, name="public_week"),
    path("<int:pk>/lich.ics", views.ical_feed, name="ical"),
    # secretaries and leaders
    path("soan/", views.staff_index, name="staff"),
    path("soan/<int:pk>/<str:start>/", views.week_page, name="week"),
    path("soan/<int:pk>/<str:start>/thao-tac/", views.week_action, name="week_action"),
    path("soan/muc/<int:entry_id>/sua/", views.edit_entry, name="edit_entry"),
    path("soan/muc/<int:entry_id>/xoa/", views.delete_entry, name="delete_entry"),
]
