"""Deployments of Éclair's own engine beyond one process: Ray Serve replicas (``ray_app``)
and the API-side backend that routes to them (``ray_engine``). Needs the ``ray`` extra."""
