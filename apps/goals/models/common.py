"""What the model modules share: the bilingual status choices, slugs, and the reader's language."""

from django.db import models
from django.db.models.functions import Length
from django.utils import translation
from django.utils.text import slugify

from ..status import STATUS_LABELS, Status, bilingual_label

models.CharField.register_lookup(Length)
models.TextField.register_lookup(Length)

STATUS_CHOICES = [(s.value, bilingual_label(STATUS_LABELS[s])) for s in Status]


def unique_slug(model, base: str) -> str:
    """`base` made a slug, with -2, -3… added while another row of `model` has it already."""
    base = slugify(base)[:110] or model._meta.model_name
    slug, n = base, 2
    while model.objects.filter(slug=slug).exists():
        slug, n = f"{base}-{n}", n + 1
    return slug


def bilingual(zh: str, en: str) -> str:
    """The English text when the active language is English and there is one, else the Chinese."""
    language = translation.get_language() or ""
    return en if language.startswith("en") and en else zh
