import * as vscode from 'vscode';
import { DISPLAY_NAME } from './constants';

/** The extension logs only here; a LogOutputChannel lets users pick the level and keeps timestamps. */
export type Logger = vscode.LogOutputChannel;

export function createLogger(): Logger {
  return vscode.window.createOutputChannel(DISPLAY_NAME, { log: true });
}

/** Errors reach us as unknown; turn them into one readable line for the log and messages. */
export function describeError(error: unknown): string {
  if (error instanceof Error) {
    return error.message;
  }
  return String(error);
}
