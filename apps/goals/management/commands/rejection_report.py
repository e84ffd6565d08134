"""python manage.py rejection_report: where the reader fails, from what staff rejected on review screens."""

from django.core.management.base import BaseCommand

from apps.goals.models import RejectionReason
from apps.goals.services.document_review import rejections_per_rule


class Command(BaseCommand):
    help = (
        "Per reader rule (the time frame and the rule that set it), how many of the targets and results it "
        "proposed staff accepted, edited and rejected on the review screen, and why they rejected them; the "
        "rules rejected most first."
    )

    def handle(self, *args, **options):
        rows = rejections_per_rule()
        if not rows:
            self.stdout.write("Nothing reviewed on the review screen yet · 审阅页尚无操作")
            return
        labels = dict(RejectionReason.choices)
        self.stdout.write("rejected  edited  accepted  share  rule · 规则")
        for row in rows:
            self.stdout.write(
                f"{row.rejected:>8}  {row.edited:>6}  {row.accepted:>8}  {row.rejected_share:>5.0%}  "
                f"{row.reader_rule or '(not recorded · 未记录)'}"
            )
            for reason, count in sorted(row.reasons.items(), key=lambda pair: -pair[1]):
                self.stdout.write(f"{'':>34}{count} × {labels.get(reason, reason)}")
