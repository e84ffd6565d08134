"""Every interface string has its English translation."""

import re
from pathlib import Path

from django.conf import settings

CATALOG = Path(settings.BASE_DIR) / "locale" / "en" / "LC_MESSAGES"


def entries():
    text = (CATALOG / "django.po").read_text(encoding="utf-8")
    for block in text.split("\n\n"):
        msgid = (
            "".join(re.findall(r'"(.*)"', block.split("msgid", 1)[1].split("msgstr", 1)[0]))
            if "msgid" in block
            else ""
        )
        if not msgid or block.lstrip().startswith("#~"):
            continue
        msgstr = "".join(re.findall(r'"(.*)"', block.split("msgstr", 1)[1]))
        yield msgid, msgstr, "#, fuzzy" in block


def test_every_string_is_translated_and_none_is_fuzzy():
    problems = [msgid for msgid, msgstr, fuzzy in entries() if not msgstr or fuzzy]
    assert problems == []
