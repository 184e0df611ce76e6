"""Where a signed-in person starts."""

from __future__ import annotations

from django.contrib.auth.decorators import login_required
from django.http import HttpRequest, HttpResponseRedirect
from django.shortcuts import redirect
from django.views.decorators.http import require_GET

from .models import User


@require_GET
@login_required
def home(request: HttpRequest) -> HttpResponseRedirect:
    # Supervisors work from the phone app; everyone else mostly from a desk.
    if request.user.role == User.Role.SUPERVISOR:
        return redirect("mobile:round")
    return redirect("office:queue")
