"""Links to the outside world that staff or a manifest typed in: only http(s) addresses are stored
(a validator on the field and a database constraint), and only those are ever rendered as links, so
a `javascript:` address in an old row or a bypassed form cannot run in a reader's browser."""

from django.core.validators import URLValidator
from django.db.models import Q

WEB_SCHEMES = ("http://", "https://")

validate_web_url = URLValidator(
    schemes=["http", "https"], message="请输入 http(s) 网址 · Enter an http(s) address"
)


def is_web_url(value) -> bool:
    return (
        isinstance(value, str)
        and value.lower().startswith(WEB_SCHEMES)
        and not any(c.isspace() for c in value)
    )


def web_url(value) -> str:
    """The address if it is one a reader may follow, else the empty string."""
    return value if is_web_url(value) else ""


def web_url_or_blank(field: str) -> Q:
    """The database's last guard for a link field: empty, or starting http:// or https://."""
    return (
        Q(**{field: ""})
        | Q(**{f"{field}__istartswith": "http://"})
        | Q(**{f"{field}__istartswith": "https://"})
    )
