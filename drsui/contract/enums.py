"""Enumerations of the DRS "Create a Task" body (create-job-reference.md, "Enumerations")."""

from .i18n import Worded, pgettext

JOB_TYPES = ("migration", "sync", "cloudDataGuard")
ENGINE_TYPES = (
    "mysql-to-mysql",
    "redis-to-gaussredis",
    "rediscluster-to-gaussredis",
    "oracle-to-gaussdbv5",
)
JOB_DIRECTIONS = ("up", "down", "non-dbs")
TASK_TYPES = ("FULL_TRANS", "INCR_TRANS", "FULL_INCR_TRANS")
NET_TYPES = ("eip", "vpc", "vpn")
CHARGING_MODES = ("on_demand", "period")
DB_TYPES = ("mysql", "oracle", "gaussdbv5", "redis", "rediscluster", "gaussredis")
ENDPOINT_TYPES = ("offline", "ecs", "cloud")
ENDPOINT_ROLES = ("so", "ta")
ENDPOINT_NAMES = (
    "mysql",
    "ecs_mysql",
    "cloud_mysql",
    "oracle",
    "ecs_oracle",
    "cloud_gaussdbv5",
    "redis",
    "ecs_redis",
    "rediscluster",
    "ecs_rediscluster",
    "cloud_gaussdb_redis",
)
DNS_ACTIONS = ("add", "keep", "update", "recover")
PERIOD_TYPES = (2, 3)  # 2 = month, 3 = year (the API's default)
AUTO_RENEW = (0, 1)
NODE_TYPES = ("micro", "small", "medium", "high")
INSTANCE_TYPES = ("single", "ha")
ARCHES = ("x86", "arm")
PUBLIC_IP_TYPES = ("master", "slave")
LANGUAGES = ("en-us", "zh-cn")

JOB_STATUSES = (
    "CREATING",
    "CREATE_FAILED",
    "CONFIGURATION",
    "STARTJOBING",
    "WAITING_FOR_START",
    "START_JOB_FAILED",
    "FULL_TRANSFER_STARTED",
    "FULL_TRANSFER_FAILED",
    "FULL_TRANSFER_COMPLETE",
    "INCRE_TRANSFER_STARTED",
    "INCRE_TRANSFER_FAILED",
    "RELEASE_RESOURCE_STARTED",
    "RELEASE_RESOURCE_FAILED",
    "RELEASE_RESOURCE_COMPLETE",
    "CHANGE_JOB_STARTED",
    "CHANGE_JOB_FAILED",
    "PAUSING",
    "DELETED",
    "CHILD_TRANSFER_STARTING",
    "CHILD_TRANSFER_STARTED",
    "CHILD_TRANSFER_COMPLETE",
    "CHILD_TRANSFER_FAILED",
)

# Statuses a job does not leave by itself: failures, releases, deletion, and the end of a
# full-only task (a full+incremental task goes on to INCRE_TRANSFER_STARTED instead of stopping
# at FULL_TRANSFER_COMPLETE). CONFIGURATION, WAITING_FOR_START and PAUSING are not final: they
# wait for a person or a schedule, and the job can still move, so a status refresher keeps polling.
FINAL_STATUSES = (
    "CREATE_FAILED",
    "START_JOB_FAILED",
    "FULL_TRANSFER_FAILED",
    "FULL_TRANSFER_COMPLETE",
    "INCRE_TRANSFER_FAILED",
    "RELEASE_RESOURCE_COMPLETE",
    "RELEASE_RESOURCE_FAILED",
    "CHANGE_JOB_FAILED",
    "CHILD_TRANSFER_COMPLETE",
    "CHILD_TRANSFER_FAILED",
    "DELETED",
)


def _labels():
    # The context of each label is the API field whose value it names (offline endpoint names
    # are the db_type labels).
    return {
        "migration": pgettext("job_type", "Real-time migration"),
        "sync": pgettext("job_type", "Real-time synchronization"),
        "cloudDataGuard": pgettext("job_type", "Disaster recovery"),
        "mysql-to-mysql": pgettext("engine_type", "MySQL → MySQL"),
        "redis-to-gaussredis": pgettext("engine_type", "Redis → GeminiDB Redis"),
        "rediscluster-to-gaussredis": pgettext("engine_type", "Redis Cluster → GeminiDB Redis"),
        "oracle-to-gaussdbv5": pgettext("engine_type", "Oracle → GaussDB Distributed"),
        "up": pgettext("job_direction", "Into the cloud"),
        "down": pgettext("job_direction", "Out of the cloud"),
        "non-dbs": pgettext("job_direction", "Self-built to self-built"),
        "FULL_TRANS": pgettext("task_type", "Full"),
        "INCR_TRANS": pgettext("task_type", "Incremental"),
        "FULL_INCR_TRANS": pgettext("task_type", "Full + incremental"),
        "eip": pgettext("net_type", "Public network"),
        "vpc": pgettext("net_type", "VPC"),
        "vpn": pgettext("net_type", "VPN or Direct Connect"),
        "on_demand": pgettext("charging_mode", "Pay-per-use"),
        "period": pgettext("charging_mode", "Yearly/monthly"),
        "mysql": pgettext("db_type", "MySQL"),
        "oracle": pgettext("db_type", "Oracle"),
        "gaussdbv5": pgettext("db_type", "GaussDB Distributed"),
        "redis": pgettext("db_type", "Redis"),
        "rediscluster": pgettext("db_type", "Redis Cluster"),
        "gaussredis": pgettext("db_type", "GeminiDB Redis"),
        "offline": pgettext("endpoint_type", "Self-built (outside Huawei Cloud)"),
        "ecs": pgettext("endpoint_type", "Self-built on ECS"),
        "cloud": pgettext("endpoint_type", "Huawei Cloud DB instance"),
        "so": pgettext("endpoint_role", "Source"),
        "ta": pgettext("endpoint_role", "Target"),
        "ecs_mysql": pgettext("endpoint_name", "MySQL on ECS"),
        "cloud_mysql": pgettext("endpoint_name", "RDS for MySQL"),
        "ecs_oracle": pgettext("endpoint_name", "Oracle on ECS"),
        "cloud_gaussdbv5": pgettext("endpoint_name", "GaussDB Distributed instance"),
        "ecs_redis": pgettext("endpoint_name", "Redis on ECS"),
        "ecs_rediscluster": pgettext("endpoint_name", "Redis Cluster on ECS"),
        "cloud_gaussdb_redis": pgettext("endpoint_name", "GeminiDB Redis instance"),
        "add": pgettext("set_dns_action", "Add"),
        "keep": pgettext("set_dns_action", "Keep"),
        "update": pgettext("set_dns_action", "Update"),
        "recover": pgettext("set_dns_action", "Recover"),
        "micro": pgettext("node_type", "Micro"),
        "small": pgettext("node_type", "Small"),
        "medium": pgettext("node_type", "Medium"),
        "high": pgettext("node_type", "High"),
        "single": pgettext("instance_type", "Single"),
        "ha": pgettext("instance_type", "Primary/standby"),
        "x86": pgettext("arch", "x86"),
        "arm": pgettext("arch", "Arm"),
        "master": pgettext("public_ip_list.type", "Primary node"),
        "slave": pgettext("public_ip_list.type", "Standby node"),
        # X-Language: each language is named in itself
        "en-us": "English",
        "zh-cn": "简体中文",
    }


# Short labels for enumeration values, in the active language (string values only; see
# PERIOD_TYPE_LABELS and AUTO_RENEW_LABELS for the integer ones).
LABELS = Worded(_labels)
PERIOD_TYPE_LABELS = Worded(
    lambda: {2: pgettext("period_type", "Month"), 3: pgettext("period_type", "Year")}
)
AUTO_RENEW_LABELS = Worded(
    lambda: {
        0: pgettext("is_auto_renew", "No auto-renewal"),
        1: pgettext("is_auto_renew", "Auto-renew"),
    }
)
