"""The follow form's token, put in the goal and indicator pages (see apps.digests.views_following)."""

from django import template

from ..views_following import follow_form_token

register = template.Library()


@register.simple_tag
def follow_token(followed) -> str:
    return follow_form_token(followed)
