"""Writes that act on goals, split by job: `evaluation` (judging goals), `progress_review` (the review
workflow of progress updates), `goal_review` (publishing, rejecting and merging extracted goals) and
`memberships` (staff roles). Callers import the module they need."""
