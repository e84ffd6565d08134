"""People's names as a Chinese reader writes them: family name first, no space (王伟), while a Latin
name keeps its own order (Wei Wang); the user name when no name is given."""

import re

HAN = re.compile(r"[\u3400-\u9fff]")


def person_name(user) -> str:
    if user is None:
        return "—"
    family, given = (user.last_name or "").strip(), (user.first_name or "").strip()
    if not (family or given):
        return user.get_username()
    if HAN.search(family + given):
        return f"{family}{given}"
    return " ".join(part for part in (given, family) if part)
