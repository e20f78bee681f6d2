/**
 * Load test of `w2v serve` on this machine's loopback (npm run bench:serve -- VECTORS):
 *   node dist/scripts/serve-bench.js VECTORS [--seconds 5] [--connections 10] [--words 1000] [--k 10]
 * Starts `w2v serve VECTORS` on a free loopback port (its own process, so that the load does
 * not share an event loop with the server), then autocannon asks /api/neighbors for the k
 * neighbours of the most frequent words, in turn, for a few seconds. Prints requests/s, latency
 * percentiles and the errors; the last line is the whole result as JSON.
 */
import { spawn } from 'node:child_process';
import { parseArgs } from 'node:util';
import autocannon from 'autocannon';
import { readWord2vecFile } from '../src/vectors/word2vec-format.js';
import { W2V_MAIN } from './paths.js';

const { values, positionals } = parseArgs({
  allowPositionals: true,
  options: {
    seconds: { type: 'string', default: '5' },
    connections: { type: 'string', default: '10' },
    words: { type: 'string', default: '1000' },
    k: { type: 'string', default: '10' },
  },
});
if (positionals.length !== 1) throw new Error('usage: serve-bench.js VECTORS [--seconds 5] [--connections 10] [--words 1000] [--k 10]');
const seconds = Number(values.seconds);
const connections = Number(values.connections);
const k = Number(values.k);

const server = spawn(process.execPath, [W2V_MAIN, 'serve', positionals[0], '--port', '0'], { stdio: ['ignore', 'pipe', 'inherit'] });
const url = await new Promise<string>((resolve, reject) => {
  let printed = '';
  server.stdout.on('data', (chunk) => {
    printed += chunk;
    const found = /at (http:\/\/\S+)\n/.exec(printed)?.[1];
    if (found) resolve(found);
  });
  server.on('exit', (code) => reject(new Error(`w2v serve exited with ${code}`)));
});
try {
  const info = (await (await fetch(`${url}api/info`)).json()) as { words: number; dim: number; search: string };
  const { words } = await readWord2vecFile(positionals[0], { limit: Number(values.words) });
  let next = 0;
  const result = await autocannon({
    url,
    connections,
    duration: seconds,
    requests: [{ setupRequest: (request) => ({ ...request, path: `/api/neighbors?word=${encodeURIComponent(words[next++ % words.length])}&k=${k}` }) }],
  });
  const errors = result.errors + result.timeouts + result.non2xx;
  const summary = {
    vectors: positionals[0],
    words: info.words,
    dim: info.dim,
    search: info.search,
    queryWords: words.length,
    k,
    connections,
    seconds,
    requests: result.requests.total,
    requestsPerSecond: result.requests.average,
    latencyMs: { p50: result.latency.p50, p90: result.latency.p90, p99: result.latency.p99, max: result.latency.max },
    errors: result.errors,
    timeouts: result.timeouts,
    non2xx: result.non2xx,
  };
  console.log(
    `${summary.requests} requests in ${seconds} s over ${connections} connections: ${Math.round(summary.requestsPerSecond)} requests/s; ` +
      `latency p50 ${summary.latencyMs.p50} ms, p90 ${summary.latencyMs.p90} ms, p99 ${summary.latencyMs.p99} ms, max ${summary.latencyMs.max} ms; ` +
      `${errors} errors (${result.errors} connection errors, ${result.timeouts} timeouts, ${result.non2xx} non-2xx)`,
  );
  console.log(JSON.stringify(summary));
  if (errors > 0) process.exitCode = 1;
} finally {
  server.kill('SIGTERM');
}
