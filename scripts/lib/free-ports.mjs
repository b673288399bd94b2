#!/usr/bin/env node
// Free loopback ports for the test environment and the clusters the tests deploy, picked at random
// below the kernel's ephemeral range: a port from there (what listen(0) gives) can be taken by any
// outgoing connection between the pick and the bind, and Docker binds a cluster's ports seconds later.
// Below 32768 too: Temporal stores membership ports in a smallint column.
//   node scripts/lib/free-ports.mjs pick N [EXCLUDE...]   prints N free ports
//   node scripts/lib/free-ports.mjs free PORT...          exits 1 when any is taken
import { mkdirSync, readFileSync, readdirSync, rmSync, writeFileSync } from 'node:fs';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';

const LOW = 20000;

/** The highest port to pick: under 32768 and under the ephemeral range's start. */
function highest() {
  let ephemeralStart = 32768;
  try {
    ephemeralStart = Number(readFileSync('/proc/sys/net/ipv4/ip_local_port_range', 'utf8').trim().split(/\s+/)[0]);
  } catch {} // not Linux: the usual start
  return Math.min(32767, ephemeralStart - 1);
}

/** Whether nothing listens on the port at 127.0.0.1. */
export function isFree(port) {
  return new Promise((resolve) => {
    const s = createServer();
    s.once('error', () => resolve(false));
    s.listen(port, '127.0.0.1', () => s.close(() => resolve(true)));
  });
}

/**
 * Ports picked by live processes, one file each: e2e files that run side by side pick their ports
 * seconds before their containers bind them, so a free port alone does not keep two of them apart.
 * A claim lasts as long as the process that made it.
 */
const CLAIMS = join(tmpdir(), 'temporal-ctl-port-claims');

const alive = (pid) => {
  try {
    process.kill(pid, 0);
    return true;
  } catch (e) {
    return e.code === 'EPERM';
  }
};

/** Claims the port for this process; false when a live process holds it. */
function claim(port) {
  mkdirSync(CLAIMS, { recursive: true });
  const file = join(CLAIMS, String(port));
  try {
    writeFileSync(file, String(process.pid), { flag: 'wx' });
    return true;
  } catch {
    const owner = Number(readFileSync(file, 'utf8'));
    if (owner === process.pid) return true;
    if (alive(owner)) return false;
    rmSync(file, { force: true }); // its process ended
    return claim(port);
  }
}

/** Removes the claims of processes that ended (keeps the directory small). */
function sweep() {
  let files = [];
  try {
    files = readdirSync(CLAIMS);
  } catch {
    return;
  }
  for (const f of files) {
    try {
      if (!alive(Number(readFileSync(join(CLAIMS, f), 'utf8')))) rmSync(join(CLAIMS, f), { force: true });
    } catch {} // another process swept it
  }
}

/** N distinct free ports, none of `exclude`; with `claimed`, none another live process claimed, and claimed for this one. */
export async function pickFreePorts(n, exclude = [], claimed = false) {
  if (claimed) sweep();
  const high = highest();
  if (high - LOW < 1000) throw new Error(`the ephemeral port range starts too low (${high + 1}) to pick test ports`);
  const seen = new Set(exclude.map(Number));
  const out = [];
  while (out.length < n) {
    const p = LOW + Math.floor(Math.random() * (high - LOW + 1));
    if (seen.has(p)) continue;
    seen.add(p);
    if ((await isFree(p)) && (!claimed || claim(p))) out.push(p);
  }
  return out;
}

if (process.argv[1] && import.meta.url === pathToFileURL(process.argv[1]).href) {
  const [cmd, ...args] = process.argv.slice(2);
  if (cmd === 'pick') console.log((await pickFreePorts(Number(args[0]), args.slice(1))).join(' '));
  else if (cmd === 'free') {
    for (const p of args) if (!(await isFree(Number(p)))) process.exit(1);
  } else {
    console.error('usage: free-ports.mjs pick N [EXCLUDE...] | free PORT...');
    process.exit(2);
  }
}
