/** @module bench/server — wrangler commands for the benchmark: migrations, seed, `wrangler dev`, the bundle. */
import { spawn, spawnSync } from 'node:child_process';
import { join } from 'node:path';

/**
 * Wrangler needs Node 22; `npm run bench` puts the repository's Node first on PATH, and so does this, so the
 * script also works when started with another `node`.
 */
export function wranglerEnv(root) {
  const bin = join(root, 'node_modules', '.bin');
  return {
    ...process.env,
    PATH: `${bin}:${process.env.PATH ?? ''}`,
    CI: 'true',
    WRANGLER_SEND_METRICS: 'false',
    CLOUDFLARE_CF_FETCH_ENABLED: 'false',
  };
}

function wranglerPath(root) {
  return join(root, 'node_modules', '.bin', 'wrangler');
}

/** Runs a wrangler command to completion; its output is kept and shown only when it fails. */
export function wrangler(root, args) {
  const run = spawnSync(wranglerPath(root), args, {
    cwd: root,
    env: wranglerEnv(root),
    encoding: 'utf8',
    maxBuffer: 64 * 1024 * 1024,
  });
  if (run.status !== 0) {
    throw new Error(`wrangler ${args.join(' ')} failed (${run.status ?? run.signal}):\n${run.stdout}\n${run.stderr}`);
  }
  return run.stdout;
}

/**
 * Starts the Worker the way `npm start` does (wrangler dev on 127.0.0.1), on its own state folder and with the
 * round-trip counter on. Resolves once `readyPath` answers; `stop()` ends wrangler and everything it started.
 */
export async function startServer(
  root,
  { port, persistTo, vars = {}, log, inspectorPort, config, readyPath = '/healthz' },
) {
  const url = `http://127.0.0.1:${port}`;
  // Something else answering on the port would be measured instead of this run's server.
  const busy = await fetch(`${url}/`).then(
    () => true,
    () => false,
  );
  if (busy) throw new Error(`port ${port} is already in use; choose another with BENCH_PORT`);
  const args = [
    'dev',
    '--ip',
    '127.0.0.1',
    '--port',
    String(port),
    ...(persistTo ? ['--persist-to', persistTo] : []),
    ...(inspectorPort ? ['--inspector-port', String(inspectorPort)] : []),
    ...(config ? ['--config', config] : []),
    '--show-interactive-dev-session=false',
    ...Object.entries(vars).flatMap(([name, value]) => ['--var', `${name}:${value}`]),
  ];
  // Its own process group, so workerd (started by wrangler) goes away with it even if wrangler is killed hard.
  const child = spawn(wranglerPath(root), args, {
    cwd: root,
    env: wranglerEnv(root),
    stdio: ['ignore', 'pipe', 'pipe'],
    detached: true,
  });
  let output = '';
  const keep = (chunk) => {
    output = (output + chunk).slice(-20_000);
    log?.(chunk);
  };
  child.stdout.setEncoding('utf8').on('data', keep);
  child.stderr.setEncoding('utf8').on('data', keep);
  const exited = new Promise((resolve) => child.once('exit', resolve));

  let stopped = false;
  async function stop() {
    if (stopped) return;
    stopped = true;
    if (child.exitCode !== null || child.signalCode !== null) return;
    child.kill('SIGTERM');
    const timeout = new Promise((resolve) => setTimeout(() => resolve('timeout'), 5000));
    if ((await Promise.race([exited, timeout])) === 'timeout') {
      try {
        process.kill(-child.pid, 'SIGKILL');
      } catch {
        // already gone
      }
      await exited;
    }
  }

  const deadline = Date.now() + 90_000;
  while (Date.now() < deadline) {
    if (child.exitCode !== null) throw new Error(`wrangler dev exited (${child.exitCode}):\n${output}`);
    try {
      const res = await fetch(`${url}${readyPath}`);
      if (res.ok) return { url, pid: child.pid, stop, output: () => output };
    } catch {
      // not listening yet
    }
    await new Promise((resolve) => setTimeout(resolve, 250));
  }
  await stop();
  throw new Error(`wrangler dev did not answer ${readyPath} within 90 s:\n${output}`);
}
