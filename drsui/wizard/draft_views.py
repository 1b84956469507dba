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
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from drsui import contract as c
from drsui.errors import ApplicationError

from . import export
from .selectors import (
    draft_get_for_user,
    draft_list_for_user,
    draft_status,
    project_by_id,
    project_list,
)
from .services import draft_clone, draft_delete, draft_from_body, draft_rename

MAX_IMPORT_BYTES = 1024 * 1024
SORTS = {"name": Lower("name"), "-name": Lower("name").desc(),
         "changed": "updated_at", "-changed": "-updated_at",
         "project": "project__name", "-project": "-project__name"}


@login_required
@require_GET
def draft_list(request):
    query = request.GET.get("q", "").replace("\x00", "").strip()  # no name holds a NUL
    sort = request.GET.get("sort", "-changed")
    drafts = draft_list_for_user(user=request.user).order_by(SORTS.get(sort, "-updated_at"), "-pk")
    if query:
        drafts = drafts.filter(name__icontains=query)
    page = Paginator(drafts, 20).get_page(request.GET.get("page"))
    rows = [{"draft": d, **draft_status(draft=d)} for d in page]
    return render(request, "wizard/drafts.html",
                  {"page": page, "rows": rows, "q": query, "sort": sort})


@login_required
@require_GET
def draft_resume(request, draft_id: int):
    draft = draft_get_for_user(user=request.user, draft_id=draft_id)
    return redirect(draft_status(draft=draft)["resume_url"])


@login_required
@require_POST
def draft_rename_view(request, draft_id: int):
    draft = draft_get_for_user(user=request.user, draft_id=draft_id)
    name = request.POST.get("name", "").strip()
    problems = [v for v in c.validate({"job": {"base_info": {"name": name}}})
                if v.path == "base_info.name"]
    if problems:
        messages.error(request, f"Not renamed: {problems[0].message}")
    else:
        draft_rename(draft=draft, name=name)
        messages.success(request, f"Renamed to {name}.")
    return redirect("draft_list")


@login_required
@require_http_methods(["GET", "POST"])
def draft_delete_view(request, draft_id: int):
    draft = draft_get_for_user(user=request.user, draft_id=draft_id)
    if request.method == "POST":
        try:
            draft_delete(draft=draft)
        except ApplicationError as exc:
            messages.error(request, exc.message)
        else:
            messages.success(request, f"Deleted {draft.name}." if draft.name
                             else "Deleted the unnamed draft.")
        return redirect("draft_list")
    return render(request, "wizard/draft_delete.html", {"draft": draft})


@login_required
@require_POST
def draft_clone_view(request, draft_id: int):
    draft = draft_get_for_user(user=request.user, draft_id=draft_id)
    clone = draft_clone(owner=request.user, body=draft.body, project=draft.project,
                        origin=f"a copy of draft {draft.pk}")
    messages.info(request, "A copy without passwords or certificates: enter them again.")
    return redirect(draft_status(draft=clone)["resume_url"])


def _read_import(request) -> tuple[dict | None, str]:
    upload = request.FILES.get("file")
    if upload is not None:
        if upload.size > MAX_IMPORT_BYTES:
            return None, "The file is larger than 1 MB: a DRS task body is a few KB."
        raw = upload.read()
    else:
        raw = request.POST.get("body", "").encode()
        if len(raw) > MAX_IMPORT_BYTES:
            return None, "The pasted text is larger than 1 MB: a DRS task body is a few KB."
    if not raw.strip():
        return None, "Paste a body or choose a file."
    try:
        body = c.parse_body(raw.decode("utf-8-sig"))
    except UnicodeDecodeError:
        return None, "The file is not UTF-8 text."
    except ValueError as exc:
        return None, f"Not valid JSON: {str(exc)[:200]}"
    if not isinstance(body, dict) or not isinstance(body.get("job"), dict):
        return None, 'The body must be a JSON object of the API\'s form: {"job": {...}}.'
    return body, ""


@login_required
@require_http_methods(["GET", "POST"])
def draft_import(request):
    ctx = {"projects": project_list(), "error": "", "body": "", "project_error": ""}
    if request.method == "POST":
        body, error = _read_import(request)
        posted_project = request.POST.get("project_id", "")
        project = project_by_id(posted_project) if posted_project else None
        project_error = "Choose a cloud project from the list." if posted_project and (
            project is None) else ""
        if error or project_error:  # all of the body, as pasted
            ctx.update(error=error, project_error=project_error, body=request.POST.get("body", ""),
                       project_id=project.pk if project else None)
            return render(request, "wizard/draft_import.html", ctx)
        draft = draft_from_body(owner=request.user, body=body, project=project,
                                origin="imported")
        status = draft_status(draft=draft)
        left_out = [str(key) for key in body if key != "job"]
        if left_out:
            messages.warning(request, "Left out, as the API takes only \"job\" at the top "
                                      f"level: {', '.join(left_out)[:300]}.")
        if status["problems"]:
            messages.warning(request, f"Imported with {status['problems']} problem(s) to fix: "
                                      "each is shown on its step.")
        else:
            messages.success(request, "Imported: the task is complete and valid.")
        return redirect(status["resume_url"])
    return render(request, "wizard/draft_import.html", ctx)


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
    return export_response(request, body=body, name=draft.name, project=draft.project,
                           back_url=reverse("draft_list"))
