/**
 * Load test of `w2v serve` on this machine's loopback (npm run bench:serve -- VECTORS):
 *   node dist/scripts/serve-bench.js VECTORS [--seconds 5] [--connections 10] [--words 1000] [--k 10]
 * Serves VECTORS on a free loopback port in this process, then autocannon asks /api/neighbors
 * for the k neighbours of the most frequent words, in turn, for a few seconds. Prints requests/s,
 * latency percentiles and the errors; the last line is the whole result as JSON.
 */
import { parseArgs } from 'node:util';
import autocannon from 'autocannon';
import { serveLocally } from './serve/local-server.js';

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

const { app, url, embeddings, search } = await serveLocally(positionals[0]);
try {
  const words = embeddings.words.slice(0, Number(values.words));
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
    words: embeddings.size,
    dim: embeddings.dim,
    search: search.way,
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
  await app.close();
}
