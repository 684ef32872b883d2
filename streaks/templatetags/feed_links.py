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


@register.filter
def webcal(url):
    """The feed's address as a webcal:// link, which a phone or computer opens in
    its calendar app to subscribe; '' for anything but an http(s) address."""
    scheme, separator, rest = url.partition("://")
    if not separator or scheme not in ("http", "https"):
        return ""
    return f"webcal://{rest}"
