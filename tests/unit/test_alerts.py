"""The alert rules and the dashboard name only metrics the services export (issue 8)."""
from __future__ import annotations

import json
import re
from pathlib import Path

import yaml
from prometheus_client import REGISTRY

import scenelens.observability  # noqa: F401 - registers every scenelens metric

REPO = Path(__file__).resolve().parents[2]
NAME = re.compile(r"\bscenelens_[a-z0-9_]+\b")


def _exported() -> set[str]:
    names = set()
    for family in REGISTRY.collect():
        names.add(family.name)
        names.update(s.name for s in family.samples)
        if family.type in ("histogram", "summary"):
            names.update(f"{family.name}{suffix}" for suffix in ("_bucket", "_sum", "_count"))
        if family.type == "counter":
            names.add(f"{family.name}_total")
    return {n for n in names if n.startswith("scenelens_")}


def test_every_alert_expression_names_exported_metrics() -> None:
    rules = yaml.safe_load((REPO / "docker" / "prometheus" / "alerts.yml").read_text())
    alerts = [r for g in rules["groups"] for r in g["rules"]]
    assert {a["alert"] for a in alerts} >= {"DeadLettersGrowing", "RelayLagging",
                                            "ProjectionLagging", "QueueWithoutConsumers",
                                            "ServiceNotReady"}
    exported = _exported()
    for alert in alerts:
        used = set(NAME.findall(alert["expr"]))
        assert used or "up{" in alert["expr"], alert["alert"]
        assert used <= exported, (alert["alert"], used - exported)
        assert alert["annotations"]["summary"]


def test_every_dashboard_query_names_exported_metrics() -> None:
    dash = json.loads((REPO / "docker" / "grafana" / "dashboards" / "scenelens.json").read_text())
    exported = _exported()
    exprs = [t["expr"] for p in dash["panels"] for t in p["targets"]]
    assert len(exprs) >= 10
    for expr in exprs:
        used = set(NAME.findall(expr))
        assert used and used <= exported, (expr, used - exported)


def test_metric_names_follow_prometheus_conventions() -> None:
    for family in REGISTRY.collect():
        if not family.name.startswith("scenelens_"):
            continue
        if family.type == "histogram":
            # A base unit: time, a rate, or the things counted (frames per call).
            assert family.name.endswith(("_seconds", "_per_second", "_frames")), family.name
        assert not family.name.endswith(("_ms", "_milliseconds", "_kb")), family.name
