"""The deployment files agree with the code and with each other: one list of functions everywhere, every
handler folder and Dockerfile present, every setting documented, every secret a setting, every health route
an image probes served by its app. (No container engine runs here, so these files are checked as data.)"""

from __future__ import annotations

import importlib
import re
import sys
from pathlib import Path
from types import SimpleNamespace
from typing import Any

import pytest
import yaml

from functions import ALL_FUNCTIONS, HTTP_FUNCTIONS
from functions.dispatcher import SPA_CSP
from functions.dispatcher import create_app as create_dispatcher
from medianest.config import SETTINGS, Settings, load_settings
from medianest.queues import ALL_QUEUES, SERIALIZER, WORKER_CLASS
from tests.deploy.nginx import DEPLOY, ROOT, image_defaults, placeholders

FUNCTION_DOCKERFILE = "deploy/function/Dockerfile"

SETTING_NAMES = {s.name for s in SETTINGS}
# Variables the containers read that are not MediaNest settings: gunicorn's knobs, the entrypoint's switch,
# OpenFaaS's timeouts.
CONTAINER_KNOBS = {"MEDIANEST_FORWARDED_ALLOW_IPS", "MEDIANEST_MIGRATE_ON_START", "exec_timeout", "read_timeout",
                   "write_timeout"}
# Secrets that only the infrastructure reads (PostgreSQL's own password).
INFRA_SECRETS = {"postgres-password"}
API_LOCATION = re.compile(r"location /api/v1/([a-z]+)/\s*\{\s*proxy_pass http://([a-z_]+)(/[^;]*);")


def load(path: str) -> Any:
    return yaml.safe_load((ROOT / path).read_text())


def setting_of(secret: str) -> str:
    return secret.upper().replace("-", "_")


@pytest.fixture(scope="module")
def stack() -> dict[str, Any]:
    return load("stack.yml")


@pytest.fixture(scope="module")
def compose() -> dict[str, Any]:
    return load("compose.yaml")


def k8s_documents() -> list[dict[str, Any]]:
    docs = []
    for path in sorted((DEPLOY / "k8s").glob("*.yaml")):
        docs += [doc for doc in yaml.safe_load_all(path.read_text()) if doc]
    return docs


def compose_function_services(compose: dict[str, Any]) -> dict[str, str]:
    """service name → the function whose image it builds (deploy/function/Dockerfile, FUNCTION=<fn>)."""
    found = {}
    for name, service in compose["services"].items():
        build = service.get("build", {})
        if build.get("dockerfile") == FUNCTION_DOCKERFILE:
            found[name] = build["args"]["FUNCTION"]
    return found


def test_one_list_of_functions_everywhere(stack, compose, settings: Settings) -> None:
    assert set(HTTP_FUNCTIONS) < set(ALL_FUNCTIONS)
    assert set(ALL_FUNCTIONS) - set(HTTP_FUNCTIONS) == {"realtime"}
    assert list(stack["functions"]) == list(HTTP_FUNCTIONS)
    assert compose_function_services(compose) == {fn: fn for fn in ALL_FUNCTIONS}
    assert set(compose["services"]["nginx"]["depends_on"]) == set(ALL_FUNCTIONS)
    for site in ("nginx.conf", "nginx.openfaas.conf"):
        routes = API_LOCATION.findall((DEPLOY / site).read_text())
        assert [fn for fn, _, _ in routes] == list(ALL_FUNCTIONS), site
    assert sorted(create_dispatcher(settings).functions) == sorted(ALL_FUNCTIONS)
    defaults = image_defaults()
    assert {f"NGINX_{fn.upper()}_UPSTREAM" for fn in ALL_FUNCTIONS} <= set(defaults)
    for fn in ALL_FUNCTIONS:
        assert defaults[f"NGINX_{fn.upper()}_UPSTREAM"] == f"{fn}:8080"  # compose's service names
    realtime = [d for d in k8s_documents() if d["kind"] == "Deployment" and d["metadata"]["name"] == "realtime"]
    assert len(realtime) == 1
    assert "realtime" in load("deploy/faasd/docker-compose.yaml")["services"]


def test_nginx_routes_match_the_target() -> None:
    compose_routes = API_LOCATION.findall((DEPLOY / "nginx.conf").read_text())
    assert all(upstream == f"medianest_{fn}" and path == "/" for fn, upstream, path in compose_routes)
    for fn, upstream, path in API_LOCATION.findall((DEPLOY / "nginx.openfaas.conf").read_text()):
        if fn in HTTP_FUNCTIONS:
            assert (upstream, path) == ("medianest_gateway", f"/function/{fn}/")
        else:  # the CE gateway strips the WebSocket upgrade: realtime is reached directly
            assert (upstream, path) == ("medianest_realtime", "/")


def test_the_two_nginx_sites_differ_only_in_routing() -> None:
    def rest(site: str) -> list[str]:
        lines = (DEPLOY / site).read_text().splitlines()
        return [line for line in lines if line.strip() and not line.lstrip().startswith("#")
                and not re.match(r"\s*(upstream medianest_|location /api/v1/)", line)]

    assert rest("nginx.conf") == rest("nginx.openfaas.conf")
    text = (DEPLOY / "nginx.conf").read_text()
    assert text.count(f'add_header Content-Security-Policy "{SPA_CSP}" always;') == 2
    assert "map $http_upgrade $connection_upgrade" in text
    assert "try_files $uri $uri/ /index.html;" in text


def test_every_nginx_placeholder_has_an_image_default() -> None:
    defaults = image_defaults()
    for site in ("nginx.conf", "nginx.openfaas.conf"):
        assert placeholders((DEPLOY / site).read_text()) <= set(defaults), site
    # the TLS template is only rendered when a certificate is configured
    assert placeholders((DEPLOY / "nginx.tls.conf").read_text()) - set(defaults) == {"NGINX_TLS_CERT", "NGINX_TLS_KEY"}
    dockerfile = (DEPLOY / "nginx.Dockerfile").read_text()
    for name in ("nginx.conf", "nginx.openfaas.conf", "nginx.tls.conf", "nginx-site.sh"):
        assert f"deploy/{name}" in dockerfile


def expected_build_args(function: str) -> dict[str, str]:
    args = {"FUNCTION": function}
    if function == "downloads":  # POST /preview and POST / read playlists with yt-dlp
        args["EXTRAS"] = "worker"
    if function == "realtime":
        args.update(EXTRAS="realtime", WORKER_CLASS="gevent")
    return args


@pytest.mark.parametrize("function", ALL_FUNCTIONS)
def test_function_images_are_one_dockerfile(function: str, stack, compose) -> None:
    folder = ROOT / "functions" / function
    assert (folder / "app.py").is_file()
    assert (folder / "__init__.py").is_file()
    assert not (folder / "Dockerfile").exists()  # one Dockerfile for all, the function a build arg
    assert compose["services"][function]["build"] == {"context": ".", "dockerfile": FUNCTION_DOCKERFILE,
                                                      "args": expected_build_args(function)}
    if function in HTTP_FUNCTIONS:
        assert stack["functions"][function]["build_args"] == expected_build_args(function)
    text = (ROOT / FUNCTION_DOCKERFILE).read_text()
    for arg in ("FUNCTION", "EXTRAS", "WORKER_CLASS"):
        assert re.search(rf"^ARG {arg}\b", text, re.MULTILINE), arg
    assert "USER 10001:10001" in text
    assert "EXPOSE 8080" in text
    assert "PYTHONDONTWRITEBYTECODE=1" in text
    # what the Dockerfile copies from its faas-cli context is what stack.yml's configuration.copy brings
    for source in re.findall(r"^COPY (?!--from)(\S+) ", text, re.MULTILINE):
        top = source.split("/")[0]
        assert f"./{top}" in stack["configuration"]["copy"], source
        assert (ROOT / source.replace("${FUNCTION}", function)).exists(), source


@pytest.mark.parametrize("function", ALL_FUNCTIONS)
def test_health_routes_the_images_probe_exist(function: str, settings: Settings) -> None:
    probed = set(re.findall(r"http://127\.0\.0\.1:8080(/[^'\"]+)", (ROOT / FUNCTION_DOCKERFILE).read_text()))
    if function == "realtime":
        for doc in k8s_documents():
            for container in doc.get("spec", {}).get("template", {}).get("spec", {}).get("containers", []):
                if container["name"] == "realtime":
                    probed |= {container[p]["httpGet"]["path"] for p in ("readinessProbe", "livenessProbe")}
    assert "/_/health" in probed
    app = importlib.import_module(f"functions.{function}.app").create_app(settings)
    rules = {rule.rule for rule in app.url_map.iter_rules()}
    assert probed | {"/_/health", "/_/ready"} <= rules


def test_stack_functions(stack) -> None:
    assert str(stack["version"]) == "1.0"
    assert stack["provider"]["name"] == "openfaas"
    assert {"./shared", "./deploy", "./functions"} <= set(stack["configuration"]["copy"])
    for name, fn in stack["functions"].items():
        assert fn["lang"] == "dockerfile"
        assert fn["handler"] == "./deploy/function"
        assert fn["build_args"]["FUNCTION"] == name
        assert (ROOT / fn["handler"] / "Dockerfile").is_file()
        assert fn["readonly_root_filesystem"] is True
        scale_min, scale_max = int(fn["labels"]["com.openfaas.scale.min"]), int(fn["labels"]["com.openfaas.scale.max"])
        assert scale_min >= 1
        assert scale_min <= scale_max <= 5  # OpenFaaS CE caps replicas at 5
        assert {"memory", "cpu"} <= set(fn["limits"])
        assert {"memory", "cpu"} <= set(fn["requests"])
        env = fn["environment"]
        for timeout in ("exec_timeout", "read_timeout", "write_timeout"):
            assert int(env[timeout].rstrip("s")) <= 65, (name, timeout)
        assert int(env["exec_timeout"].rstrip("s")) <= 60  # gunicorn's worker timeout
        assert set(env) <= SETTING_NAMES | CONTAINER_KNOBS, name
        secret_settings = {setting_of(secret) for secret in fn["secrets"]}
        assert secret_settings <= SETTING_NAMES, name
        # everything required is provided, and no secret travels as an environment variable
        required = {s.name for s in SETTINGS if s.required}
        assert required <= set(env) | secret_settings, name
        assert not {s.name for s in SETTINGS if s.secret} & set(env), name


def test_compose_services(compose) -> None:
    services = compose["services"]
    declared = set(compose["secrets"])
    assert all(spec["file"] == f"./secrets/{name}" for name, spec in compose["secrets"].items())
    assert {setting_of(s) for s in declared - INFRA_SECRETS} <= SETTING_NAMES
    for name, service in services.items():
        assert service.get("restart") in ("unless-stopped", "always", "no"), name
        used = set(service.get("secrets", []))
        assert used <= declared, name
        if name != "postgres":
            assert {setting_of(s) for s in used} <= SETTING_NAMES, name
    for fn in ALL_FUNCTIONS:
        service = services[fn]
        assert service["read_only"] is True
        assert "/tmp" in service["tmpfs"]
        assert service["environment"]["MEDIANEST_SECRETS_DIR"] == "/run/secrets"
        assert service["depends_on"]["migrate"]["condition"] == "service_completed_successfully"
        assert set(service["environment"]) <= SETTING_NAMES | CONTAINER_KNOBS
    assert services["postgres"]["image"] == "postgres:15"
    assert services["redis"]["image"] == "redis:7"
    assert "--appendonly" in services["redis"]["command"]
    assert "yes" in services["redis"]["command"]
    assert all("healthcheck" in services[s] for s in ("postgres", "redis"))
    assert re.fullmatch(r"\d+m", services["worker"]["stop_grace_period"])
    assert int(services["worker"]["stop_grace_period"][:-1]) >= 5
    assert "medianest migrate" in " ".join(services["migrate"]["command"])
    assert any(v.endswith(":/media") for v in services["worker"]["volumes"])
    assert set(compose["volumes"]) >= {"pgdata", "redisdata"}


def test_kubernetes_manifests_use_settings_as_secrets() -> None:
    kinds = set()
    for doc in k8s_documents():
        kinds.add(doc["kind"])
        spec = doc.get("spec", {}).get("template", {}).get("spec", {})
        for volume in spec.get("volumes", []):
            for source in volume.get("projected", {}).get("sources", []):
                assert setting_of(source["secret"]["name"]) in SETTING_NAMES
        for container in spec.get("containers", []):
            assert {e["name"] for e in container.get("env", [])} <= SETTING_NAMES | CONTAINER_KNOBS | {
                "MEDIANEST_NGINX_VARIANT", "NGINX_GATEWAY_UPSTREAM", "NGINX_REALTIME_UPSTREAM"}
            if container["name"] == "worker":
                assert container["args"] == list(ALL_QUEUES)
    assert {"Deployment", "Service"} <= kinds


def test_env_example_lists_every_setting() -> None:
    text = (ROOT / ".env.example").read_text()
    listed = set(re.findall(r"^#? ?([A-Z][A-Z0-9_]*)=", text, re.MULTILINE))
    assert listed >= SETTING_NAMES, SETTING_NAMES - listed


def test_worker_serves_every_queue_with_json() -> None:
    entrypoint = (DEPLOY / "worker-entrypoint.sh").read_text()
    assert f"--serializer {SERIALIZER}" in entrypoint
    assert "--with-scheduler" in entrypoint
    assert f"--worker-class {WORKER_CLASS}" in entrypoint
    cmd = re.search(r"^CMD (\[.*\])$", (DEPLOY / "worker.Dockerfile").read_text(), re.MULTILINE)
    assert cmd
    assert yaml.safe_load(cmd.group(1)) == list(ALL_QUEUES)
    assert "ffmpeg" in (DEPLOY / "worker.Dockerfile").read_text()


def test_the_worker_preloads_the_module_of_every_job() -> None:
    from functions.downloads.state import JOB_FUNC
    from functions.schedule import schedule
    from functions.worker import JOB_MODULES

    funcs = [JOB_FUNC, *(job.func for job in schedule(SimpleNamespace(check_interval=60)))]  # type: ignore[arg-type]
    assert {func.rsplit(".", 1)[0] for func in funcs} == set(JOB_MODULES)


def test_exactly_one_scheduler_everywhere(compose) -> None:
    command = ["python", "-m", "functions.schedule"]
    assert compose["services"]["scheduler"]["entrypoint"] == command
    assert "deploy" not in compose["services"]["scheduler"]  # no replicas: one container
    schedulers = [d for d in k8s_documents()
                  if d["kind"] == "Deployment" and d["metadata"]["name"].endswith("scheduler")]
    assert len(schedulers) == 1
    spec = schedulers[0]["spec"]
    assert spec["replicas"] == 1
    assert spec["strategy"]["type"] == "Recreate"
    assert spec["template"]["spec"]["containers"][0]["command"] == command
    # faasd reads `command` (the whole command line) and ignores `entrypoint`
    assert load("deploy/faasd/docker-compose.yaml")["services"]["scheduler"]["command"] == command


def test_generated_secrets_make_valid_settings(tmp_path: Path) -> None:
    sys.path.insert(0, str(DEPLOY))
    try:
        make_secrets = importlib.import_module("make_secrets")
    finally:
        sys.path.remove(str(DEPLOY))
    folder = tmp_path / "secrets"
    written = make_secrets.write_secrets(folder)
    assert {setting_of(name) for name in set(written) - INFRA_SECRETS} <= SETTING_NAMES
    assert set(written) >= set(load("compose.yaml")["secrets"])
    assert make_secrets.write_secrets(folder) == []  # never replaced
    assert folder.stat().st_mode & 0o077 == 0
    settings = load_settings({"MEDIANEST_SECRETS_DIR": str(folder), "REDIS_URL": "redis://redis:6379/0",
                              "MEDIANEST_PUBLIC_URL": "https://media.example.org", "MEDIA_ROOT": "/media"}, environ={})
    password = (folder / "postgres-password").read_text().strip()
    assert settings.database_url == f"postgresql://medianest:{password}@postgres:5432/medianest"
    assert len(settings.encryption_keys) == 1
    assert settings.admin_password
