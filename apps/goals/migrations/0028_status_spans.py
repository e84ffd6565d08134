"""Each goal's status over runs of days (StatusSpan), read by the ?as_of= pages. Empty here: the
daily evaluation fills it, or `manage.py rebuild_status_spans` at once."""

import django.db.models.deletion
from django.db import migrations, models


class Migration(migrations.Migration):

    dependencies = [
        ('goals', '0027_places'),
    ]

    operations = [
        migrations.CreateModel(
            name='StatusSpan',
            fields=[
                ('id', models.BigAutoField(auto_created=True, primary_key=True, serialize=False, verbose_name='ID')),
                ('from_day', models.DateField(verbose_name='自 · from')),
                ('to_day', models.DateField(blank=True, null=True, verbose_name='至（不含） · until (excluded)')),
                ('through', models.DateField(blank=True, null=True, verbose_name='已评估至 · judged through')),
                ('status', models.CharField(choices=[('not_started', '未开始 · Not started'), ('on_track', '进度正常 · On track'), ('at_risk', '有风险 · At risk'), ('off_track', '滞后 · Off track'), ('in_progress', '进行中 · In progress'), ('achieved', '已达成 · Achieved'), ('missed', '未达成 · Missed'), ('awaiting_data', '待数据 · Awaiting data'), ('unreported', '未公布数据 · No figure published'), ('period_unreported', '未公布期末数据 · Full-period figure not published'), ('stale', '数据过期 · Stale'), ('done', '已完成 · Done'), ('due', '待完成 · Due'), ('overdue', '已逾期 · Overdue')], max_length=20, verbose_name='状态 · status')),
                ('rule_version', models.CharField(max_length=20, verbose_name='规则版本 · rule version')),
                ('inputs', models.CharField(max_length=16, verbose_name='输入摘要 · inputs digest')),
                ('goal', models.ForeignKey(on_delete=django.db.models.deletion.CASCADE, related_name='+', to='goals.goal', verbose_name='目标 · goal')),
            ],
            options={
                'verbose_name': '状态区间 · status span',
                'verbose_name_plural': '状态区间 · status spans',
                'constraints': [models.UniqueConstraint(fields=('goal', 'from_day'), name='status_span_once'), models.UniqueConstraint(condition=models.Q(('to_day__isnull', True)), fields=('goal',), name='status_span_one_open'), models.CheckConstraint(condition=models.Q(models.Q(('through__isnull', False), ('to_day__isnull', True)), models.Q(('through__isnull', True), ('to_day__gt', models.F('from_day')), ('to_day__isnull', False)), _connector='OR'), name='status_span_open_or_closed'), models.CheckConstraint(condition=models.Q(('through__isnull', True), ('through__gte', models.F('from_day')), _connector='OR'), name='status_span_through')],
            },
        ),
    ]
