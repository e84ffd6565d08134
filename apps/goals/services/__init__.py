"""Writes that act on goals, split by job: `evaluation` (judging one goal), `daily_evaluation` (judging
every goal, the daily run), `progress_review` (the review workflow of progress updates), `goal_review`
(publishing, rejecting and merging extracted goals), `parts` (splitting a goal by district or
department) and `memberships` (staff roles). Callers import the module they need. Reads that judge
without writing are in apps.goals.selectors."""
