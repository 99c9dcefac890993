"""The Ray deployment's settings, validated without a cluster."""

from __future__ import annotations

import pytest

from eclair.deploy.config import RayDeployConfig


def test_autoscaling_settings_become_deployment_options() -> None:
    fixed = RayDeployConfig(replicas=3, cpus_per_replica=2).deployment_options()
    assert fixed["num_replicas"] == 3 and fixed["ray_actor_options"] == {"num_cpus": 2}
    scaled = RayDeployConfig(min_replicas=1, max_replicas=4, target_ongoing_requests=2).deployment_options()
    assert "num_replicas" not in scaled
    assert scaled["autoscaling_config"] == {
        "min_replicas": 1,
        "max_replicas": 4,
        "initial_replicas": 1,
        "target_ongoing_requests": 2,
    }
    with pytest.raises(ValueError, match="min_replicas must not exceed max_replicas"):
        RayDeployConfig(min_replicas=5, max_replicas=2)
