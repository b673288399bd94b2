#!/usr/bin/env node
// Free loopback ports for the test environment and the clusters the tests deploy, picked at random
// below the kernel's ephemeral range: a port from there (what listen(0) gives) can be taken by any
// outgoing connection between the pick and the bind, and Docker binds a cluster's ports seconds later.
// Below 32768 too: Temporal stores membership ports in a smallint column.
//   node scripts/lib/free-ports.mjs pick N [EXCLUDE...]   prints N free ports
//   node scripts/lib/free-ports.mjs free PORT...          exits 1 when any is taken
import { readFileSync } from 'node:fs';
import { createServer } from 'node:net';
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

/** N distinct free ports, none of `exclude`. */
export async function pickFreePorts(n, exclude = []) {
  const high = highest();
  if (high - LOW < 1000) throw new Error(`the ephemeral port range starts too low (${high + 1}) to pick test ports`);
  const seen = new Set(exclude.map(Number));
  const out = [];
  while (out.length < n) {
    const p = LOW + Math.floor(Math.random() * (high - LOW + 1));
    if (seen.has(p)) continue;
    seen.add(p);
    if (await isFree(p)) out.push(p);
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
