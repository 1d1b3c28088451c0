"""The rule this project checks: identifiers, links and the words users read."""

RULE_ID = "ansible-aws-ecs-task-definition-network-mode-not-recommended"
"""The Datadog IaC rule id, used as the diagnostic code."""

KICS_QUERY_ID = "01aec7c2-3e4d-4274-ae47-2b8fea22fd1f"
"""The upstream KICS query the rule derives from; suppression comments accept it."""

PARSE_ERROR_CODE = "yaml-syntax-error"
"""Diagnostic code for a document that does not parse as YAML."""

TOO_LARGE_CODE = "document-too-large"
"""Diagnostic code for a document above the configured size limit."""

TOO_MANY_CODE = "too-many-findings"
"""Diagnostic code for the notice that stands for findings beyond those shown."""

MAX_SHOWN = 5_000
"""Findings of one document sent to the editor, and fixed by one fix-all.

Converting and sending hundreds of thousands of them (a generated file can hold
that many tasks) blocked the server for seconds and took gigabytes.
"""

SOURCE = "ecs-netmode-lsp"
"""The diagnostic source shown by editors."""

DOC_URL = (
    "https://docs.datadoghq.com/security/code_security/iac_security/iac_rules/"
    "ansible/aws/ecs_task_definition_network_mode_not_recommended"
)
"""The rule's documentation page."""

TITLE = "ECS task definition network mode not recommended"
"""A short human title of the rule."""

MODULE_NAMES = frozenset({"community.aws.ecs_taskdefinition", "ecs_taskdefinition"})
"""Module keys that make a task in scope; nothing else does."""

RECOMMENDED = "awsvpc"
"""The one network mode the rule accepts."""

FIX_TITLE = "Set network_mode to awsvpc"
"""Title of the quick fix."""

WHY = (
    "Only awsvpc gives each task its own elastic network interface, so security "
    "groups and VPC flow logs apply per task; bridge and host share the "
    "instance's network."
)
"""One sentence on why the rule exists, reused in messages and hover."""
