"""How many engine replicas run on Ray Serve, and how Ray scales them (no Ray import here,
so that the CLI and tests can validate a configuration without a cluster)."""

from __future__ import annotations

from typing import Any

from pydantic import BaseModel, ConfigDict, Field, model_validator


class RayDeployConfig(BaseModel):
    """How many engine replicas, and how Ray scales them."""

    model_config = ConfigDict(extra="forbid")

    replicas: int = Field(default=1, ge=1)
    min_replicas: int | None = Field(default=None, ge=0)
    max_replicas: int | None = Field(default=None, ge=1)
    target_ongoing_requests: float = Field(default=4.0, gt=0)
    max_ongoing_requests: int = Field(default=16, ge=1)
    cpus_per_replica: float = Field(default=1.0, gt=0)
    address: str | None = None

    @model_validator(mode="after")
    def _bounds(self) -> RayDeployConfig:
        if self.autoscaling and (self.min_replicas or 0) > (self.max_replicas or self.replicas):
            raise ValueError("min_replicas must not exceed max_replicas")
        return self

    @property
    def autoscaling(self) -> bool:
        return self.min_replicas is not None or self.max_replicas is not None

    def deployment_options(self) -> dict[str, Any]:
        options: dict[str, Any] = {
            "max_ongoing_requests": self.max_ongoing_requests,
            "ray_actor_options": {"num_cpus": self.cpus_per_replica},
            # a dead replica is noticed and replaced within seconds
            "health_check_period_s": 2.0,
            "health_check_timeout_s": 10.0,
        }
        if self.autoscaling:
            options["autoscaling_config"] = {
                "min_replicas": self.min_replicas if self.min_replicas is not None else 1,
                "max_replicas": self.max_replicas or max(self.replicas, self.min_replicas or 1),
                "initial_replicas": self.replicas,
                "target_ongoing_requests": self.target_ongoing_requests,
            }
        else:
            options["num_replicas"] = self.replicas
        return options
