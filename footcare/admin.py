"""Django's admin site, refusing with a 400 what its change lists cannot query.

A change list turns its query string into database lookups on any field of the
model (``?name__startswith=``, ``?id__in=``, the date hierarchy's
``?date__year=``, the search box's ``?q=``) and validates only what it can
check before the query runs. Three kinds of value get through every model's
change list, ours and those of Django and django-axes alike:

- a NUL character, which PostgreSQL refuses in text (``DataError``);
- a very long value, which SQLite refuses as a LIKE pattern ("LIKE or GLOB
  pattern too complex" past 50,000 bytes);
- a number too large for a C long or SQLite's 64-bit integer
  (``OverflowError``, from the date hierarchy's ``datetime()`` or from SQLite).

All are the caller's doing, so every admin view answers them with "Bad
request", as Django does for a malformed request anywhere else.
"""

from functools import wraps

from django.contrib import admin
from django.core.exceptions import BadRequest

# Longer than any search term or filter value a person types, and short enough
# for SQLite's LIKE in any encoding (4 bytes a character at most).
MAX_QUERY_VALUE = 1000


def check_query(query):
    for key, values in query.lists():
        for text in (key, *values):
            if "\x00" in text:
                raise BadRequest("NUL character in the query string")
            if len(text) > MAX_QUERY_VALUE:
                raise BadRequest("Query string value too long")


class AdminSite(admin.AdminSite):
    def admin_view(self, view, cacheable=False):
        @wraps(view)
        def refusing_bad_queries(request, *args, **kwargs):
            check_query(request.GET)
            try:
                return view(request, *args, **kwargs)
            except OverflowError as error:
                raise BadRequest("A number in the query is out of range") from error

        # Wrapped inside, so the permission check still comes first.
        return super().admin_view(refusing_bad_queries, cacheable)
