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

/** Like `which`: the first executable called `name` in the extension host's PATH. */
export async function findOnPath(name: string): Promise<string | undefined> {
  const dirs = (process.env['PATH'] ?? '').split(path.delimiter).filter((dir) => dir !== '');
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

/** Asks the interpreter itself, since names like `python3` say nothing about the minor version. */
export function pythonIsAtLeast(python: string, minimum: readonly [number, number]): Promise<boolean> {
  const check = `import sys; print(sys.version_info[:2] >= (${minimum[0]}, ${minimum[1]}))`;
  return new Promise((resolve) => {
    execFile(python, ['-c', check], { timeout: 10_000 }, (error, stdout) => {
      resolve(error === null && stdout.trim() === 'True');
    });
  });
}
