"""Links to the outside world that staff or a manifest typed in: only http(s) addresses are stored
(a validator on the field and a database constraint), and only those are ever rendered as links, so
a `javascript:` address in an old row or a bypassed form cannot run in a reader's browser. An address
holds no space, quote or angle bracket (a browser writes them %20, %22, %3C, %3E), so it cannot close
an attribute or open a tag wherever it is copied."""

from django.core.exceptions import ValidationError
from django.core.validators import URLValidator
from django.db.models import Q
from django.utils.deconstruct import deconstructible

WEB_SCHEMES = ("http://", "https://")
NOT_IN_AN_ADDRESS = frozenset('<>"')


# Deconstructed as Django's URLValidator: a validator changes no schema, and migrations must not
# import project code (tests/test_migrations.py).
@deconstructible(path="django.core.validators.URLValidator")
class WebURLValidator(URLValidator):
    """Django's URL check, which lets `<`, `>` and `"` through in the path, without them."""

    def __call__(self, value):
        if isinstance(value, str) and any(c in NOT_IN_AN_ADDRESS or c.isspace() for c in value):
            raise ValidationError(self.message, code=self.code, params={"value": value})
        super().__call__(value)


validate_web_url = WebURLValidator(
    schemes=["http", "https"], message="请输入 http(s) 网址 · Enter an http(s) address"
)


def is_web_url(value) -> bool:
    return (
        isinstance(value, str)
        and value.lower().startswith(WEB_SCHEMES)
        and not any(c in NOT_IN_AN_ADDRESS or c.isspace() for c in value)
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
