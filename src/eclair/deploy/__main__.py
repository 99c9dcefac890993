"""``python -m eclair.deploy``: put engine replicas on a Ray cluster (see ``ray_app``)."""

from eclair.deploy.cli import main

main()
