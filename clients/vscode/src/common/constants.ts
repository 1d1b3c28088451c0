/** Names shared by the extension's modules, kept in one place so they match package.json. */

/** Settings section; also the LanguageClient id, which makes the client read `ecsNetmode.trace.server`. */
export const CONFIG_SECTION = 'ecsNetmode';

/** Shown in the output channel title and in messages. */
export const DISPLAY_NAME = 'ECS Netmode';

export const RESTART_COMMAND = 'ecsNetmode.restart';

/** Extension id (publisher.name), used to open the settings page filtered to ours. */
export const EXTENSION_ID = 'ecs-netmode-lsp.ecs-netmode-lsp';

/** Executable name of the server's console script. */
export const SERVER_EXECUTABLE = 'ecs-netmode-lsp';

/** Module run with `python -m`. */
export const SERVER_MODULE = 'ecs_netmode_lsp';

/** The server needs Python 3.10 or newer (see requires-python in pyproject.toml). */
export const MIN_PYTHON: readonly [number, number] = [3, 10];

/** Layout of the server copied into the VSIX by scripts/bundle-server.mjs. */
export const BUNDLED_TOOL_DIR = ['bundled', 'tool'] as const;
export const BUNDLED_LIBS_DIR = ['bundled', 'libs'] as const;

/** Languages whose documents go to the server; Ansible files are `yaml` unless an Ansible extension is installed. */
export const LANGUAGES = ['yaml', 'ansible'] as const;

/** `file` for saved files, `untitled` so a playbook pasted into a new editor is checked too. */
export const SCHEMES = ['file', 'untitled'] as const;
