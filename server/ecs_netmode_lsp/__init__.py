"""Language server and CI check for ECS task definitions that do not use awsvpc."""

__version__ = "0.1.0"
