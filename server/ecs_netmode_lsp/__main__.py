"""Allow ``python -m ecs_netmode_lsp``."""

from ecs_netmode_lsp.cli import main

if __name__ == "__main__":
    raise SystemExit(main())
