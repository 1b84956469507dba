"""A wave's send, its progress (an htmx partial the wave page polls) and the retry of its
failed rows."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import NoReverseMatch, reverse
from django.utils.translation import gettext as _
from django.utils.translation import ngettext
from django.views.decorators.http import require_GET, require_POST

from drsui.errors import ApplicationError
from drsui.waves.selectors import waves_for_user

from .services.refresh import refresh_enqueue_if_due
from .services.waves import wave_retry_failed, wave_send
from .wave_selectors import wave_progress


def _wave_for(user, pk: int):
    """The wave `user` may open (their own; ops every one), or 404."""
    return get_object_or_404(waves_for_user(user), pk=pk)


def wave_page_url(pk: int) -> str:
    """The wave's page (the grid's, `wave_detail`); the progress page where it is not there."""
    try:
        return reverse("wave_detail", args=[pk])
    except NoReverseMatch:
        return reverse("wave_progress", args=[pk])


def _render(request, wave, notices=(), status=200):
    progress = wave_progress(wave)
    ctx = {"wave": wave, "progress": progress, "notices": notices,
           "may_send": wave.owner_id == request.user.pk}
    partial = request.htmx and not request.htmx.history_restore_request
    template = "jobs/_wave_progress.html" if partial else "jobs/wave_progress.html"
    return render(request, template, ctx, status=status)


@login_required
@require_GET
def wave_progress_view(request, pk: int):
    wave = _wave_for(request.user, pk)
    if request.htmx:
        refresh_enqueue_if_due()  # a poll: a due status refresh or look-up runs meanwhile
    return _render(request, wave)


def _sent_notices(sent) -> list[tuple[str, str]]:
    """(level, text) of a wave send's outcome."""
    notices = []
    if sent.sent:
        text = ngettext("%(n)s row sent.", "%(n)s rows sent.", sent.sent) % {"n": sent.sent}
        if sent.awaiting:
            text += " " + ngettext(
                "%(n)s awaits approval: nothing of it goes to DRS before that.",
                "%(n)s await approval: nothing of them goes to DRS before that.",
                sent.awaiting) % {"n": sent.awaiting}
        notices.append(("success", text))
    elif not sent.refused:
        notices.append(("info", _("Nothing new to send: every valid row is sent already.")))
    if sent.skipped:
        notices.append(("warning", ngettext(
            "%(n)s row with problems was not sent: fix it in the grid, then send again.",
            "%(n)s rows with problems were not sent: fix them in the grid, then send again.",
            sent.skipped) % {"n": sent.skipped}))
    notices += [("danger", message) for message in sent.messages]
    return notices


def _retried_notices(retried) -> list[tuple[str, str]]:
    notices = []
    if retried.retried:
        notices.append(("success", ngettext(
            "%(n)s failed row sent again.", "%(n)s failed rows sent again.",
            retried.retried) % {"n": retried.retried}))
    if retried.looked_up:
        notices.append(("info", ngettext(
            "%(n)s row of unknown outcome is looked up by name at DRS first; it is sent again "
            "only if DRS has no job of its name.",
            "%(n)s rows of unknown outcome are looked up by name at DRS first; each is sent "
            "again only if DRS has no job of its name.", retried.looked_up)
            % {"n": retried.looked_up}))
    if not retried.retried and not retried.looked_up and not retried.refused:
        notices.append(("info", _("No failed row to retry.")))
    notices += [("danger", message) for message in retried.messages]
    return notices


def _answer(request, wave, notices):
    """htmx: the partial with the notices in it; without JavaScript: back to the wave's page
    with them as messages."""
    if request.htmx:
        return _render(request, wave, notices)
    for level, text in notices:
        messages.add_message(request, getattr(messages, "ERROR" if level == "danger"
                                              else level.upper()), text)
    return redirect(wave_page_url(wave.pk))


@login_required
@require_POST
def wave_send_view(request, pk: int):
    wave = _wave_for(request.user, pk)
    try:
        notices = _sent_notices(wave_send(wave=wave, user=request.user))
    except ApplicationError as exc:
        notices = [("danger", exc.message)]
    return _answer(request, wave, notices)


@login_required
@require_POST
def wave_retry_view(request, pk: int):
    wave = _wave_for(request.user, pk)
    try:
        notices = _retried_notices(wave_retry_failed(wave=wave, user=request.user))
    except ApplicationError as exc:
        notices = [("danger", exc.message)]
    return _answer(request, wave, notices)
