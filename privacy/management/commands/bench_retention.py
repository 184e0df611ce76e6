"""`python manage.py bench_retention`: the retention job's speed on the seeded data.

Ends enough projects (3 years ago) to cover `--dwellings`
addresses, gives claims there `--photos` photo files (real JPEGs in a scratch folder),
starts retention and runs it: prints the dry run's time, then residents, rows and files
removed per second. For a scratch database only (bench/run): it changes the data.
"""

from __future__ import annotations

import datetime
import io
import tempfile
import time

from django.conf import settings
from django.core.files.base import ContentFile
from django.core.management.base import BaseCommand, CommandParser
from django.db.models import Count
from django.utils import timezone
from PIL import Image

from cases.models import ClaimPhoto, DamageClaim
from privacy.models import RetentionPolicy
from privacy.retention import retention_report, retention_run
from projects.models import Project

ROWS = ("residents", "care_needs", "cases", "timeline_events", "visit_notes", "messages", "photos")


def _jpeg() -> bytes:
    out = io.BytesIO()
    Image.new("RGB", (320, 240), (120, 90, 60)).save(out, "JPEG", quality=80)
    return out.getvalue()


class Command(BaseCommand):
    help = "Measure the retention job (rows and files per second) on seeded data."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("--dwellings", type=int, default=2000)
        parser.add_argument("--photos", type=int, default=2000)

    def handle(self, *args: object, **options) -> None:
        settings.MEDIA_ROOT = tempfile.mkdtemp(prefix="bench-retention-")
        ended_on = timezone.localdate() - datetime.timedelta(days=3 * 365)
        chosen, covered = [], 0
        corporations = set()
        for project in Project.objects.annotate(n=Count("dwellings")).order_by("pk"):
            if covered >= options["dwellings"]:
                break
            chosen.append(project.pk)
            corporations.add(project.corporation_id)
            covered += project.n
        Project.objects.filter(pk__in=chosen).update(
            starts_on=ended_on - datetime.timedelta(days=365), ends_on=ended_on
        )
        jpeg, thumb = _jpeg(), _jpeg()
        claims = list(
            DamageClaim.objects.filter(project_id__in=chosen).values_list("pk", flat=True)
        )
        started = time.perf_counter()
        for i in range(options["photos"] if claims else 0):
            photo = ClaimPhoto(claim_id=claims[i % len(claims)], width=320, height=240)
            photo.image.save("p.jpg", ContentFile(jpeg), save=False)
            photo.thumbnail.save("t.jpg", ContentFile(thumb), save=False)
            photo.save()
        self.stdout.write(
            f"  {len(chosen)} projects ended, {covered:,} addresses, {options['photos']:,} "
            f"photos written in {time.perf_counter() - started:.1f} s"
        )
        policies = [
            RetentionPolicy.objects.get_or_create(corporation_id=pk)[0] for pk in corporations
        ]
        started = time.perf_counter()
        reports = [retention_report(policy) for policy in policies]
        self.stdout.write(
            f"  dry run: {time.perf_counter() - started:.2f} s "
            f"({sum(r.residents for r in reports):,} residents, "
            f"{sum(r.photos for r in reports):,} photos, {sum(r.files for r in reports):,} files)"
        )
        RetentionPolicy.objects.filter(pk__in=[p.pk for p in policies]).update(
            started_at=timezone.now()
        )
        started = time.perf_counter()
        run = retention_run(budget=3600)
        seconds = time.perf_counter() - started
        counts = run.counts
        rows = sum(counts.get(name, 0) for name in ROWS)
        self.stdout.write(
            f"  retention run: {seconds:.1f} s, complete={run.complete}; "
            f"{counts.get('dwellings', 0):,} addresses, {counts.get('residents', 0):,} residents, "
            f"{rows:,} rows, {counts.get('files', 0):,} files"
        )
        self.stdout.write(
            f"  = {counts.get('residents', 0) / seconds:,.0f} residents/s, "
            f"{rows / seconds:,.0f} rows/s, {counts.get('files', 0) / seconds:,.0f} files/s"
        )
        started = time.perf_counter()
        again = retention_run(budget=3600)
        self.stdout.write(
            f"  second run (nothing to do): {time.perf_counter() - started:.2f} s, "
            f"{sum(again.counts.values())} removed"
        )
