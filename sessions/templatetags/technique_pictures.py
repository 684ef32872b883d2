from django import template

from sessions import illustrations

register = template.Library()


@register.inclusion_tag("sessions/technique_picture.html")
def technique_picture(technique, size=96):
    """The technique's picture at `size` CSS pixels, or nothing when it has none:
    {% technique_picture step.technique 120 %}."""
    return {"picture": illustrations.picture_for(technique), "size": size}
