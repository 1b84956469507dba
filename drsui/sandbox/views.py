"""The fake DRS v5 and IAM v3 HTTP APIs, plus the loopback-only control endpoints."""

import hashlib
import hmac
import ipaddress
import re
import time
from functools import wraps

from django.conf import settings
from django.http import JsonResponse
from django.utils.translation import gettext as _
from django.utils.translation import ngettext
from django.views.decorators.csrf import csrf_exempt

from drsui.contract import error_msg_format, parse_body, strip_secrets, validate_now
from drsui.sandbox import jobs
from drsui.sandbox.faults import clear_faults, faulted, faults_as_dict, set_faults
from drsui.sandbox.language import answers_in_asked_language
from drsui.sandbox.models import SandboxJob
from drsui.sandbox.tokens import signature_refusal, token_issue, token_read

PROJECT_ID = re.compile(r"[0-9a-fA-F]{32}")
ERROR_MSG_MAX = 512

# DRS error codes are exactly 12 characters; authentication failures come from the API
# gateway in front of DRS, with its own codes.
INVALID_REQUEST = "DRS.10000001"
JOB_NOT_FOUND = "DRS.10000010"
PROJECT_NOT_FOUND = "DRS.10000011"
ACTION_NOT_ALLOWED = "DRS.10000020"
METHOD_NOT_ALLOWED = "DRS.10000405"
DUPLICATE_NAME = "DRS.M0027700"
TOKEN_INVALID = "APIGW.0301"
TOKEN_WRONG_PROJECT = "APIGW.0302"
API_NOT_FOUND = "APIGW.0101"


def drs_error(*, status: int, code: str, message: str) -> JsonResponse:
    return JsonResponse({"error_code": code, "error_msg": message[:ERROR_MSG_MAX]}, status=status)


def iam_error(*, status: int, title: str, message: str) -> JsonResponse:
    return JsonResponse(
        {"error": {"code": status, "message": message, "title": title}}, status=status
    )


def method_not_allowed(*allowed: str) -> JsonResponse:
    response = drs_error(status=405, code=METHOD_NOT_ALLOWED, message=_("Method not allowed."))
    response["Allow"] = ", ".join(allowed)
    return response


_NOT_JSON = object()


def _json_body(request):
    try:
        return parse_body(request.body)
    except (ValueError, UnicodeDecodeError):
        return _NOT_JSON


# --- IAM ------------------------------------------------------------------------------------


@csrf_exempt
@answers_in_asked_language
@faulted(iam=True)
def iam_tokens(request):
    """POST /v3/auth/tokens: a password-scoped token in the X-Subject-Token header. The error
    titles are HTTP's reason phrases, in English as IAM gives them."""
    if request.method != "POST":
        return iam_error(status=405, title="Method Not Allowed", message=_("Use POST."))
    try:
        auth = _json_body(request)["auth"]
        identity = auth["identity"]
        user = identity["password"]["user"]
        user_name, password = user["name"], user["password"]
        domain_name = user["domain"]["name"]
        scope = auth["scope"]["project"]
        if "password" not in identity["methods"]:
            raise ValueError
        if not all(isinstance(v, str) for v in (user_name, password, domain_name)):
            raise ValueError
    except (KeyError, TypeError, ValueError):
        return iam_error(
            status=400,
            title="Bad Request",
            message=_("The body must hold auth.identity.password.user and auth.scope.project."),
        )
    project = _scoped_project(scope)
    if project is None:
        return iam_error(
            status=400,
            title="Bad Request",
            message=_("scope.project needs an id of 32 hex characters or a region name."),
        )
    sandbox = settings.DRSUI_SANDBOX
    expected = (sandbox["IAM_USER"], sandbox["IAM_PASSWORD"], sandbox["IAM_DOMAIN"])
    if not all(
        hmac.compare_digest(given.encode(), wanted.encode())
        for given, wanted in zip((user_name, password, domain_name), expected, strict=True)
    ):
        return iam_error(
            status=401, title="Unauthorized", message=_("The username or password is wrong.")
        )
    project_id, project_name = project
    ttl_seconds = sandbox["TOKEN_TTL_SECONDS"]
    value, claims = token_issue(project_id=project_id, user=user_name, ttl_seconds=ttl_seconds)
    body = {
        "token": {
            "expires_at": _iam_time(claims.expires_at),
            "issued_at": _iam_time(claims.expires_at - ttl_seconds),
            "methods": ["password"],
            "project": {"id": project_id, "name": project_name},
            "user": {"name": user_name, "domain": {"name": domain_name}},
        }
    }
    response = JsonResponse(body, status=201)
    response["X-Subject-Token"] = value
    return response


def _scoped_project(scope) -> tuple[str, str] | None:
    """(project id, project name) from scope.project {"id"} or {"name": "<region>"}."""
    if not isinstance(scope, dict):
        return None
    project_id, name = scope.get("id"), scope.get("name")
    if isinstance(project_id, str) and PROJECT_ID.fullmatch(project_id):
        return project_id, name if isinstance(name, str) and name else "sandbox"
    if project_id is None and isinstance(name, str) and name:
        return hashlib.md5(name.encode(), usedforsecurity=False).hexdigest(), name
    return None


def _iam_time(epoch: float) -> str:
    return time.strftime("%Y-%m-%dT%H:%M:%S", time.gmtime(epoch)) + f".{int(epoch % 1 * 1e6):06d}Z"


# --- DRS ------------------------------------------------------------------------------------


def drs_endpoint(view):
    """Check the project id's shape and the credentials (an X-Auth-Token, or a signature with
    an access key pair) before the view runs."""

    @wraps(view)
    def wrapped(request, project_id, *args, **kwargs):
        if not PROJECT_ID.fullmatch(project_id):
            return drs_error(
                status=404,
                code=PROJECT_NOT_FOUND,
                message=_("Project %(project_id)s does not exist.") % {"project_id": project_id},
            )
        if "X-Auth-Token" not in request.headers and "Authorization" in request.headers:
            return _signed_request(request, project_id, view, *args, **kwargs)
        claims = token_read(request.headers.get("X-Auth-Token", ""))
        if claims is None:
            return drs_error(
                status=401,
                code=TOKEN_INVALID,
                message=_(
                    "Incorrect IAM authentication information: the token is missing, invalid "
                    "or expired."
                ),
            )
        if claims.project_id != project_id:
            return drs_error(
                status=403,
                code=TOKEN_WRONG_PROJECT,
                message=_("The token is not scoped to this project."),
            )
        return view(request, project_id, *args, **kwargs)

    return wrapped


def _signed_request(request, project_id, view, *args, **kwargs):
    """An AK/SK request: refused as the API gateway refuses it (401 APIGW.0301), or run."""
    refusal = signature_refusal(request, access_keys=settings.DRSUI_SANDBOX["ACCESS_KEYS"])
    if refusal:
        return drs_error(
            status=401,
            code=TOKEN_INVALID,
            # The gateway's own reason stays as it gives it ("ak not exist").
            message=_("Incorrect IAM authentication information: %(reason)s")
            % {"reason": refusal},
        )
    if request.headers.get("X-Project-Id", project_id) != project_id:
        return drs_error(
            status=403,
            code=TOKEN_WRONG_PROJECT,
            message=_("The X-Project-Id header names another project than the path."),
        )
    return view(request, project_id, *args, **kwargs)


@csrf_exempt
@answers_in_asked_language
@faulted(create_on_post=True)
@drs_endpoint
def jobs_collection(request, project_id):
    if request.method == "POST":
        return _job_create(request, project_id)
    if request.method == "GET":
        return _job_list(request, project_id)
    return method_not_allowed("GET", "POST")


def _job_create(request, project_id):
    if not request.body.strip():
        return drs_error(
            status=400, code=INVALID_REQUEST, message=_("The request body is empty.")
        )
    body = _json_body(request)
    if body is _NOT_JSON:
        return drs_error(
            status=400, code=INVALID_REQUEST, message=_("The request body is not JSON.")
        )
    violations = validate_now(body)
    if violations:
        return drs_error(status=400, code=INVALID_REQUEST, message=violations_message(violations))
    clean_body = strip_secrets(body)[0]
    try:
        job = jobs.job_create(project_id=project_id, job=clean_body["job"])
    except jobs.DuplicateName as exc:
        return drs_error(
            status=400,
            code=DUPLICATE_NAME,
            message=error_msg_format(
                "base_info.name",
                _("a task named %(name)s already exists (names are case-insensitive).")
                % {"name": exc},
            ),
        )
    return JsonResponse(
        {
            "job": {
                "id": job.job_id,
                "name": job.name,
                "status": job.status,
                "create_time": jobs.drs_time(job.create_time),
            }
        }
    )


def violations_message(violations) -> str:
    """'<path>: <message> (<rule>)' for the first violation, '; and N more' if there are more
    (the contract's message in the active language)."""
    first = violations[0]
    suffix = f" ({first.rule})"
    if len(violations) > 1:
        more = len(violations) - 1
        suffix += ngettext("; and %(count)s more", "; and %(count)s more", more) % {
            "count": more
        }
    head = error_msg_format(first.path, first.message)
    room = ERROR_MSG_MAX - len(suffix)
    if len(head) > room:
        head = head[: room - 1] + "…"
    return head + suffix


def _job_list(request, project_id):
    try:
        offset = _int_param(request, "offset", default=0, low=0, high=10**9)
        limit = _int_param(request, "limit", default=10, low=1, high=1000)
    except ValueError as exc:
        return drs_error(status=400, code=INVALID_REQUEST, message=str(exc))
    found = jobs.job_list(
        project_id=project_id,
        name=request.GET.get("name") or None,
        status=request.GET.get("status") or None,
    )
    return JsonResponse(
        {
            "total_count": len(found),
            "jobs": [jobs.job_summary(job) for job in found[offset : offset + limit]],
        }
    )


def _int_param(request, name: str, *, default: int, low: int, high: int) -> int:
    text = request.GET.get(name)
    if text is None:
        return default
    if not re.fullmatch(r"\d{1,10}", text) or not low <= int(text) <= high:
        raise ValueError(
            error_msg_format(
                name,
                _("an integer from %(low)s to %(high)s is required.") % {"low": low, "high": high},
            )
        )
    return int(text)


@csrf_exempt
@answers_in_asked_language
@faulted()
@drs_endpoint
def job_detail(request, project_id, job_id):
    """GET a job, or with ?type=network|precheck&query_id= the result of that action."""
    if request.method != "GET":
        return method_not_allowed("GET")
    job = jobs.job_get(project_id=project_id, job_id=job_id)
    if job is None:
        return _job_not_found(job_id)
    result_type = request.GET.get("type") or "detail"
    if result_type == "detail":
        return JsonResponse({"job": jobs.job_detail(job)})
    if result_type not in ("network", "precheck"):
        return drs_error(
            status=400,
            code=INVALID_REQUEST,
            message=error_msg_format(
                "type", _("%(type)s is not supported.") % {"type": result_type}
            ),
        )
    stored = job.action_results.get(request.GET.get("query_id", ""))
    if stored is None or stored["type"] != result_type:
        return drs_error(
            status=400,
            code=INVALID_REQUEST,
            message=error_msg_format(
                "query_id", _("no %(type)s result with it.") % {"type": result_type}
            ),
        )
    return JsonResponse(stored["result"])


@csrf_exempt
@answers_in_asked_language
@faulted()
@drs_endpoint
def job_action(request, project_id, job_id):
    """POST {"job": {"action_name": ...}} -> {"query_id": ...}."""
    if request.method != "POST":
        return method_not_allowed("POST")
    job = jobs.job_get(project_id=project_id, job_id=job_id)
    if job is None:
        return _job_not_found(job_id)
    body = _json_body(request)
    job_part = body.get("job") if isinstance(body, dict) else None
    action_name = job_part.get("action_name") if isinstance(job_part, dict) else None
    if not isinstance(action_name, str) or action_name not in jobs.ACTIONS:
        return drs_error(
            status=400,
            code=INVALID_REQUEST,
            message=error_msg_format(
                "job.action_name",
                _("one of %(actions)s is required.") % {"actions": ", ".join(jobs.ACTIONS)},
            ),
        )
    try:
        query_id = jobs.job_action(job=job, action_name=action_name)
    except jobs.ActionNotAllowed as exc:
        return drs_error(status=400, code=ACTION_NOT_ALLOWED, message=exc.message)
    return JsonResponse({"query_id": query_id})


def _job_not_found(job_id: str) -> JsonResponse:
    return drs_error(
        status=404,
        code=JOB_NOT_FOUND,
        message=_("The task %(job_id)s does not exist.") % {"job_id": job_id},
    )


@csrf_exempt
@answers_in_asked_language
def not_found(request, rest=""):
    return drs_error(
        status=404,
        code=API_NOT_FOUND,
        message=_("The API does not exist or has not been published."),
    )


# --- control (loopback only) ----------------------------------------------------------------

_FORWARDING_HEADERS = ("X-Forwarded-For", "Forwarded", "X-Real-Ip")


def loopback_only(view):
    """Refuse anyone but a client on this machine (and anything relayed by a proxy)."""

    @wraps(view)
    def wrapped(request, *args, **kwargs):
        if not _is_loopback(request.META.get("REMOTE_ADDR", "")) or any(
            header in request.headers for header in _FORWARDING_HEADERS
        ):
            return JsonResponse(
                {"error": "The sandbox control API answers loopback only."},  # not translated
                status=403,
            )
        return view(request, *args, **kwargs)

    return wrapped


def _is_loopback(address: str) -> bool:
    try:
        ip = ipaddress.ip_address(address)
    except ValueError:
        return False
    if ip.version == 6 and ip.ipv4_mapped:
        ip = ip.ipv4_mapped
    return ip.is_loopback


@csrf_exempt
@loopback_only
def control_faults(request):
    """GET the faults; PUT {latency_ms, error_rate, hang_seconds, hang_rate, malformed_rate,
    drop_rate, scope} to replace them (absent keys mean no fault); DELETE to clear them."""
    if request.method == "GET":
        return JsonResponse(faults_as_dict())
    if request.method == "DELETE":
        return JsonResponse(clear_faults())
    if request.method == "PUT":
        values = _json_body(request)
        if not isinstance(values, dict):
            return JsonResponse({"error": "A JSON object is required."},  # not translated: test API
                                status=400)
        try:
            return JsonResponse(set_faults(**values))
        except ValueError as exc:
            return JsonResponse({"error": str(exc)}, status=400)
    return method_not_allowed("GET", "PUT", "DELETE")


@csrf_exempt
@loopback_only
def control_jobs(request):
    """DELETE every sandbox job."""
    if request.method != "DELETE":
        return method_not_allowed("DELETE")
    deleted, _ = SandboxJob.objects.all().delete()
    return JsonResponse({"deleted": deleted})
