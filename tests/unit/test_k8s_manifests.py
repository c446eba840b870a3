"""deploy/k8s (issue 12): the overlays render, every resource is valid for a pinned Kubernetes
version (KEDA's kinds against KEDA's own CRD schemas), and the manifests agree with the code:
probes on the ports and paths the services serve, env names that are settings, ScaledObjects on
the queues the workers consume, PDBs and Services that select real pods.

Rendering needs `kubectl kustomize` (scripts/install-system-packages.sh installs kubectl) or a
`kustomize` binary; $KUBECTL picks a kubectl. Without one the tests fail, they never skip.
"""
from __future__ import annotations

import base64
import copy
import functools
import importlib
import importlib.util
import os
import shutil
import subprocess
import urllib.error
import urllib.request
from pathlib import Path
from types import ModuleType
from typing import Any

import jsonschema
import kubernetes_validate
import pytest
import yaml

from scenelens.adapters.rabbitmq import (
    MAX_PRIORITY,
    RECOGNITION_QUEUE,
    VIDEO_QUEUE,
    work_queue_arguments,
)
from scenelens.observability import Readiness, start_ops_server
from scenelens.settings import Settings

ROOT = Path(__file__).resolve().parents[2]
K8S = ROOT / "deploy" / "k8s"
OVERLAYS = ("cpu", "gpu")
# The Kubernetes version whose schemas (shipped by kubernetes-validate) the manifests must pass.
K8S_VERSION = "1.33.0"
KEDA_CRDS = {
    "ScaledObject": ROOT / "third_party" / "keda" / "keda.sh_scaledobjects.yaml",
    "TriggerAuthentication": ROOT / "third_party" / "keda" / "keda.sh_triggerauthentications.yaml",
}
KINDS = {"ConfigMap", "Secret", "Service", "Deployment", "PodDisruptionBudget", *KEDA_CRDS}
# The queue-driven workers: KEDA scales them on the queues their handlers consume.
SCALED_MODULES = {"recognition_service": RECOGNITION_QUEUE, "video_service": VIDEO_QUEUE}
NEEDS_PDB = {"gateway", "envoy", "recognition_service", "video_service"}
ENVOY_ENTRYPOINT = "docker/envoy-entrypoint.sh"
APP_DIR = "/app"  # the Dockerfile's WORKDIR, where the repository is copied
# Environment variables that are not scenelens settings, each for a reason (see the manifests).
OTHER_ENV = {"OMP_NUM_THREADS"}


# -- rendering ------------------------------------------------------------------------------------

def _renderer() -> list[str]:
    explicit = os.environ.get("KUBECTL")
    if explicit:
        return [explicit, "kustomize"]
    if shutil.which("kubectl"):
        return ["kubectl", "kustomize"]
    if shutil.which("kustomize"):
        return ["kustomize", "build"]
    pytest.fail("no kustomize renderer: install kubectl (scripts/install-system-packages.sh does, "
                "as root: Debian's kubernetes-client) or kustomize, or set KUBECTL",
                pytrace=False)


@functools.cache
def _render(overlay: str) -> tuple[dict[str, Any], ...]:
    out = subprocess.run([*_renderer(), str(K8S / "overlays" / overlay)], capture_output=True,
                         text=True, timeout=120)
    assert out.returncode == 0, f"rendering overlays/{overlay} failed:\n{out.stderr}"
    docs = tuple(d for d in yaml.safe_load_all(out.stdout) if d)
    assert docs, f"overlays/{overlay} rendered nothing"
    return docs


def _of(docs: tuple[dict[str, Any], ...], kind: str) -> dict[str, dict[str, Any]]:
    return {d["metadata"]["name"]: d for d in docs if d["kind"] == kind}


def _module(container: dict[str, Any]) -> str:
    """The program a container runs: the module of `python -m X`, or "envoy"."""
    command = container.get("command", [])
    if command[:2] == ["python", "-m"]:
        return str(command[2])
    if command == ["sh", f"{APP_DIR}/{ENVOY_ENTRYPOINT}"]:
        return "envoy"
    raise AssertionError(f"unexpected command {command!r}")


def _containers(docs: tuple[dict[str, Any], ...]) -> list[tuple[str, dict[str, Any]]]:
    """(Deployment name, container) for every container of every Deployment."""
    return [(name, c) for name, d in _of(docs, "Deployment").items()
            for c in d["spec"]["template"]["spec"]["containers"]]


def _deployment_of(docs: tuple[dict[str, Any], ...], module: str) -> dict[str, Any]:
    found = [d for d in _of(docs, "Deployment").values()
             if any(_module(c) == module for c in d["spec"]["template"]["spec"]["containers"])]
    assert len(found) == 1, f"{len(found)} Deployments run {module}"
    return found[0]


def _env(docs: tuple[dict[str, Any], ...], container: dict[str, Any]) -> dict[str, str]:
    """The environment a container gets: its envFrom ConfigMaps and Secrets, then its env."""
    configmaps, secrets = _of(docs, "ConfigMap"), _of(docs, "Secret")
    env: dict[str, str] = {}
    for source in container.get("envFrom", []):
        if "configMapRef" in source:
            name = source["configMapRef"]["name"]
            assert name in configmaps, f"ConfigMap {name} is not in the render"
            env.update(configmaps[name].get("data", {}))
        else:
            name = source["secretRef"]["name"]
            assert name in secrets, f"Secret {name} is not in the render"
            env.update(_secret_data(secrets[name]))
    for var in container.get("env", []):
        assert "value" in var, f"{var['name']}: only literal values are expected"
        env[var["name"]] = str(var["value"])
    return env


def _secret_data(secret: dict[str, Any]) -> dict[str, str]:
    data = {k: base64.b64decode(v).decode() for k, v in secret.get("data", {}).items()}
    data.update(secret.get("stringData", {}))
    return data


def _defaults() -> Settings:
    """Settings with every default, whatever this process's environment holds."""
    return Settings.model_construct()


@functools.cache
def _render_envoy() -> ModuleType:
    """scripts/render_envoy.py, which the image's Envoy entrypoint runs."""
    spec = importlib.util.spec_from_file_location("render_envoy", ROOT / "scripts" / "render_envoy.py")
    assert spec is not None and spec.loader is not None
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


# -- schemas ----------------------------------------------------------------------------------------

def _strict(schema: Any) -> Any:
    """An OpenAPI schema that rejects unknown fields, as the API server's strict field validation
    does for a structural CRD schema (which leaves them open only where it says so)."""
    if isinstance(schema, dict):
        schema = {k: _strict(v) for k, v in schema.items()}
        if ("properties" in schema and "additionalProperties" not in schema
                and not schema.get("x-kubernetes-preserve-unknown-fields")):
            schema["additionalProperties"] = False
        return schema
    if isinstance(schema, list):
        return [_strict(v) for v in schema]
    return schema


@functools.cache
def _crd_validator(kind: str, api_version: str) -> jsonschema.protocols.Validator:
    crd = yaml.safe_load(KEDA_CRDS[kind].read_text())
    group, version = api_version.split("/")
    assert crd["spec"]["group"] == group and crd["spec"]["names"]["kind"] == kind
    served = {v["name"]: v for v in crd["spec"]["versions"] if v.get("served")}
    assert version in served, f"KEDA serves {kind} as {sorted(served)}, not {version}"
    schema = _strict(served[version]["schema"]["openAPIV3Schema"])
    return jsonschema.Draft4Validator(schema)


def _problems(doc: dict[str, Any]) -> list[str]:
    """What is wrong with one resource for K8S_VERSION (empty: valid)."""
    where = f"{doc.get('kind')}/{doc.get('metadata', {}).get('name')}"
    if doc.get("kind") in KEDA_CRDS:
        return [f"{where}: {'.'.join(map(str, e.absolute_path))}: {e.message}"
                for e in _crd_validator(doc["kind"], doc["apiVersion"]).iter_errors(doc)]
    try:
        kubernetes_validate.validate(doc, K8S_VERSION, strict=True)
    except kubernetes_validate.ValidationError as e:
        return [f"{where}: {'.'.join(map(str, e.path))}: {e.message}"]
    except kubernetes_validate.SchemaNotFoundError as e:
        return [f"{where}: {e.message}"]
    return []


# -- the tests ---------------------------------------------------------------------------------------

@pytest.mark.parametrize("overlay", OVERLAYS)
def test_every_resource_is_valid_for_the_pinned_kubernetes(overlay: str) -> None:
    docs = _render(overlay)
    assert {d["kind"] for d in docs} == KINDS
    problems = [p for d in docs for p in _problems(d)]
    assert not problems, "\n".join(problems)
    for d in docs:
        assert "namespace" not in d["metadata"], "the manifests are namespace-agnostic"


def test_validation_rejects_unknown_fields_and_wrong_types() -> None:
    """The validation above is strict: it would catch a typo in a field's name."""
    docs = _render("cpu")
    deployment = copy.deepcopy(_deployment_of(docs, "gateway"))
    deployment["spec"]["template"]["spec"]["containers"][0]["readynessProbe"] = {}
    assert _problems(deployment)
    deployment = copy.deepcopy(_deployment_of(docs, "gateway"))
    deployment["spec"]["replicas"] = "two"
    assert _problems(deployment)
    scaled = copy.deepcopy(next(iter(_of(docs, "ScaledObject").values())))
    scaled["spec"]["maxReplicas"] = 3
    assert _problems(scaled)
    scaled = copy.deepcopy(next(iter(_of(docs, "ScaledObject").values())))
    scaled["spec"]["minReplicaCount"] = "one"
    assert _problems(scaled)


@pytest.mark.parametrize("overlay", OVERLAYS)
def test_every_program_of_docker_compose_runs_in_the_cluster(overlay: str) -> None:
    compose = yaml.safe_load((ROOT / "docker-compose.yml").read_text())
    programs = {"envoy"}
    for service in compose["services"].values():
        command = service.get("command") or []
        if command[:2] == ["python", "-m"]:
            programs.add(command[2])
    running = {_module(c) for _, c in _containers(_render(overlay))}
    assert running == programs


@pytest.mark.parametrize("overlay", OVERLAYS)
def test_every_container_has_probes_and_resources(overlay: str) -> None:
    handlers = {"httpGet", "exec", "tcpSocket", "grpc"}
    for name, c in _containers(_render(overlay)):
        for probe in ("livenessProbe", "readinessProbe"):
            assert handlers & set(c.get(probe, {})), f"{name}: no {probe}"
        resources = c.get("resources", {})
        for key in ("cpu", "memory"):
            assert resources.get("requests", {}).get(key), f"{name}: no {key} request"
            assert resources.get("limits", {}).get(key), f"{name}: no {key} limit"


@pytest.mark.parametrize("overlay", OVERLAYS)
def test_python_probes_ask_the_metrics_port_of_each_service(overlay: str) -> None:
    defaults = _defaults()
    for name, c in _containers(_render(overlay)):
        module = _module(c)
        if module == "envoy":
            continue
        port = defaults.metrics_port(module)
        assert c["livenessProbe"]["httpGet"] == {"path": "/healthz", "port": port}, name
        assert c["readinessProbe"]["httpGet"] == {"path": "/readyz", "port": port}, name
        assert port in {p["containerPort"] for p in c["ports"]}, name


@pytest.mark.parametrize("overlay", OVERLAYS)
def test_the_services_listen_where_the_probes_and_envoy_look(
    overlay: str, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Each service's Settings, read from exactly the manifests' environment, are valid and put
    the metrics server (and the gateway's listeners) on the pod's address, at the probed port."""
    docs = _render(overlay)
    for name, c in _containers(docs):
        module = _module(c)
        if module == "envoy":
            continue
        for var in [v for v in os.environ if v.startswith("SCENELENS_")]:
            monkeypatch.delenv(var)
        for var, value in _env(docs, c).items():
            monkeypatch.setenv(var, value)
        settings = Settings()
        assert settings.metrics_host == "0.0.0.0", name
        assert settings.metrics_port(module) == c["readinessProbe"]["httpGet"]["port"], name
        if module == "gateway":
            assert settings.grpc_host == settings.docs_host == "0.0.0.0"
            ports = {p["name"]: p["containerPort"] for p in c["ports"]}
            assert (ports["grpc"], ports["docs"]) == (settings.grpc_port, settings.docs_port)


def test_the_probed_paths_are_the_ones_the_services_serve() -> None:
    docs = _render("cpu")
    live = {c["livenessProbe"]["httpGet"]["path"] for _, c in _containers(docs)
            if "httpGet" in c["livenessProbe"]}
    ready = {c["readinessProbe"]["httpGet"]["path"] for _, c in _containers(docs)
             if "httpGet" in c["readinessProbe"]}
    readiness = Readiness("probe-test", "dependency")
    server = start_ops_server("127.0.0.1", 0, readiness)
    base = f"http://127.0.0.1:{server.server_address[1]}"

    def status(path: str) -> int:
        try:
            with urllib.request.urlopen(base + path, timeout=5) as reply:
                return int(reply.status)
        except urllib.error.HTTPError as e:
            return e.code

    try:
        assert {p: status(p) for p in live} == dict.fromkeys(live, 200)
        assert {p: status(p) for p in ready} == dict.fromkeys(ready, 503)  # dependency down
        readiness.set("dependency", True)
        assert {p: status(p) for p in ready} == dict.fromkeys(ready, 200)
    finally:
        server.shutdown()
        server.server_close()


@pytest.mark.parametrize("overlay", OVERLAYS)
def test_envoy_renders_a_config_that_reaches_the_gateway(overlay: str) -> None:
    docs = _render(overlay)
    envoy = _deployment_of(docs, "envoy")["spec"]["template"]["spec"]["containers"][0]
    assert (ROOT / ENVOY_ENTRYPOINT).is_file()
    env = _env(docs, envoy)
    config = yaml.safe_load(_render_envoy().render(env))
    listener = config["static_resources"]["listeners"][0]["address"]["socket_address"]
    assert listener["address"] == "0.0.0.0"
    assert listener["port_value"] == envoy["livenessProbe"]["tcpSocket"]["port"]
    assert listener["port_value"] in {p["containerPort"] for p in envoy["ports"]}
    admin = config["admin"]["address"]["socket_address"]["port_value"]
    assert envoy["readinessProbe"]["exec"]["command"] == [
        "python", f"{APP_DIR}/docker/healthcheck.py", "http", f"http://127.0.0.1:{admin}/ready"]
    assert (ROOT / "docker" / "healthcheck.py").is_file()

    services = _of(docs, "Service")
    gateway_pods = _deployment_of(docs, "gateway")["spec"]["template"]["metadata"]["labels"]
    clusters = {c["name"]: c for c in config["static_resources"]["clusters"]}
    for cluster in ("grpc", "docs"):
        upstream = clusters[cluster]["load_assignment"]["endpoints"][0]["lb_endpoints"][0]
        address = upstream["endpoint"]["address"]["socket_address"]
        service = services[address["address"]]  # a Service of that name
        assert service["spec"]["selector"].items() <= gateway_pods.items()
        assert service["spec"].get("clusterIP") == "None", "headless, so Envoy sees every pod"
        assert address["port_value"] in {p["port"] for p in service["spec"]["ports"]}


@pytest.mark.parametrize("overlay", OVERLAYS)
def test_services_select_pods_and_their_ports(overlay: str) -> None:
    docs = _render(overlay)
    deployments = _of(docs, "Deployment")
    for name, service in _of(docs, "Service").items():
        selector = service["spec"]["selector"]
        targets = [d for d in deployments.values()
                   if selector.items() <= d["spec"]["template"]["metadata"]["labels"].items()]
        assert len(targets) == 1, f"Service {name} selects {len(targets)} Deployments"
        ports = {p for c in targets[0]["spec"]["template"]["spec"]["containers"]
                 for port in c["ports"] for p in (port["name"], port["containerPort"])}
        for port in service["spec"]["ports"]:
            assert port.get("targetPort", port["port"]) in ports, (name, port)


@pytest.mark.parametrize("overlay", OVERLAYS)
def test_every_env_name_is_a_setting(overlay: str) -> None:
    docs = _render(overlay)
    settings = {f"SCENELENS_{name.upper()}" for name in Settings.model_fields}
    envoy = {var for var, _ in _render_envoy().VARIABLES.values()}
    for name, c in _containers(docs):
        known = settings | (envoy if _module(c) == "envoy" else set())
        for var in _env(docs, c):
            assert var in known or var in OTHER_ENV, f"{name}: {var} is not a setting"


def test_the_gpu_goes_to_recognition_in_the_gpu_overlay_only() -> None:
    def gpus(c: dict[str, Any]) -> int:
        res = c.get("resources", {})
        return max(int(res.get(k, {}).get("nvidia.com/gpu", 0)) for k in ("requests", "limits"))

    for overlay in OVERLAYS:
        docs = _render(overlay)
        recognition = _deployment_of(docs, "recognition_service")["spec"]["template"]["spec"]
        container = recognition["containers"][0]
        device = _env(docs, container).get("SCENELENS_DEVICE", "")
        others = [gpus(c) for _, c in _containers(docs) if _module(c) != "recognition_service"]
        assert others == [0] * len(others), f"{overlay}: only recognition may ask for a GPU"
        if overlay == "gpu":
            assert gpus(container) == 1 and container["resources"]["limits"]["nvidia.com/gpu"]
            assert device.startswith("cuda")
            assert recognition.get("nodeSelector") and recognition.get("tolerations")
        else:
            assert gpus(container) == 0 and device == "cpu"
            assert not recognition.get("nodeSelector") and not recognition.get("tolerations")
    images = {o: {c["image"] for _, c in _containers(_render(o))} for o in OVERLAYS}
    assert all(len(i) == 1 for i in images.values()), "one image for every process"
    assert images["cpu"] != images["gpu"]


@pytest.mark.parametrize("overlay", OVERLAYS)
def test_keda_scales_the_workers_on_the_queues_they_consume(overlay: str) -> None:
    docs = _render(overlay)
    deployments = _of(docs, "Deployment")
    auths, secrets = _of(docs, "TriggerAuthentication"), _of(docs, "Secret")
    scaled = _of(docs, "ScaledObject")
    targets = {}
    for name, so in scaled.items():
        spec = so["spec"]
        ref = spec["scaleTargetRef"]
        assert ref.get("kind", "Deployment") == "Deployment" and ref["name"] in deployments, name
        target = deployments[ref["name"]]
        assert "replicas" not in target["spec"], f"{ref['name']}: KEDA owns the replica count"
        module = _module(target["spec"]["template"]["spec"]["containers"][0])
        targets[module] = name
        consumed = set(importlib.import_module(f"{module}.handlers").HANDLERS)
        assert consumed == {SCALED_MODULES[module]}, module
        assert 1 <= spec["minReplicaCount"] <= spec["maxReplicaCount"] <= 50, name
        (trigger,) = spec["triggers"]
        meta = trigger["metadata"]
        assert trigger["type"] == "rabbitmq" and meta["mode"] == "QueueLength", name
        assert meta["queueName"] == SCALED_MODULES[module], name
        assert float(meta["value"]) > 0, name
        auth = auths[trigger["authenticationRef"]["name"]]
        (host,) = auth["spec"]["secretTargetRef"]
        assert host["parameter"] == "host"
        secret = _secret_data(secrets[host["name"]])
        # The management API's URL (KEDA's http protocol), the one the relay reads too.
        assert meta["protocol"] == "http" and host["key"] == "SCENELENS_RABBITMQ_MANAGEMENT_URL"
        assert secret[host["key"]].startswith(("http://", "https://"))
    assert set(targets) == set(SCALED_MODULES)


@pytest.mark.parametrize("overlay", OVERLAYS)
def test_disruption_budgets_select_the_pods_they_protect(overlay: str) -> None:
    docs = _render(overlay)
    deployments = _of(docs, "Deployment")
    protected = set()
    for name, pdb in _of(docs, "PodDisruptionBudget").items():
        selector = pdb["spec"]["selector"]["matchLabels"]
        matched = [d for d in deployments.values()
                   if selector.items() <= d["spec"]["template"]["metadata"]["labels"].items()]
        assert len(matched) == 1, f"PDB {name} selects {len(matched)} Deployments"
        protected.add(_module(matched[0]["spec"]["template"]["spec"]["containers"][0]))
        # minAvailable would block every node drain while KEDA keeps a single replica.
        assert pdb["spec"].get("maxUnavailable") == 1, name
    assert NEEDS_PDB <= protected


@pytest.mark.parametrize("overlay", OVERLAYS)
def test_one_relay_at_a_time(overlay: str) -> None:
    """A second relay would publish every event again and race on its recorded position."""
    relay = _deployment_of(_render(overlay), "relay")["spec"]
    assert relay["replicas"] == 1 and relay["strategy"]["type"] == "Recreate"


def test_the_queue_type_notes_match_the_declared_queues() -> None:
    notes = (K8S / "README.md").read_text()
    for queue in SCALED_MODULES.values():
        args = work_queue_arguments(queue)
        assert args["x-queue-type"] == "classic" and args["x-max-priority"] == MAX_PRIORITY
        assert queue in notes
    assert f"x-max-priority: {MAX_PRIORITY}" in notes and "classic" in notes
