"""Typing things once: what the wizard fills in from what it already knows.

- A cloud or ECS endpoint's region and project id (R-24), from the draft's cloud project: an
  input the step asks for and that is empty; never over a value typed or stored.
- The DRS node's VPC, subnet and security group, from the target endpoint's: the Network
  step's "Same as target" button.
- A new draft's Network step, from one of the person's earlier drafts.
"""

from django.utils.translation import gettext as _

from drsui import contract as c

from .fields import SIDES, fields_of

# {body path: the cloud project's value it is filled from}
FROM_PROJECT = {f"{side}.cloud.{key}": key
                for side in SIDES.values() for key in ("region", "project_id")}


def project_values(project) -> dict[str, str]:
    """What a cloud project (a CloudProject, or None) prefills: its region and project id."""
    if project is None:
        return {}
    return {"region": project.region, "project_id": project.project_id}


def prefills(step: str) -> bool:
    """Whether `step` has inputs a cloud project fills in."""
    return any(f.path in FROM_PROJECT for f in fields_of(step))


def prefill_from_project(form, project: dict[str, str], *, as_sent: frozenset = frozenset()):
    """Fill the step's empty region and project id inputs that are asked for (not those under
    More fields) from `project`. `as_sent`: inputs the person saw asked for and sent empty,
    left as they sent them."""
    for f in fields_of(form.step):
        key = FROM_PROJECT.get(f.path)
        if key and project.get(key) and f.path not in as_sent and f.when(form.job) \
                and c.get_path(form.job, f.path) in (None, ""):
            c.set_path(form.job, f.path, project[key])


# --- the node's network from the target's ----------------------------------------------------
TARGET_VPC = "target_endpoint.0.vpc"
NODE_VPC = "node_info.vpc"
VPC_KEYS = ("vpc_id", "subnet_id", "security_group_id")


def target_vpc(job: dict) -> dict[str, str]:
    """The target endpoint's VPC, subnet and security group ids that the body holds."""
    vpc = c.get_path(job, TARGET_VPC)
    if not isinstance(vpc, dict):
        return {}
    return {key: vpc[key] for key in VPC_KEYS
            if isinstance(vpc.get(key), str) and vpc[key].strip()}


def same_as_target_offer(job: dict) -> dict:
    """The "Same as target" button: what it copies, or why it is disabled."""
    values = target_vpc(job)
    if "vpc_id" not in values and "subnet_id" not in values:
        return {"enabled": False,
                "reason": _("The target endpoint has no VPC or subnet to copy: they are set on "
                            "the Target endpoint step (VPC).")}
    return {"enabled": True, "values": [(key, values[key]) for key in VPC_KEYS if key in values]}


def copy_target_vpc(job: dict) -> None:
    """The node takes each id the target endpoint's VPC holds; the others stay as they are."""
    for key, value in target_vpc(job).items():
        c.set_path(job, f"{NODE_VPC}.{key}", value)


# --- a new draft's network from an earlier one ------------------------------------------------
# The Network step's values a new task may start from (none is a secret). Not the node's fixed
# IPs (custom_node_ip) nor its EIPs (public_ip_list): an address is bound to one node, and two
# tasks' nodes cannot share it.
NETWORK_PATHS = ("base_info.net_type", *(f"{NODE_VPC}.{key}" for key in VPC_KEYS))


def network_values(job: dict) -> dict[str, object]:
    """{path: value} of the Network step's values `job` holds, copied."""
    values = {}
    for path in NETWORK_PATHS:
        value = c.get_path(job, path)
        if value not in (None, "", []):
            values[path] = c.copy_json(value)
    return values
