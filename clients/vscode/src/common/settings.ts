import * as os from 'node:os';
import * as path from 'node:path';
import * as vscode from 'vscode';
import { CONFIG_SECTION } from './constants';

export type Severity = 'error' | 'warning' | 'information' | 'hint';
export type SuppressionKeyword = 'dd-iac-scan' | 'kics-scan';

/** What the server reads from initializationOptions and workspace/configuration. */
export interface RuleSettings {
  enable: boolean;
  severity: Severity;
  flagMissing: boolean;
  suppressionKeyword: SuppressionKeyword;
}

/** How the extension finds the server; never sent to the server. */
export interface ServerSettings {
  /** Absolute path, or undefined when unset or when the workspace is not trusted. */
  path: string | undefined;
  interpreter: string | undefined;
  /** False when the two settings above were dropped because the workspace is untrusted. */
  trusted: boolean;
}

const SEVERITIES: readonly Severity[] = ['error', 'warning', 'information', 'hint'];
const KEYWORDS: readonly SuppressionKeyword[] = ['dd-iac-scan', 'kics-scan'];

function section(): vscode.WorkspaceConfiguration {
  return vscode.workspace.getConfiguration(CONFIG_SECTION);
}

/** Settings.json is hand-edited; a value outside the enum falls back to the default rather than reaching the server. */
function oneOf<T extends string>(value: unknown, allowed: readonly T[], fallback: T): T {
  return allowed.find((item) => item === value) ?? fallback;
}

export function readRuleSettings(): RuleSettings {
  const config = section();
  return {
    enable: config.get<boolean>('enable', true),
    severity: oneOf(config.get('severity'), SEVERITIES, 'warning'),
    flagMissing: config.get<boolean>('flagMissing', true),
    suppressionKeyword: oneOf(config.get('suppressionKeyword'), KEYWORDS, 'dd-iac-scan'),
  };
}

/**
 * A path setting may use `~`, `${userHome}` or `${workspaceFolder}`, and a relative
 * path is taken from the first workspace folder, as users expect from other tools' settings.
 */
export function expandPath(value: string): string {
  const home = os.homedir();
  const folder = vscode.workspace.workspaceFolders?.[0]?.uri.fsPath;
  let expanded = value.trim().replace(/\$\{userHome\}/g, home);
  if (folder !== undefined) {
    expanded = expanded.replace(/\$\{workspaceFolder\}/g, folder);
  }
  if (expanded === '~' || expanded.startsWith('~/')) {
    expanded = path.join(home, expanded.slice(1));
  }
  if (!path.isAbsolute(expanded) && folder !== undefined) {
    expanded = path.join(folder, expanded);
  }
  return expanded;
}

function pathSetting(config: vscode.WorkspaceConfiguration, key: string): string | undefined {
  const value = config.get<string>(key, '');
  return value.trim() === '' ? undefined : expandPath(value);
}

/**
 * These two settings name a program to run, so a cloned repository could use them to run
 * its own code; in an untrusted workspace they are ignored (package.json also marks them restricted).
 */
export function readServerSettings(): ServerSettings {
  const trusted = vscode.workspace.isTrusted;
  if (!trusted) {
    return { path: undefined, interpreter: undefined, trusted };
  }
  const config = section();
  return {
    path: pathSetting(config, 'server.path'),
    interpreter: pathSetting(config, 'server.interpreter'),
    trusted,
  };
}

/** Changes that need a new server process rather than a didChangeConfiguration. */
export function needsRestart(event: vscode.ConfigurationChangeEvent): boolean {
  return (
    event.affectsConfiguration(`${CONFIG_SECTION}.enable`) ||
    event.affectsConfiguration(`${CONFIG_SECTION}.server`)
  );
}
