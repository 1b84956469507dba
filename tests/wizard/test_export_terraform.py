"""The Terraform export is one huaweicloud_drs_job_v5 resource holding the body, and data only,
whatever the body holds: an imported draft may carry any key and any text."""

import base64
import json
import os
import shutil
import subprocess

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from drsui.contract import SECRET_FIELDS
from drsui.wizard.export import export_terraform
from tests.contract.bodies import EXAMPLES, SECRET_VALUES, VALID_BODIES, full_body, oracle_body
from tests.properties import examples
from tests.wizard.terraform_reader import assert_terraform_export

EXPLOIT = ('x" = 1 }\nresource "null_resource" "x" { provisioner "local-exec" { command = '
           '"touch /tmp/drsui-export-ran" } }\n#')
HOSTILE = [
    EXPLOIT,
    '%{ if true }x%{ endif }', '%{for x in [1]}${x}%{endfor}', '${file("/etc/passwd")}',
    "$${x}", "%%{x}", "$$${x}", "${", "%{", "$", "%", "$$", "%%", "a$", "a%", "${}", "}",
    '"', "\\", '\\"', "\\n", "\\u0024{x}", "a\nb", "\r\n", "\t", "\x00", "\x1b[31m", "\x7f",
    "/*", "*/", "/* x */", "# c", "// c", "<<EOF\nx\nEOF\n", "<<-EOT",
    "é ü 中文 😀", "\u202e", "\u2028", "\u00a0", "\ufeff", "\U000e0001",
    "null", "true", "for", "if", "in", "var.x", "x = 1", "=", "", " ",
]


def export(body, region="cn-north-4", name="task"):
    return export_terraform(body, resource_name=name, region=region)


@pytest.mark.parametrize("body", [json.loads(path.read_text()) for path in EXAMPLES]
                         + [make() for make in VALID_BODIES.values()],
                         ids=[path.stem for path in EXAMPLES] + list(VALID_BODIES))
def test_examples_and_each_scenario_come_out_as_one_resource_with_the_same_values(body):
    text = export(body)
    read = assert_terraform_export(text, body, region="cn-north-4")
    for secret in SECRET_VALUES:
        assert secret not in text
    assert "source_endpoint_db_password" in read.variables


def with_text(text: str) -> dict:
    """A valid body with the text as a value and as a key at every level it can reach."""
    body = full_body()
    job = body["job"]
    base = job["base_info"]
    base["name"] = base["description"] = text
    base[text] = {text: [text, {text: text}]}
    base["tags"].append({"key": text, "value": text, text: text})
    base["nested"] = {"inner": {text: text, "list": [text, 1, None]}}
    shard = job["source_endpoint"][0]["endpoint"]["source_sharding"][0]
    shard[text] = text
    job[text] = text
    job["extra"] = [text, [text], {text: {"db_password": text}}]
    return body


@pytest.mark.parametrize("text", HOSTILE, ids=[repr(t)[:40] for t in HOSTILE])
def test_any_text_stays_text_as_key_value_region_or_name(text):
    body = with_text(text)
    assert_terraform_export(export(body, region=text, name=text), body, region=text)


def test_the_issues_key_does_not_make_a_null_resource():
    body = oracle_body()
    body["job"][EXPLOIT] = "x"
    body["job"]["base_info"][EXPLOIT] = "x"
    body["job"]["base_info"]["description"] = EXPLOIT
    text = export(body)
    read = assert_terraform_export(text, body)
    assert [(kind, name) for kind, name, _ in read.resources] == [
        ("huaweicloud_drs_job_v5", "task")]
    assert text.startswith("# Left out: 1 job entry whose name Terraform cannot take as an "
                           "argument (see the JSON export).\n")


def test_directives_and_interpolations_are_escaped():
    body = oracle_body()
    body["job"]["base_info"]["description"] = '%{ if true }${file("x")}%{ endif }'
    text = export(body)
    assert 'description           = "%%{ if true }$${file(\\"x\\")}%%{ endif }"' in text
    assert_terraform_export(text, body)


def test_terraforms_own_arguments_in_a_job_are_left_out():
    body = oracle_body()
    job = body["job"]
    job.update({"count": 5, "for_each": {"a": "1", "b": "2"}, "depends_on": ["x"],
                "provider": "huaweicloud.other", "lifecycle": {"prevent_destroy": True},
                "provisioner": {"local-exec": {"command": "id"}}, "connection": {"host": "h"},
                "region": "elsewhere"})
    job["base_info"]["count"] = 3  # only a resource's own arguments are Terraform's
    text = export(body, region="cn-north-4")
    read = assert_terraform_export(text, body, region="cn-north-4")
    [(_, _, resource)] = read.resources
    assert set(resource) == {"base_info", "source_endpoint", "target_endpoint", "node_info"}
    assert "8 job entries" in text.splitlines()[0]


def test_each_secret_anywhere_comes_from_its_own_variable():
    body = oracle_body()
    base = body["job"]["base_info"]
    base["a b"] = {"db_password": "secret-a"}
    base["a_b"] = {"db_password": "secret-b"}  # the same variable name, unless told apart
    base["odd"] = [{"ssl_cert_key": {"nested": "secret-c"}}, {"x y": {"db_password": "secret-d"}}]
    base["ssl_cert_password"] = None
    text = export(body)
    read = assert_terraform_export(text, body)
    for secret in ("secret-a", "secret-b", "secret-c", "secret-d"):
        assert secret not in text
    assert {"base_info_a_b_db_password", "base_info_a_b_db_password_2"} <= set(read.variables)
    assert len(read.variables) == 7


def test_the_reader_refuses_what_is_not_data():
    """The checks above can fail: an export with code in it is caught."""
    good = export(oracle_body())
    for bad in (good.replace('"drs-task-1"', '"${var.x}"'),
                good.replace("cn-north-4", "%{ if true }x%{ endif }", 1),
                good.replace("region =", "count = 5\n  region ="),
                good + 'resource "null_resource" "x" {\n}\n',
                good.replace('"medium"', "upper(\"x\")")):
        assert bad != good
        with pytest.raises(AssertionError):
            assert_terraform_export(bad, oracle_body(), region="cn-north-4")


def test_a_body_nested_thousands_deep_exports_in_linear_size():
    depth = 5_000
    deep = {"db_password": "deep-secret"}
    for index in range(depth):
        deep = [deep] if index % 2 else {"k": deep, "x y": 1}
    body = oracle_body()
    body["job"]["base_info"]["deep"] = deep
    text = export(body)
    assert "deep-secret" not in text
    assert len(text) < 200 * depth


keys = st.text(max_size=8) | st.sampled_from(
    ["base_info", "endpoint", "source_sharding", "tags", "name", "x-y", "null", "for", "count",
     "${", "%{", '"', "a b", *SECRET_FIELDS])
texts = st.text(max_size=12) | st.lists(
    st.sampled_from(["${", "%{", "$", "%", "{", "}", '"', "\\", "\n", "*/", "/*", "#", "é", "x"]),
    max_size=6).map("".join)
scalars = (st.none() | st.booleans() | st.integers()
           | st.floats(allow_nan=False, allow_infinity=False) | texts)
values = st.recursive(scalars, lambda inner: st.lists(inner, max_size=4)
                      | st.dictionaries(keys, inner, max_size=4), max_leaves=24)


@settings(max_examples=examples(200), deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(st.dictionaries(keys, values, max_size=6), st.sampled_from(list(VALID_BODIES)))
def test_any_json_in_a_job_comes_out_as_one_resource_with_equal_values(extra, name):
    body = VALID_BODIES[name]()
    body["job"]["base_info"].update(extra)
    body["job"].update(extra)
    assert_terraform_export(export(body), body, region="cn-north-4")


# --- With Terraform itself, where it is installed (it is not a dependency of the project) ---

TERRAFORM = shutil.which("terraform")
needs_terraform = pytest.mark.skipif(TERRAFORM is None, reason="terraform is not installed")


def terraform(args, cwd, stdin=""):
    env = {"PATH": os.environ.get("PATH", ""), "HOME": str(cwd), "CHECKPOINT_DISABLE": "1",
           "TF_CLI_CONFIG_FILE": os.devnull, "TF_IN_AUTOMATION": "1"}
    return subprocess.run([TERRAFORM, *args], cwd=cwd, input=stdin, capture_output=True,
                          text=True, env=env, timeout=60)


@needs_terraform
def test_terraform_parses_every_hostile_export(tmp_path):
    for index, text in enumerate(HOSTILE):
        exported = export(with_text(text), region=text, name=text)
        (tmp_path / f"hostile_{index}.tf").write_text(exported)
    done = terraform(["fmt", "-write=false", "-list=false", str(tmp_path)], tmp_path)
    assert done.returncode == 0, done.stderr


@needs_terraform
def test_terraform_reads_the_values_the_body_holds(tmp_path):
    """The export's expressions evaluated by Terraform: a job whose entries all come out as
    arguments is, with its header changed, a `locals` block."""
    value = {text: [text, {text: text, "n": None, "b": True, "i": -3}] for text in HOSTILE}
    text = export({"job": {"value": value}}, region="$${x}")
    header = 'resource "huaweicloud_drs_job_v5" "task" {'
    assert text.startswith(header)
    (tmp_path / "main.tf").write_text("locals {" + text.removeprefix(header))
    done = terraform(["console"], tmp_path,
                     "base64encode(jsonencode({ value = local.value, region = local.region }))\n")
    assert done.returncode == 0, done.stderr
    read = json.loads(base64.b64decode(done.stdout.strip().strip('"')))
    assert read == {"value": value, "region": "$${x}"}

