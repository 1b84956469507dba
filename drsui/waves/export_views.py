"""A wave's exports: the Terraform file and the JSON lines, downloads for whoever may open it."""

from django.contrib.auth.decorators import login_required
from django.http import HttpResponse
from django.shortcuts import get_object_or_404
from django.utils.http import content_disposition_header
from django.views.decorators.http import require_GET

from drsui.wizard.export import download_filename
from drsui.wizard.selectors import project_if_usable

from .export import wave_export_jsonl, wave_export_terraform
from .selectors import waves_for_user


def _download(text: str, *, content_type: str, name: str, ext: str) -> HttpResponse:
    response = HttpResponse(text, content_type=f"{content_type}; charset=utf-8")
    response["Content-Disposition"] = content_disposition_header(
        True, download_filename(name, ext))
    return response


@login_required
@require_GET
def wave_export_terraform_view(request, pk: int):
    wave = get_object_or_404(waves_for_user(request.user), pk=pk)
    project = project_if_usable(user=request.user, project=wave.project)
    text = wave_export_terraform(wave, region=project.region if project else "cn-north-4")
    return _download(text, content_type="text/plain", name=wave.name, ext="tf")


@login_required
@require_GET
def wave_export_jsonl_view(request, pk: int):
    wave = get_object_or_404(waves_for_user(request.user), pk=pk)
    return _download(wave_export_jsonl(wave), content_type="application/jsonl", name=wave.name,
                     ext="jsonl")
