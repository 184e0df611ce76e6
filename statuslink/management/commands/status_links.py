"""Print residents' status links: for given case numbers, or one per state (demos).

    python manage.py status_links S-000123 K-000045
    python manage.py status_links --sample

The link is derived again from what the case stores (statuslink/tokens.py); nothing is
changed. A case without a working link is reported, not given one: that is
`status_link_reissue` (the back-office or the admin), which also tells the resident.
"""

from __future__ import annotations

from django.core.management.base import BaseCommand, CommandError

from cases.models import Complaint, DamageClaim
from statuslink.tokens import case_link_url

MODELS = {"S": DamageClaim, "K": Complaint}


class Command(BaseCommand):
    help = "Print the status link of cases (by number), or of one case per state."

    def add_arguments(self, parser) -> None:
        parser.add_argument("numbers", nargs="*", help="case numbers, e.g. S-000123")
        parser.add_argument(
            "--sample", action="store_true", help="one open-link claim and complaint per state"
        )

    def handle(self, *args, numbers: list[str], sample: bool, **options) -> None:
        if not numbers and not sample:
            raise CommandError("Give case numbers (S-000123, K-000045) or --sample.")
        for number in numbers:
            prefix, _, digits = number.strip().upper().partition("-")
            if prefix not in MODELS or not digits.isdigit():
                raise CommandError(f"{number}: not a claim (S-…) or complaint (K-…) number.")
            case = MODELS[prefix].objects.filter(pk=int(digits)).first()
            self._print(number, case)
        if sample:
            for model in MODELS.values():
                for status, _label in model.Status.choices:
                    case = (
                        model.objects.filter(status=status, status_token__isnull=False)
                        .order_by("-created_at")
                        .first()
                    )
                    if case is not None:
                        self._print(f"{case.number} ({status})", case)

    def _print(self, label: str, case) -> None:
        link = case_link_url(case) if case is not None else ""
        if link:
            self.stdout.write(f"{label}: {link}")
        else:
            self.stdout.write(f"{label}: no working status link")
