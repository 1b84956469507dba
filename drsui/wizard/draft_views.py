"""My drafts: list, resume, rename, delete, clone, import and export (a submission's clone
and export are jobs' views, through draft_clone and export_response)."""


from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.paginator import Paginator
from django.db.models.functions import Lower
from django.http import HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.http import content_disposition_header
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy, ngettext
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from drsui import contract as c
from drsui.errors import ApplicationError

from . import export
from .draft_forms import DraftDeleteForm, DraftImportForm, DraftRenameForm, DraftSearchForm
from .selectors import (
    draft_get_for_user,
    draft_list_for_user,
    draft_network_source,
    draft_status,
    project_ids_for_user,
    project_if_usable,
)
from .services import Origin, draft_clone, draft_delete, draft_from_body, draft_rename

SORTS = {"name": Lower("name"), "-name": Lower("name").desc(),
         "changed": "updated_at", "-changed": "-updated_at",
         "project": "project__name", "-project": "-project__name"}


@login_required
@require_GET
def draft_list(request):
    search = DraftSearchForm(request.GET)
    search.is_valid()  # a sort holding a NUL is left out: the default order
    query, sort = search.cleaned_data.get("q", ""), search.cleaned_data.get("sort") or "-changed"
    drafts = draft_list_for_user(user=request.user).order_by(SORTS.get(sort, "-updated_at"), "-pk")
    if query:
        drafts = drafts.filter(name__icontains=query)
    page = Paginator(drafts, 20).get_page(request.GET.get("page"))
    usable = project_ids_for_user(request.user)
    rows = [{"draft": d, **draft_status(draft=d, usable_project_ids=usable)} for d in page]
    return render(request, "wizard/drafts.html",
                  {"page": page, "rows": rows, "q": query, "sort": sort, "search": search,
                   "network_source": draft_network_source(user=request.user)})


@login_required
@require_POST
def draft_new_with_network(request, draft_id: int):
    """"New task with the network of …": a new task (stored at its first save) starting from
    the Network step values of one of the person's own drafts."""
    source = draft_get_for_user(user=request.user, draft_id=draft_id)
    return redirect(reverse("draft_new") + f"?network_from={source.pk}")


@login_required
@require_GET
def draft_resume(request, draft_id: int):
    draft = draft_get_for_user(user=request.user, draft_id=draft_id)
    return redirect(draft_status(draft=draft)["resume_url"])


@login_required
@require_http_methods(["GET", "POST"])
def draft_rename_view(request, draft_id: int):
    draft = draft_get_for_user(user=request.user, draft_id=draft_id)
    if request.method == "POST":
        form = DraftRenameForm(request.POST, draft=draft)
        if form.is_valid():
            name = form.cleaned_data["name"]
            draft_rename(draft=draft, name=name)
            messages.success(request, _("Renamed to %(name)s.") % {"name": name})
            return redirect("draft_list")
    else:
        form = DraftRenameForm(draft=draft, initial={"name": draft.name})
    return render(request, "wizard/draft_rename.html", {"draft": draft, "form": form})


@login_required
@require_http_methods(["GET", "POST"])
def draft_delete_view(request, draft_id: int):
    draft = draft_get_for_user(user=request.user, draft_id=draft_id)
    form = DraftDeleteForm(request.POST if request.method == "POST" else None)
    if form.is_valid():
        try:
            draft_delete(draft=draft)
        except ApplicationError as exc:
            messages.error(request, exc.message)
        else:
            messages.success(request, _("Deleted %(name)s.") % {"name": draft.name}
                             if draft.name else _("Deleted the unnamed draft."))
        return redirect("draft_list")
    return render(request, "wizard/draft_delete.html", {"draft": draft, "form": form})


@login_required
@require_POST
def draft_clone_view(request, draft_id: int):
    draft = draft_get_for_user(user=request.user, draft_id=draft_id)
    return clone_response(request, body=draft.body, project=draft.project,
                          origin=lambda: _("a copy of draft %(id)s") % {"id": draft.pk})


def clone_response(request, *, body: dict, project, origin: Origin):
    """A new draft of `body` (without its secrets), opened where it needs attention."""
    clone = draft_clone(owner=request.user, body=body, project=project, origin=origin)
    messages.info(request, _("A copy without passwords or certificates: enter them again."))
    return redirect(draft_status(draft=clone)["resume_url"])


@login_required
@require_http_methods(["GET", "POST"])
def draft_import(request):
    if request.method == "GET":
        return render(request, "wizard/draft_import.html",
                      {"form": DraftImportForm(user=request.user)})
    form = DraftImportForm(request.POST, request.FILES, user=request.user)
    if not form.is_valid():  # all of the body, as pasted, is shown back
        return render(request, "wizard/draft_import.html", {"form": form})
    body = form.cleaned_data["job_body"]
    draft = draft_from_body(owner=request.user, body=body,
                            project=form.cleaned_data["project_id"],
                            origin=gettext_lazy("imported"))
    status = draft_status(draft=draft)
    left_out = [str(key) for key in body if key != "job"]
    if left_out:
        messages.warning(request, _("Left out, as the API takes only \"job\" at the top "
                                    "level: %(keys)s.") % {"keys": ", ".join(left_out)[:300]})
    if status["problems"]:
        messages.warning(request, ngettext(
            "Imported with %(count)d problem to fix: it is shown on its step.",
            "Imported with %(count)d problems to fix: each is shown on its step.",
            status["problems"]) % {"count": status["problems"]})
    else:
        messages.success(request, _("Imported: the task is complete and valid."))
    return redirect(status["resume_url"])


def export_response(request, *, body: dict, name: str, project, back_url: str):
    """The export page, or the body in the format asked for (?format=json|curl|terraform)."""
    region = project.region if project else "cn-north-4"
    project_id = project.project_id if project else "{project_id}"
    formats = {
        "json": (export.export_json(body), "application/json", "json"),
        "curl": (export.export_curl(body, region=region, project_id=project_id),
                 "text/x-shellscript", "sh"),
        "terraform": (export.export_terraform(body, resource_name=name or "task", region=region),
                      "text/plain", "tf"),
    }
    chosen = request.GET.get("format")
    if chosen in formats:
        text, content_type, ext = formats[chosen]
        response = HttpResponse(text, content_type=f"{content_type}; charset=utf-8")
        response["Content-Disposition"] = content_disposition_header(
            True, export.download_filename(name, ext))
        return response
    return render(request, "wizard/export.html", {
        "name": name, "back_url": back_url,
        "formats": [(key, text) for key, (text, _, _) in formats.items()]})


@login_required
@require_GET
def draft_export(request, draft_id: int):
    draft = draft_get_for_user(user=request.user, draft_id=draft_id)
    body = c.body_for_validation(draft.job, draft.secrets())  # secrets present, as ******
    project = project_if_usable(user=request.user, project=draft.project)
    return export_response(request, body=body, name=draft.name, project=project,
                           back_url=reverse("draft_list"))
