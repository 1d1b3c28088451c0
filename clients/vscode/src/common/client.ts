import {
  CloseAction,
  type CloseHandlerResult,
  ErrorAction,
  type ErrorHandler,
  type ErrorHandlerResult,
  LanguageClient,
  type LanguageClientOptions,
  RevealOutputChannelOn,
  type ServerOptions,
} from 'vscode-languageclient/node';
import { CONFIG_SECTION, DISPLAY_NAME, LANGUAGES, SCHEMES } from './constants';
import { describeError, type Logger } from './logging';
import type { FailureReporter } from './notifications';
import { readRuleSettings, readServerSettings } from './settings';
import { describeLaunch, findServer, type ServerLaunch } from './server';

/** Connection errors tolerated before giving up; a few can happen while a process exits. */
const MAX_CONNECTION_ERRORS = 3;

/** One wording for every way a found server can fail, so users learn one fix. */
function stoppedMessage(launch: ServerLaunch): string {
  return (
    `the server (${describeLaunch(launch)}, from ${launch.origin}) stopped or could not start; its output is in the log. ` +
    'Set "ecsNetmode.server.path" to a working ecs-netmode-lsp executable, or "ecsNetmode.server.interpreter" ' +
    'to a Python with ecs-netmode-lsp installed.'
  );
}

/**
 * The library's own notifications are switched off (see {@link QuietLanguageClient}), so
 * this handler is where a dead server is reported, once, and never restarted in a loop.
 */
function errorHandler(launch: ServerLaunch, reporter: FailureReporter): ErrorHandler {
  const stopped = (): void => reporter.stopped(stoppedMessage(launch));
  return {
    error(_error, _message, count): ErrorHandlerResult {
      if ((count ?? 0) <= MAX_CONNECTION_ERRORS) {
        return { action: ErrorAction.Continue, handled: true };
      }
      stopped();
      return { action: ErrorAction.Shutdown, handled: true };
    },
    closed(): CloseHandlerResult {
      stopped();
      return { action: CloseAction.DoNotRestart, handled: true };
    },
  };
}

/**
 * vscode-languageclient shows "couldn't create connection" and similar messages with
 * 'force', next to ours; keeping them in the log only leaves one clear message.
 */
class QuietLanguageClient extends LanguageClient {
  override error(message: string, data?: unknown, _showNotification?: boolean | 'force'): void {
    super.error(message, data, false);
  }
}

function clientOptions(launch: ServerLaunch, log: Logger, reporter: FailureReporter): LanguageClientOptions {
  return {
    documentSelector: LANGUAGES.flatMap((language) => SCHEMES.map((scheme) => ({ language, scheme }))),
    // The server reads these at start, then asks workspace/configuration for the same section.
    initializationOptions: readRuleSettings(),
    synchronize: { configurationSection: CONFIG_SECTION },
    outputChannel: log,
    revealOutputChannelOn: RevealOutputChannelOn.Never,
    errorHandler: errorHandler(launch, reporter),
    // Returning false stops the client without the library's own popup; closed() reports it.
    initializationFailedHandler: (error: unknown) => {
      log.error(`initialize failed: ${describeError(error)}`);
      return false;
    },
  };
}

function serverOptions(launch: ServerLaunch): ServerOptions {
  // No `transport` on purpose: with TransportKind.stdio the client appends --stdio to the
  // arguments, and the server speaks stdio without being told.
  return {
    command: launch.command,
    args: launch.args,
    options: {
      env: { ...process.env, ...launch.env },
      ...(launch.cwd === undefined ? {} : { cwd: launch.cwd }),
    },
  };
}

/** Owns the one LanguageClient: finds the server, starts, stops and restarts it. */
export class ServerController {
  private client: LanguageClient | undefined;
  /** Serialises start/stop so a settings change during start cannot leave two servers. */
  private queue: Promise<void> = Promise.resolve();

  constructor(
    private readonly extensionPath: string,
    private readonly log: Logger,
    private readonly reporter: FailureReporter,
  ) {}

  restart(): Promise<void> {
    return this.enqueue(async () => {
      await this.stopClient();
      await this.startClient();
    });
  }

  stop(): Promise<void> {
    return this.enqueue(() => this.stopClient());
  }

  private enqueue(task: () => Promise<void>): Promise<void> {
    this.queue = this.queue.then(task, task);
    return this.queue;
  }

  private async startClient(): Promise<void> {
    this.reporter.reset();
    if (!readRuleSettings().enable) {
      this.log.info('ecsNetmode.enable is false; the server is not started');
      return;
    }
    const discovery = await findServer(readServerSettings(), this.extensionPath, this.log);
    if (!discovery.found) {
      this.reporter.notFound(discovery.problem);
      return;
    }
    const launch = discovery.launch;
    this.log.info(`starting ${describeLaunch(launch)} (from ${launch.origin})`);
    const client = new QuietLanguageClient(
      CONFIG_SECTION,
      DISPLAY_NAME,
      serverOptions(launch),
      clientOptions(launch, this.log, this.reporter),
    );
    this.client = client;
    try {
      await client.start();
      // A failed initialize also resolves start(); closed() has reported that one.
      if (client.isRunning()) {
        this.log.info('server started');
      }
    } catch (error) {
      // Usually already reported by closed(); the reporter keeps it to one message.
      this.log.error(`starting the server failed: ${describeError(error)}`);
      this.reporter.stopped(stoppedMessage(launch));
    }
  }

  private async stopClient(): Promise<void> {
    const client = this.client;
    this.client = undefined;
    if (client === undefined) {
      return;
    }
    try {
      // A client whose start failed is already stopped; stop() would only throw.
      if (client.needsStop()) {
        await client.stop();
      }
    } catch (error) {
      this.log.warn(`stopping the server failed: ${describeError(error)}`);
    }
  }
}
