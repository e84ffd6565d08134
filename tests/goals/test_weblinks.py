"""Outside links are http(s) only: refused by the model's validator on every form, by a database
constraint on every other write path, and never rendered as a link if an old row holds anything else."""

import pytest
from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.template.loader import render_to_string
from django.test import RequestFactory

from apps.goals.models import Document, ProgressUpdate
from apps.goals.weblinks import validate_web_url, web_url

from ..factories import DocumentFactory, ProgressUpdateFactory

HOSTILE = [
    "javascript:alert(document.cookie)",
    "JavaScript:alert(1)",
    "data:text/html,<script>x</script>",
    "ftp://example.com/x",
    " https://example.com",
]


@pytest.mark.parametrize("address", HOSTILE)
def test_only_web_addresses_are_followed(address):
    assert web_url(address) == ""


@pytest.mark.parametrize("address", ["https://www.jinan.gov.cn/a?b=1", "HTTP://example.com/"])
def test_web_addresses_are_kept_as_written(address):
    assert web_url(address) == address


@pytest.mark.django_db
@pytest.mark.parametrize("address", HOSTILE[:4])
def test_the_database_refuses_a_link_that_is_not_http(address):
    document = DocumentFactory()
    update = ProgressUpdateFactory()
    for model, pk, field in [(Document, document.pk, "url"), (ProgressUpdate, update.pk, "evidence_url")]:
        with pytest.raises(IntegrityError), transaction.atomic():
            model.objects.filter(pk=pk).update(**{field: address})


@pytest.mark.django_db
def test_the_model_validator_refuses_a_link_that_is_not_http():
    update = ProgressUpdateFactory(evidence_url="https://example.com/ok")
    update.evidence_url = "javascript:alert(1)"
    with pytest.raises(ValidationError) as raised:
        update.full_clean()
    assert "evidence_url" in raised.value.message_dict


@pytest.mark.django_db
def test_an_old_row_with_a_script_link_renders_no_link():
    request = RequestFactory().get("/documents/1/")
    document = Document(pk=1, title="旧文件", text="正文", url="javascript:alert(1)")
    html = render_to_string(
        "public/document_detail.html",
        {"document": document, "citations": [], "highlighted_text": ""},
        request=request,
    )
    assert "javascript:" not in html


@pytest.mark.parametrize(
    "address",
    [
        "https://example.com/<img src=x onerror=alert(1)>",
        "https://example.com/a<b",
        "https://example.com/a>b",
        'https://example.com/"onmouseover="alert(1)',
        "https://example.com/a b",
        "https://example.com/a\tb",
    ],
)
def test_an_address_with_markup_quotes_or_spaces_is_refused_and_never_followed(address):
    with pytest.raises(ValidationError):
        validate_web_url(address)
    assert web_url(address) == ""


def test_an_address_with_those_characters_escaped_is_valid():
    address = "https://example.com/search?q=%3Cb%3E%20%22x%22"
    validate_web_url(address)
    assert web_url(address) == address
