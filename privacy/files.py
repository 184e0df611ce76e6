"""Deleting stored files for good, also when the process dies halfway.

The rows that name a file (a claim photo) are deleted in a transaction that also writes
the file's name to `FileToDelete`. After the commit the files are deleted through the
storage API (filesystem or S3) and their names crossed off; names left by a process that
died in between are deleted by the next retention run. A file is never deleted while the
row that shows it may still be rolled back.
"""

from __future__ import annotations

import logging
from collections.abc import Iterable

from django.core.files.storage import Storage
from django.db import transaction
from django.db.models import QuerySet

from cases.models import ClaimPhoto

from .models import FileToDelete

log = logging.getLogger(__name__)


def _storage() -> Storage:
    return ClaimPhoto._meta.get_field("image").storage


def files_of(photos: Iterable[ClaimPhoto]) -> list[str]:
    return [f.name for p in photos for f in (p.image, p.thumbnail) if f.name]


def photos_delete(photos: QuerySet[ClaimPhoto]) -> tuple[int, int]:
    """Inside the caller's transaction: delete these photo rows (two queries whatever
    their number) and queue their files; returns (photos, files)."""
    found = list(photos.values_list("pk", "image", "thumbnail"))
    if not found:
        return 0, 0
    names = [name for _pk, *files in found for name in files if name]
    ClaimPhoto.objects.filter(pk__in=[pk for pk, *_files in found]).delete()
    files_queue(names)
    return len(found), len(names)


def files_queue(names: list[str]) -> None:
    """Inside the caller's transaction: these files go once it commits."""
    if not names:
        return
    FileToDelete.objects.bulk_create(
        [FileToDelete(name=name) for name in names], ignore_conflicts=True
    )
    transaction.on_commit(lambda: files_delete(names), robust=True)


def files_delete(names: list[str]) -> int:
    """Delete these files from storage (a missing one counts as deleted) and cross them
    off; returns how many were deleted. A storage error leaves the name for the next run."""
    storage = _storage()
    done = []
    for name in names:
        try:
            storage.delete(name)
        except Exception:
            log.exception("Deleting a stored file failed; the next retention run tries again.")
            continue
        done.append(name)
    FileToDelete.objects.filter(name__in=done).delete()
    return len(done)


def files_delete_pending(limit: int = 1000) -> int:
    """Delete the files of rows deleted by a run that died before it deleted them."""
    names = list(FileToDelete.objects.order_by("pk").values_list("name", flat=True)[:limit])
    return files_delete(names) if names else 0
