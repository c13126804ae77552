"""Sub-commands of ``workshop-kit``: each module defines ``register(subparsers)``."""
