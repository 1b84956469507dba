"""A wave in the browser: started from a draft, its rows uploaded or typed in the grid.

A wave is its owner's to change; ops may open every wave (read-only). Its project must still
be one the person may use to upload or save (as for any draft)."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.db import transaction
from django.db.models import Count
from django.http import HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils.http import content_disposition_header
from django.utils.translation import gettext as _
from django.utils.translation import ngettext
from django.views.decorators.debug import sensitive_post_parameters
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from drsui.contract.rows import proposed_paths
from drsui.errors import ApplicationError
from drsui.wizard.selectors import draft_get_for_user, user_may_use_project
from drsui.wizard.steps import STEPS, step_for_path

from . import tables
from .forms import (
    WaveNewForm,
    WaveUploadForm,
    grid_row,
    new_rows,
    path_label,
    posted_cells,
    posted_new_rows,
    posted_number,
    posted_versions,
)
from .models import Wave, WaveRow
from .selectors import wave_row_checked, wave_rows_checked, waves_for_user
from .services import wave_create, wave_grid_save, wave_row_delete, wave_rows_save

MAX_EMPTY_ROWS = 50


def _project_refusal(user, project) -> str:
    if user_may_use_project(user, project):
        return ""
    return _("This wave's cloud project is not granted to your teams (or no longer is): "
             "nothing was saved.")


def _own_wave(user, pk: int) -> Wave:
    return get_object_or_404(Wave.objects.select_related("project", "template"), pk=pk,
                             owner=user)


@login_required
@require_GET
def wave_list(request):
    waves = waves_for_user(request.user).annotate(row_count=Count("rows"))
    return render(request, "waves/waves.html", {"waves": waves})


@login_required
@require_http_methods(["GET", "POST"])
def wave_new(request, draft_id: int):
    """Pick a draft's varying paths (the proposal ticked) and start a wave of it."""
    draft = draft_get_for_user(user=request.user, draft_id=draft_id)
    refusal = "" if user_may_use_project(request.user, draft.project) else _(
        "This draft's cloud project is not granted to your teams (or no longer is): choose "
        "one in the wizard before starting a wave of it.")
    job, secrets = draft.job, draft.secrets()
    if request.method == "POST" and not refusal:
        form = WaveNewForm(request.POST, job=job, secrets=secrets)
        if form.is_valid():
            wave = wave_create(owner=request.user, template=draft,
                               paths=form.cleaned_data["paths"], name=form.cleaned_data["name"])
            messages.success(request, _("Wave %(name)s started: upload its rows or type them "
                                        "in the grid.") % {"name": wave.name})
            return redirect("wave_detail", wave.pk)
    else:
        form = WaveNewForm(job=job, secrets=secrets, initial={
            "name": draft.name, "columns": proposed_paths(job)})
    ticked = set(form["columns"].value() or [])
    columns = sorted(({"path": path, "label": label, "ticked": path in ticked,
                       "step": step_for_path(path)}
                      for path, label in form.fields["columns"].choices),
                     key=lambda column: STEPS.index(column["step"]))
    return render(request, "waves/wave_new.html",
                  {"draft": draft, "form": form, "columns": columns, "refusal": refusal},
                  status=403 if refusal else 200)


def _wave_page(request, wave: Wave, *, upload=None, posted=None, error: str = "",
               status: int = 200):
    checked = wave_rows_checked(wave)
    rows = [grid_row(one, wave.paths, posted) for one in checked]
    empty = min(MAX_EMPTY_ROWS, max(1, posted_number(request.GET.get("add", "")) or 1))
    valid = sum(1 for one in checked if one.valid)
    template_job = wave.template.job if wave.template_id else None  # its engine's words
    return render(request, "waves/wave.html", {
        "wave": wave, "rows": rows, "new_rows": new_rows(wave.paths, empty, posted),
        "columns": [{"path": path, "label": path_label(path, template_job)}
                    for path in wave.paths],
        "counts": {"rows": len(checked), "valid": valid, "problems": len(checked) - valid},
        "upload": upload or WaveUploadForm(wave=wave), "editable": wave.owner_id ==
        request.user.pk, "error": error,
    }, status=status)


@sensitive_post_parameters()  # a password's cell: never in an error report
@login_required
@require_http_methods(["GET", "POST"])
def wave_detail(request, pk: int):
    """The wave's page; a POST saves the grid (every changed row, the new rows typed)."""
    if request.method == "GET":
        wave = get_object_or_404(waves_for_user(request.user).select_related("template"), pk=pk)
        return _wave_page(request, wave)
    wave = _own_wave(request.user, pk)
    refusal = _project_refusal(request.user, wave.project)
    if refusal:
        return _wave_page(request, wave, posted=request.POST, error=refusal, status=403)
    edits = {row_pk: cells for row_pk in wave.rows.values_list("pk", flat=True)
             if (cells := posted_cells(request.POST, f"c-{row_pk}", wave.paths)) is not None}
    try:
        saved = wave_grid_save(wave=wave, edits=edits,
                               new_rows=posted_new_rows(request.POST, wave.paths),
                               versions=posted_versions(request.POST))
    except ApplicationError as exc:
        return _wave_page(request, wave, posted=request.POST, error=exc.message, status=409)
    if text := _rows_saved_message(saved):
        messages.success(request, text)
    if saved.sent:
        messages.warning(request, _rows_sent_message(saved.sent))
    if saved.stale:
        messages.warning(request, ngettext(
            "%(count)s row was changed elsewhere (in the wizard?) after this page was shown: "
            "it was not saved, and shows what it holds now.",
            "%(count)s rows were changed elsewhere (in the wizard?) after this page was shown: "
            "they were not saved, and show what they hold now.", saved.stale)
            % {"count": saved.stale})
    delete = posted_number(request.POST.get("delete_row", ""))
    row = wave.rows.select_related("draft").filter(pk=delete).first() if delete else None
    if row is not None:
        try:
            wave_row_delete(row=row)
            messages.success(request, _("Row deleted."))
        except ApplicationError as exc:
            messages.error(request, exc.message)
    url = reverse("wave_detail", args=[wave.pk])
    if "add_rows" in request.POST:
        shown = posted_number(request.POST.get("empty_rows", "")) or 1
        more = min(MAX_EMPTY_ROWS, shown + 5)
        url += f"?add={more}#new-rows"
    return redirect(url)


def _rows_sent_message(count: int) -> str:
    return ngettext(
        "%(count)s row is sent (or awaits approval): it is not changed, as in the wizard. A "
        "failed, rejected or withdrawn one can be changed again.",
        "%(count)s rows are sent (or await approval): they are not changed, as in the wizard. "
        "A failed, rejected or withdrawn one can be changed again.", count) % {"count": count}


def _rows_saved_message(saved) -> str:
    """What was saved ("" when the rows not saved are what there is to say)."""
    if not saved.created and not saved.updated:
        return "" if saved.sent or saved.stale else _(
            "Nothing to save: every row already holds these values.")
    return _("Rows added: %(added)s; rows updated: %(updated)s.") % {
        "added": saved.created, "updated": saved.updated}


@login_required
@require_POST
def wave_upload(request, pk: int):
    wave = _own_wave(request.user, pk)
    refusal = _project_refusal(request.user, wave.project)
    if refusal:  # said before the file is read
        return _wave_page(request, wave, error=refusal, status=403)
    form = WaveUploadForm(request.POST, request.FILES, wave=wave)
    if not form.is_valid():
        return _wave_page(request, wave, upload=form, status=400)
    try:
        with transaction.atomic():
            saved = wave_rows_save(wave=wave, rows=form.cleaned_data["file"])
    except ApplicationError as exc:
        form.add_error("file", exc.message)
        return _wave_page(request, wave, upload=form, status=409)
    if text := _rows_saved_message(saved):
        messages.success(request, text)
    if saved.sent:
        messages.warning(request, _rows_sent_message(saved.sent))
    return redirect("wave_detail", wave.pk)


@login_required
@require_GET
def wave_header(request, pk: int):
    """The file to fill in: the columns' paths, and an example row of the template."""
    wave = get_object_or_404(waves_for_user(request.user), pk=pk)
    if request.GET.get("format") == "xlsx":
        content, kind, ext = tables.header_xlsx(wave), (
            "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"), "xlsx"
    else:
        content, kind, ext = tables.header_csv(wave), "text/csv; charset=utf-8", "csv"
    response = HttpResponse(content, content_type=kind)
    response["Content-Disposition"] = content_disposition_header(
        True, f"{wave.name or 'wave'}-header.{ext}")
    return response


@sensitive_post_parameters()
@login_required
@require_POST
def wave_row(request, pk: int, row_pk: int):
    """One row's cells (htmx: on a change; the row comes back with its problems)."""
    wave = _own_wave(request.user, pk)
    row = get_object_or_404(WaveRow.objects.select_related("draft"), pk=row_pk, wave=wave)
    row.wave = wave
    error = _project_refusal(request.user, wave.project)
    typed = request.POST if error else None  # shown back: nothing typed is lost
    cells = posted_cells(request.POST, f"c-{row.pk}", wave.paths)
    if not error and cells:
        try:
            saved = wave_grid_save(wave=wave, edits={row.pk: cells}, new_rows=[],
                                   versions=posted_versions(request.POST))
        except ApplicationError as exc:
            error, typed = exc.message, request.POST
        else:
            if saved.sent:
                error = _rows_sent_message(saved.sent)
            elif saved.stale:
                error = _("This row was changed elsewhere (in the wizard?) after this page was "
                          "shown: it was not saved, and shows what it holds now.")
        row.draft.refresh_from_db()
    if not request.htmx:
        if error:
            messages.error(request, error)
        return redirect("wave_detail", wave.pk)
    return render(request, "waves/_row.html", {
        "row": grid_row(wave_row_checked(row), wave.paths, typed),
        "wave": wave, "editable": True, "row_error": error})

