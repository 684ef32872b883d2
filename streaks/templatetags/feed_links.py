from django import template
from django.urls import reverse

register = template.Library()


@register.simple_tag(takes_context=True)
def calendar_feed_url(context, token):
    """The absolute address of the calendar feed a token opens, or ''.

    A tag of the streaks app (which serves the feed), so the accounts page that
    shows a new link needs no reference up to streaks' URLs."""
    if not token:
        return ""
    path = reverse("streaks:calendar_feed", args=[token])
    return context["request"].build_absolute_uri(path)
