"""Enumerations of the DRS "Create a Task" body (create-job-reference.md, "Enumerations")."""

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

# Short English labels for enumeration values (string values only; see PERIOD_TYPE_LABELS and
# AUTO_RENEW_LABELS for the integer ones).
LABELS = {
    # job_type
    "migration": "Real-time migration",
    "sync": "Real-time synchronization",
    "cloudDataGuard": "Disaster recovery",
    # engine_type
    "mysql-to-mysql": "MySQL → MySQL",
    "redis-to-gaussredis": "Redis → GeminiDB Redis",
    "rediscluster-to-gaussredis": "Redis Cluster → GeminiDB Redis",
    "oracle-to-gaussdbv5": "Oracle → GaussDB Distributed",
    # job_direction
    "up": "Into the cloud",
    "down": "Out of the cloud",
    "non-dbs": "Self-built to self-built",
    # task_type
    "FULL_TRANS": "Full",
    "INCR_TRANS": "Incremental",
    "FULL_INCR_TRANS": "Full + incremental",
    # net_type
    "eip": "Public network",
    "vpc": "VPC",
    "vpn": "VPN or Direct Connect",
    # charging_mode
    "on_demand": "Pay-per-use",
    "period": "Yearly/monthly",
    # db_type
    "mysql": "MySQL",
    "oracle": "Oracle",
    "gaussdbv5": "GaussDB Distributed",
    "redis": "Redis",
    "rediscluster": "Redis Cluster",
    "gaussredis": "GeminiDB Redis",
    # endpoint_type
    "offline": "Self-built (outside Huawei Cloud)",
    "ecs": "Self-built on ECS",
    "cloud": "Huawei Cloud DB instance",
    # endpoint_role
    "so": "Source",
    "ta": "Target",
    # endpoint_name (offline names are the db_type labels above)
    "ecs_mysql": "MySQL on ECS",
    "cloud_mysql": "RDS for MySQL",
    "ecs_oracle": "Oracle on ECS",
    "cloud_gaussdbv5": "GaussDB Distributed instance",
    "ecs_redis": "Redis on ECS",
    "ecs_rediscluster": "Redis Cluster on ECS",
    "cloud_gaussdb_redis": "GeminiDB Redis instance",
    # customized_dns.set_dns_action
    "add": "Add",
    "keep": "Keep",
    "update": "Update",
    "recover": "Recover",
    # node_type
    "micro": "Micro",
    "small": "Small",
    "medium": "Medium",
    "high": "High",
    # instance_type
    "single": "Single",
    "ha": "Primary/standby",
    # arch
    "x86": "x86",
    "arm": "Arm",
    # public_ip_list[].type
    "master": "Primary node",
    "slave": "Standby node",
    # X-Language
    "en-us": "English",
    "zh-cn": "简体中文",
}
PERIOD_TYPE_LABELS = {2: "Month", 3: "Year"}
AUTO_RENEW_LABELS = {0: "No auto-renewal", 1: "Auto-renew"}
