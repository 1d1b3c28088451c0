import * as vscode from 'vscode';
import { DISPLAY_NAME, EXTENSION_ID, RESTART_COMMAND } from './constants';
import type { Logger } from './logging';

const OPEN_SETTINGS = 'Open Settings';
const SHOW_LOG = 'Show Log';
const RESTART = 'Restart Server';

/**
 * Shows at most one error per server start. The language client reports a dead server
 * from several places (spawn, initialize, connection close); users should see one
 * message that says what to change, not a pile of them.
 */
export class FailureReporter {
  private reported = false;

  constructor(private readonly log: Logger) {}

  /** Called before each start, so a later failure is reported again. */
  reset(): void {
    this.reported = false;
  }

  /** The server could not be found or configured: only the settings can fix that. */
  notFound(problem: string): void {
    this.show(problem, [OPEN_SETTINGS, SHOW_LOG]);
  }

  /** The server was found but failed to start or stopped: its own output in the log says why. */
  stopped(problem: string): void {
    this.show(problem, [RESTART, SHOW_LOG, OPEN_SETTINGS]);
  }

  private show(problem: string, actions: string[]): void {
    this.log.error(problem);
    if (this.reported) {
      return;
    }
    this.reported = true;
    void vscode.window.showErrorMessage(`${DISPLAY_NAME}: ${problem}`, ...actions).then((choice) => this.act(choice));
  }

  private act(choice: string | undefined): void {
    if (choice === OPEN_SETTINGS) {
      void vscode.commands.executeCommand('workbench.action.openSettings', `@ext:${EXTENSION_ID}`);
    } else if (choice === SHOW_LOG) {
      this.log.show();
    } else if (choice === RESTART) {
      void vscode.commands.executeCommand(RESTART_COMMAND);
    }
  }
}
