import * as path from 'node:path';
import {
  BUNDLED_LIBS_DIR,
  BUNDLED_TOOL_DIR,
  MIN_PYTHON,
  SERVER_EXECUTABLE,
  SERVER_MODULE,
} from './constants';
import { findOnPath, isExecutableFile, isFile, probePython, type PythonProbe } from './executables';
import type { Logger } from './logging';
import type { ServerSettings } from './settings';

/** One way of running the server, as found by {@link findServer}. */
export interface ServerLaunch {
  command: string;
  args: string[];
  /** Extra environment for the server process, on top of the extension host's. */
  env: Record<string, string>;
  /**
   * Working directory, or undefined to keep the extension host's (the open folder).
   * `python -m` puts it first on sys.path, so Python launches get one of ours: a
   * folder holding, say, `pygls/` must not run its code instead of the server.
   */
  cwd: string | undefined;
  /** Where it came from, for the log and for error messages. */
  origin: 'ecsNetmode.server.path' | 'ecsNetmode.server.interpreter' | 'bundled' | 'PATH';
}

export type Discovery = { found: true; launch: ServerLaunch } | { found: false; problem: string };

const PYTHON_NAMES = ['python3', 'python'];
const MIN_PYTHON_TEXT = `${MIN_PYTHON[0]}.${MIN_PYTHON[1]}`;

function found(launch: ServerLaunch): Discovery {
  return { found: true, launch };
}

/** An explicit setting that does not work is reported, not skipped: silently using another server would hide the typo. */
async function fromPathSetting(file: string): Promise<Discovery> {
  if (await isExecutableFile(file)) {
    return found({ command: file, args: [], env: {}, cwd: undefined, origin: 'ecsNetmode.server.path' });
  }
  return {
    found: false,
    problem:
      `"ecsNetmode.server.path" is set to ${file}, which is not an executable file. ` +
      `Set it to the ${SERVER_EXECUTABLE} executable (for example .venv/bin/${SERVER_EXECUTABLE}), ` +
      'or clear it to use the bundled server.',
  };
}

/** Why an interpreter setting cannot run the server, in words that say what to do. */
function interpreterProblem(python: string, probe: Exclude<PythonProbe, 'ok'> | 'not-executable'): string {
  const setting = `"ecsNetmode.server.interpreter" is set to ${python}`;
  const instead = `Set it to a Python ${MIN_PYTHON_TEXT}+ that has ${SERVER_EXECUTABLE} installed, or clear it to use the bundled server.`;
  switch (probe) {
    case 'not-executable':
      return `${setting}, which is not an executable file. ${instead}`;
    case 'not-python':
      return `${setting}, which did not run as a Python interpreter. ${instead}`;
    case 'too-old':
      return `${setting}, which is older than Python ${MIN_PYTHON_TEXT}. ${instead}`;
    case 'missing-module':
      return (
        `${setting}, which does not have ${SERVER_EXECUTABLE} installed. ` +
        `Install it there (${python} -m pip install ${SERVER_EXECUTABLE}), or clear the setting to use the bundled server.`
      );
  }
}

/** The interpreter is asked first, so a Python without the server gets a message that says so. */
async function fromInterpreterSetting(python: string, extensionPath: string): Promise<Discovery> {
  if (!(await isExecutableFile(python))) {
    return { found: false, problem: interpreterProblem(python, 'not-executable') };
  }
  const probe = await probePython(python, MIN_PYTHON, SERVER_MODULE, extensionPath);
  if (probe !== 'ok') {
    return { found: false, problem: interpreterProblem(python, probe) };
  }
  return found({
    command: python,
    args: ['-m', SERVER_MODULE],
    env: {},
    cwd: extensionPath,
    origin: 'ecsNetmode.server.interpreter',
  });
}

async function findPython(log: Logger, cwd: string): Promise<string | undefined> {
  for (const name of PYTHON_NAMES) {
    const python = await findOnPath(name);
    if (python === undefined) {
      continue;
    }
    const probe = await probePython(python, MIN_PYTHON, undefined, cwd);
    if (probe === 'ok') {
      return python;
    }
    log.info(`${python} is not a Python ${MIN_PYTHON_TEXT}+ (${probe}); not used for the bundled server`);
  }
  return undefined;
}

/** The server copied into the VSIX runs on any Python 3.10+ because its dependencies are pure Python. */
async function fromBundle(extensionPath: string, log: Logger): Promise<Discovery | undefined> {
  const tool = path.join(extensionPath, ...BUNDLED_TOOL_DIR);
  const libs = path.join(extensionPath, ...BUNDLED_LIBS_DIR);
  if (!(await isFile(path.join(tool, SERVER_MODULE, '__main__.py')))) {
    log.info('this build of the extension has no bundled server');
    return undefined;
  }
  const python = await findPython(log, tool);
  if (python === undefined) {
    log.info(`no python3 ${MIN_PYTHON_TEXT}+ on PATH for the bundled server`);
    return undefined;
  }
  // -S keeps the chosen Python's site-packages out: the bundle is complete on its own, and
  // a different installed version (say an old compiled ruamel.yaml.clib) must not mix in.
  return found({
    command: python,
    args: ['-S', '-m', SERVER_MODULE],
    env: { PYTHONPATH: [tool, libs].join(path.delimiter) },
    // The bundle's own folder, already first on PYTHONPATH, so sys.path gains nothing.
    cwd: tool,
    origin: 'bundled',
  });
}

function nothingFound(settings: ServerSettings): Discovery {
  const untrusted = settings.trusted
    ? ''
    : ' This workspace is not trusted, so "ecsNetmode.server.path" and "ecsNetmode.server.interpreter" are ignored; trust it to use them.';
  return {
    found: false,
    problem:
      `No ${SERVER_EXECUTABLE} language server was found. Set "ecsNetmode.server.path" to the ${SERVER_EXECUTABLE} executable, ` +
      `or "ecsNetmode.server.interpreter" to a Python ${MIN_PYTHON_TEXT}+ with it installed (pip install ${SERVER_EXECUTABLE}); ` +
      `the bundled server needs python3 ${MIN_PYTHON_TEXT}+ on PATH.${untrusted}`,
  };
}

/**
 * Finds the server in a fixed order: the path setting, the interpreter setting,
 * the copy bundled in the VSIX, then the console script on PATH.
 */
export async function findServer(settings: ServerSettings, extensionPath: string, log: Logger): Promise<Discovery> {
  if (settings.path !== undefined) {
    return fromPathSetting(settings.path);
  }
  if (settings.interpreter !== undefined) {
    return fromInterpreterSetting(settings.interpreter, extensionPath);
  }
  const bundled = await fromBundle(extensionPath, log);
  if (bundled !== undefined) {
    return bundled;
  }
  const onPath = await findOnPath(SERVER_EXECUTABLE);
  if (onPath !== undefined) {
    return found({ command: onPath, args: [], env: {}, cwd: undefined, origin: 'PATH' });
  }
  return nothingFound(settings);
}

export function describeLaunch(launch: ServerLaunch): string {
  return [launch.command, ...launch.args].join(' ');
}
