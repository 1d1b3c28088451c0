import { execFile } from 'node:child_process';
import { constants as fsConstants, promises as fs } from 'node:fs';
import * as path from 'node:path';

/** True for a regular file we may execute; a directory or a missing file would only fail later at spawn time. */
export async function isExecutableFile(file: string): Promise<boolean> {
  try {
    const stat = await fs.stat(file);
    if (!stat.isFile()) {
      return false;
    }
    await fs.access(file, fsConstants.X_OK);
    return true;
  } catch {
    return false;
  }
}

export async function isFile(file: string): Promise<boolean> {
  try {
    return (await fs.stat(file)).isFile();
  } catch {
    return false;
  }
}

/** Windows finds programs by extension; elsewhere the bare name is the file. */
function candidateNames(name: string): string[] {
  if (process.platform !== 'win32') {
    return [name];
  }
  const extensions = (process.env['PATHEXT'] ?? '.EXE;.CMD;.BAT').split(';').filter((ext) => ext !== '');
  return [name, ...extensions.map((ext) => name + ext.toLowerCase())];
}

/**
 * Like `which`: the first executable called `name` in the extension host's PATH.
 * Relative entries are skipped: they would be looked up in the open folder, which
 * may be an untrusted repository.
 */
export async function findOnPath(name: string): Promise<string | undefined> {
  const dirs = (process.env['PATH'] ?? '').split(path.delimiter).filter((dir) => path.isAbsolute(dir));
  for (const dir of dirs) {
    for (const candidate of candidateNames(name)) {
      const file = path.join(dir, candidate);
      if (await isExecutableFile(file)) {
        return file;
      }
    }
  }
  return undefined;
}

/** What {@link probePython} learnt about an interpreter. */
export type PythonProbe = 'ok' | 'too-old' | 'missing-module' | 'not-python';

const PROBE_ANSWERS: readonly PythonProbe[] = ['ok', 'too-old', 'missing-module'];

/**
 * Asks the interpreter itself whether it is new enough and, when `module` is given,
 * whether it can import it: names like `python3` say nothing about either. The
 * script runs in `cwd`, since `-c` puts the working directory first on sys.path.
 */
export function probePython(
  python: string,
  minimum: readonly [number, number],
  module: string | undefined,
  cwd: string,
): Promise<PythonProbe> {
  // Old enough Pythons lack importlib.util, so the version is checked before the import.
  const lines = [
    'import sys',
    `if sys.version_info[:2] < (${minimum[0]}, ${minimum[1]}): print("too-old")`,
    module === undefined
      ? 'else: print("ok")'
      : `else: import importlib.util; print("missing-module" if importlib.util.find_spec("${module}") is None else "ok")`,
  ];
  return new Promise((resolve) => {
    execFile(python, ['-c', lines.join('\n')], { timeout: 10_000, cwd }, (error, stdout) => {
      const answer = PROBE_ANSWERS.find((item) => item === stdout.trim());
      resolve(error === null && answer !== undefined ? answer : 'not-python');
    });
  });
}
