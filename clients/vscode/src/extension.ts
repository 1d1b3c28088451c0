import * as vscode from 'vscode';
import { ServerController } from './common/client';
import { RESTART_COMMAND } from './common/constants';
import { createLogger } from './common/logging';
import { FailureReporter } from './common/notifications';
import { needsRestart } from './common/settings';

/** Kept so deactivate can wait for the server to shut down cleanly. */
let controller: ServerController | undefined;

/** Wiring only: the work is done by the modules in ./common. */
export async function activate(context: vscode.ExtensionContext): Promise<void> {
  const log = createLogger();
  const server = new ServerController(context.extensionPath, log, new FailureReporter(log));
  context.subscriptions.push(
    log,
    vscode.commands.registerCommand(RESTART_COMMAND, () => server.restart()),
    vscode.workspace.onDidChangeConfiguration((event) => {
      if (needsRestart(event)) {
        void server.restart();
      }
    }),
    // Trusting the workspace makes the server path settings take effect.
    vscode.workspace.onDidGrantWorkspaceTrust(() => void server.restart()),
  );
  controller = server;
  await server.restart();
}

export function deactivate(): Promise<void> | undefined {
  return controller?.stop();
}
