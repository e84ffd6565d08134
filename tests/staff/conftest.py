from ..goals.conftest import mid_july_2024  # noqa: F401  (the staff's pages are tested on the goals' frozen day)
