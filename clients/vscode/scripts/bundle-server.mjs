// Copies the repository's Python server into bundled/tool and installs its pure-Python
// dependencies into bundled/libs, so the VSIX works with any python3 >= 3.10 on PATH.
// The Python used for pip is $ECS_NETMODE_BUNDLE_PYTHON, else python3.
import { execFileSync } from 'node:child_process';
import { cpSync, existsSync, rmSync } from 'node:fs';
import { basename, delimiter, dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

const root = join(dirname(fileURLToPath(import.meta.url)), '..');
const source = join(root, '..', '..', 'server', 'ecs_netmode_lsp');
const bundled = join(root, 'bundled');
const tool = join(bundled, 'tool');
const libs = join(bundled, 'libs');
const python = process.env.ECS_NETMODE_BUNDLE_PYTHON || 'python3';

function run(args, env = process.env) {
  execFileSync(python, args, { stdio: 'inherit', env });
}

if (!existsSync(join(source, '__main__.py'))) {
  throw new Error(`server package not found at ${source}`);
}
rmSync(bundled, { recursive: true, force: true });

// Byte code is left out: it is specific to one Python version and rebuilt on first use.
cpSync(source, join(tool, 'ecs_netmode_lsp'), {
  recursive: true,
  filter: (path) => basename(path) !== '__pycache__' && !path.endsWith('.pyc'),
});

// Wheels only (--only-binary), so nothing is compiled and every file is pure Python;
// --no-deps because the requirements file lists the complete, pinned set.
run([
  '-m', 'pip', 'install',
  '--quiet', '--disable-pip-version-check', '--no-compile', '--no-deps', '--only-binary=:all:',
  '--target', libs,
  '--requirement', join(root, 'bundled-requirements.txt'),
]);
rmSync(join(libs, 'bin'), { recursive: true, force: true });

// Import the bundle the way the extension runs it, isolated from this Python's
// site-packages (-S), to prove the bundle is complete without compiled code.
run(
  ['-S', '-c', 'import pygls.lsp.server, lsprotocol.types, ruamel.yaml, ecs_netmode_lsp; print("bundled server imports OK")'],
  { ...process.env, PYTHONPATH: [tool, libs].join(delimiter), PYTHONDONTWRITEBYTECODE: '1' },
);
