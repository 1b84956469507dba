"""Hypothesis strategies: valid create-job bodies over every engine, endpoint kind, SSL, DNS,
shards, billing and node option, including what revision 2 accepts (Terraform's false flags,
cloud fields on offline endpoints, ids and names)."""

from hypothesis import strategies as st

from drsui import contract as c

_ID = st.text("abcdef0123456789-", min_size=8, max_size=36).filter(lambda s: s.strip("-"))
_WORD = st.text("abcdefghijklmnopqrstuvwxyz0123456789", min_size=1, max_size=12)
_IP = st.tuples(*[st.integers(1, 254)] * 4).map(lambda t: ".".join(map(str, t)))
_PORT = st.integers(1, 65535).map(str)
_CERT = st.sampled_from(["LS0tLS1CRUdJTiBDRVJUSUZJQ0FURS0tLS0tCk1JSUI=", "QUJDRA=="])
_PASSWORD = st.text("abcdefghijklmnopqrstuvwxyzABC0123456789!@#", min_size=1, max_size=16)


def _maybe(draw, strategy):
    return draw(st.none() | strategy)


def _put(target: dict, key: str, value):
    if value is not None:
        target[key] = value


@st.composite
def _tags(draw):
    keys = draw(st.lists(st.text("abcXYZ_-0123环境", min_size=1, max_size=36), max_size=3,
                         unique=True))
    value = st.text("abcXYZ09 _.:/=+-@生产", min_size=1, max_size=43).filter(str.strip)
    return [{"key": k, "value": draw(value)} for k in keys]


@st.composite
def _ssl(draw, side):
    if not draw(st.booleans()):
        return {"ssl_link": False}
    name = draw(st.sampled_from(["ca.pem", "client.p12", "root.crt"]))
    ssl = {"ssl_link": True, "ssl_cert_name": name, "ssl_cert_key": draw(_CERT)}
    if side == "source" or draw(st.booleans()):
        ssl["ssl_cert_check_sum"] = draw(st.text("0123456789abcdef", min_size=32, max_size=64))
    if name.endswith(".p12"):
        ssl["ssl_cert_password"] = draw(_PASSWORD)
    return ssl


@st.composite
def _dns(draw):
    action = draw(st.sampled_from(c.DNS_ACTIONS))
    ip = draw(_IP) if action in ("add", "update") else draw(st.sampled_from(["", "10.0.0.53"]))
    return {"is_set_dns": draw(st.booleans()), "set_dns_action": action, "dns_ip": ip}


@st.composite
def _endpoint(draw, side, db_type, endpoint_type, engine):
    cluster = db_type == "rediscluster"
    endpoint = {"endpoint_name": c.endpoint_name_for(db_type, endpoint_type)}
    entry = {"db_type": db_type, "endpoint_type": endpoint_type,
             "endpoint_role": "so" if side == "source" else "ta", "endpoint": endpoint}
    if endpoint_type == "cloud":
        endpoint["instance_id"] = draw(_ID)
        _put(endpoint, "ip", _maybe(draw, _IP))  # revision 2: accepted on cloud endpoints
        _put(endpoint, "db_port", _maybe(draw, _PORT))
        _put(endpoint, "instance_name", _maybe(draw, _WORD))
    elif cluster:
        shards = draw(st.lists(st.tuples(_IP, _PORT), min_size=1, max_size=4))
        endpoint["ip"] = draw(st.sampled_from([",", ", "])).join(
            f"{ip}:{port}" for ip, port in shards)
    else:
        endpoint["ip"] = draw(_IP)
        endpoint["db_port"] = draw(_PORT)
    if db_type == "oracle":
        endpoint["db_name"] = draw(st.sampled_from(["serviceName.orcl", "ORCL"]))
    else:
        _put(endpoint, "db_name", _maybe(draw, _WORD))
    _put(endpoint, "id", _maybe(draw, _ID))
    redis_source = side == "source" and db_type in ("redis", "rediscluster")
    user = _WORD | _WORD.map(lambda w: f" {w} ")  # spaces are the user's: kept as given
    endpoint["db_user"] = draw(st.just("") | user) if redis_source else draw(user)
    endpoint["db_password"] = draw(_PASSWORD)
    if side == "source" and not cluster and draw(st.booleans()):
        endpoint["source_sharding"] = [
            {k: v for k, v in draw(_endpoint(side, db_type, endpoint_type, engine))
             ["endpoint"].items() if k != "source_sharding"}
            for _ in range(draw(st.integers(1, 2)))]
    if endpoint_type in ("ecs", "cloud") or draw(st.booleans()):  # offline: revision 2
        entry["cloud"] = {"region": "cn-north-4", "project_id": draw(_ID)}
        _put(entry["cloud"], "az_code", _maybe(draw, st.just("cn-north-4a,cn-north-4b")))
    if endpoint_type == "ecs" or draw(st.booleans()):
        entry["vpc"] = {"vpc_id": draw(_ID), "subnet_id": draw(_ID)}
        _put(entry["vpc"], "security_group_id", _maybe(draw, _ID))
    _put(entry, "ssl", _maybe(draw, _ssl(side)))
    _put(entry, "customized_dns", _maybe(draw, _dns()))
    return entry


@st.composite
def valid_bodies(draw):
    job_type, engine = draw(st.sampled_from(c.SCENARIOS))
    direction = draw(st.sampled_from(c.directions_for(engine)))
    dr = job_type == "cloudDataGuard"
    multi_write = draw(st.booleans()) if dr else _maybe(draw, st.just(False))
    base = {"name": draw(st.from_regex(r"[A-Za-z][A-Za-z0-9_-]{3,20}", fullmatch=True)),
            "job_type": job_type, "engine_type": engine, "job_direction": direction,
            "task_type": "FULL_INCR_TRANS" if dr and multi_write is False
            else draw(st.sampled_from(c.TASK_TYPES)),
            "net_type": draw(st.sampled_from(c.net_types_for(job_type)))}
    _put(base, "multi_write", multi_write)
    period = draw(st.booleans())
    base["charging_mode"] = "period" if period else draw(st.sampled_from(["on_demand", None]))
    if base["charging_mode"] is None:
        del base["charging_mode"]
    _put(base, "enterprise_project_id", draw(st.sampled_from(["0", "ep-1", None])))
    _put(base, "description", _maybe(draw, st.text("abc xyz,.;中文\n", max_size=30)))
    _put(base, "start_time", _maybe(draw, st.just("4102444800123")))  # 2100-01-01, with ms
    if not period:
        _put(base, "expired_days", _maybe(draw, st.integers(14, 100).map(str)))
    _put(base, "tags", _maybe(draw, _tags()))
    fast_clean = st.booleans() if engine == "mysql-to-mysql" else st.just(False)
    _put(base, "is_open_fast_clean", _maybe(draw, fast_clean))

    source_db, target_db = c.engine_db_types(engine)
    sides = {}
    for side, db_type in (("source", source_db), ("target", target_db)):
        endpoint_type = draw(st.sampled_from(c.endpoint_types_for_side(engine, direction, side)))
        sides[side] = draw(_endpoint(side, db_type, endpoint_type, engine))
    source, target = sides["source"], sides["target"]
    if engine == "rediscluster-to-gaussredis" and draw(st.booleans()):
        shards = len(c.redis_shards(source["endpoint"]["ip"]))
        source["config"] = draw(st.just({}) | st.integers(1, min(shards, 16)).map(
            lambda n: {"node_num": n}))
    if c.readonly_target_allowed(engine, job_type, direction):
        single_active_dr = dr and multi_write is False
        readonly = st.just(True) if single_active_dr else st.booleans()
        _put(target, "config", _maybe(draw, readonly.map(lambda r: {"is_target_readonly": r})))
    elif draw(st.booleans()):
        target["config"] = {"is_target_readonly": False}  # revision 2: Terraform's block

    node = {"spec": {"node_type": draw(st.sampled_from(c.node_types_for(job_type)))}}
    self_built = {source["endpoint_type"], target["endpoint_type"]} != {"cloud"}
    if self_built or draw(st.booleans()):
        node["vpc"] = {"vpc_id": draw(_ID), "subnet_id": draw(_ID)}
        _put(node["vpc"], "security_group_id", _maybe(draw, _ID))
    instance_type = _maybe(draw, st.sampled_from(c.INSTANCE_TYPES))
    if instance_type:
        zones = ["cn-north-4a", "cn-north-4b"][: c.az_count_for(instance_type)]
        node["base_info"] = {"instance_type": instance_type,
                             "arch": draw(st.sampled_from(c.ARCHES)),
                             "availability_zone": ",".join(zones)}
    job = {"base_info": base, "source_endpoint": [source], "target_endpoint": [target],
           "node_info": node}
    if period:
        period_type = draw(st.sampled_from(c.PERIOD_TYPES))
        job["period_order"] = {"period_type": period_type,
                               "period_num": draw(st.sampled_from(
                                   c.period_num_range(period_type)))}
        _put(job["period_order"], "is_auto_renew", _maybe(draw, st.sampled_from(c.AUTO_RENEW)))
    if base["net_type"] == "eip" and draw(st.booleans()):
        ips = [{"id": draw(_ID), "public_ip": draw(_IP), "type": "master"}]
        if instance_type == "ha" and draw(st.booleans()):
            ips.append({"id": draw(_ID), "public_ip": draw(_IP), "type": "slave"})
        job["public_ip_list"] = ips
    return {"job": job}
