import path from 'node:path';
import fastifyStatic from '@fastify/static';
import Fastify, { type FastifyError, type FastifyInstance, type FastifyReply } from 'fastify';
import { UnknownWordError, type AnalogyMethod, type Embeddings } from '../query/embeddings.js';
import { UserError, errnoCode } from '../base/errors.js';
import type { NeighborSearch } from '../query/neighbor-search.js';
import type { Model } from '../query/model.js';
import { answerAnalogy, answerNeighbors, answerPrediction, unknownWordAnswer } from '../query/query-answers.js';
import type { SavedTrainingReport } from '../train/training-report.js';
import { MAP_METHODS, neighbourhoodMap, type MapMethod } from './neighbourhood-map.js';
import { PAGE_DIR, VENDOR_SCRIPTS } from './page-files.js';
import { VocabularySearch } from './vocabulary-search.js';

/** What the server answers from: read once at start, never written. */
export interface ServeContext {
  vectorsPath: string;
  embeddings: Embeddings;
  search: NeighborSearch;
  report: SavedTrainingReport | null;
  /** When the file served is a model file: its output layer answers /api/predict. */
  model?: Model;
  /** Told of errors that are the server's fault (answered with 500), for the caller to log. */
  onError?(error: unknown): void;
}

/**
 * Bounds on every parameter. Words: C word2vec's longest word (MAX_STRING) is 100 bytes, so no
 * longer query can be in a vocabulary. k: more neighbours than a page or a script reads at once
 * only costs time. The map lays out at most 1 + 30 + 30 × 10 words.
 */
export const LIMITS = Object.freeze({ wordLength: 100, k: 100, mapK: 30, mapK2: 10, completions: 20, contextLength: 1000 });

const word = { type: 'string', minLength: 1, maxLength: LIMITS.wordLength } as const;
const count = (max: number, fallback: number) => ({ type: 'integer', minimum: 1, maximum: max, default: fallback }) as const;
const query = (properties: Record<string, object>, required: string[]) => ({ querystring: { type: 'object', properties, required, additionalProperties: false } });

/**
 * Scripts and styles come only from this server. vega compiles its expressions with Function,
 * hence 'unsafe-eval'; vega-embed adds its own style element, hence the inline styles.
 */
const CONTENT_SECURITY_POLICY = "default-src 'self'; script-src 'self' 'unsafe-eval'; style-src 'self' 'unsafe-inline'; img-src 'self' data:; object-src 'none'; frame-ancestors 'none'";

/** Names a browser uses for this machine; a loopback server answers only requests addressed to one. */
function isLoopbackName(hostHeader: string | undefined): boolean {
  if (!hostHeader) return false;
  const name = hostHeader.startsWith('[') ? hostHeader.slice(0, hostHeader.indexOf(']') + 1) : hostHeader.replace(/:\d*$/, '');
  return name === 'localhost' || name === '[::1]' || /^127\.\d{1,3}\.\d{1,3}\.\d{1,3}$/.test(name);
}

/** Whether listening on `host` reaches only this machine. */
export function isLoopbackAddress(host: string): boolean {
  return host === 'localhost' || host === '::1' || /^127\./.test(host);
}

/**
 * The explorer: the page and its JSON API, every route read-only. With `loopbackOnly`, a request
 * whose Host is not this machine's name is refused: otherwise a web page elsewhere could point
 * its own host name at 127.0.0.1 (DNS rebinding) and read the answers.
 */
export async function buildServer(context: ServeContext, options: { loopbackOnly: boolean } = { loopbackOnly: true }): Promise<FastifyInstance> {
  const { embeddings, search, report } = context;
  const vocabulary = new VocabularySearch(embeddings.words);
  // A slow or stalled client must not hold a connection for ever.
  const app = Fastify({ logger: false, requestTimeout: 30_000, connectionTimeout: 60_000 });

  if (options.loopbackOnly) {
    app.addHook('onRequest', async (request, reply) => {
      if (!isLoopbackName(request.headers.host)) {
        return reply.code(403).send({ error: 'this server answers only requests addressed to localhost or 127.0.0.1 (start it with --host to serve other names)' });
      }
    });
  }

  app.addHook('onSend', async (_request, reply) => {
    reply.header('X-Content-Type-Options', 'nosniff');
    reply.header('Content-Security-Policy', CONTENT_SECURITY_POLICY);
    reply.header('Referrer-Policy', 'no-referrer');
  });

  app.setErrorHandler((error: FastifyError, _request, reply) => {
    if (error.validation) return reply.code(400).send({ error: `bad request: ${error.message}` });
    if (error.statusCode !== undefined && error.statusCode >= 400 && error.statusCode < 500) return reply.code(error.statusCode).send({ error: error.message });
    context.onError?.(error);
    return reply.code(500).send({ error: 'internal error' });
  });
  app.setNotFoundHandler((_request, reply) => reply.code(404).send({ error: 'no such page or API endpoint' }));

  /** Runs a query; an unknown word is the client's 404 (`word` names it; the message suggests spellings). */
  const answering = (reply: FastifyReply, run: () => unknown) => {
    try {
      return reply.send(run());
    } catch (error) {
      if (error instanceof UnknownWordError) return reply.code(404).send(unknownWordAnswer(error.word, error));
      throw error;
    }
  };

  app.get('/api/info', async () => ({
    vectors: path.basename(context.vectorsPath),
    words: embeddings.size,
    dim: embeddings.dim,
    search: search.way,
    report: report !== null,
    predict: context.model !== undefined,
    limits: LIMITS,
  }));

  app.get<{ Querystring: { prefix: string; limit: number } }>(
    '/api/words',
    { schema: query({ prefix: word, limit: count(LIMITS.completions, 10) }, ['prefix']) },
    async (request) => vocabulary.complete(request.query.prefix, request.query.limit),
  );

  app.get<{ Querystring: { word: string; k: number } }>(
    '/api/neighbors',
    { schema: query({ word, k: count(LIMITS.k, 10) }, ['word']) },
    async (request, reply) => {
      const { word: asked, k } = request.query;
      return answering(reply, () => answerNeighbors(search, [asked], k));
    },
  );

  app.get<{ Querystring: { a: string; b: string; c: string; method: AnalogyMethod; k: number } }>(
    '/api/analogy',
    { schema: query({ a: word, b: word, c: word, method: { type: 'string', enum: ['add', 'mul'], default: 'add' }, k: count(LIMITS.k, 10) }, ['a', 'b', 'c']) },
    async (request, reply) => {
      const { a, b, c, method, k } = request.query;
      return answering(reply, () => answerAnalogy(embeddings, a, b, c, method, k));
    },
  );

  app.get<{ Querystring: { word: string; k: number; k2: number; method: MapMethod } }>(
    '/api/map',
    {
      schema: query(
        { word, k: count(LIMITS.mapK, 12), k2: count(LIMITS.mapK2, 5), method: { type: 'string', enum: [...MAP_METHODS], default: 'umap' } },
        ['word'],
      ),
    },
    async (request, reply) => {
      const { word: asked, k, k2, method } = request.query;
      return answering(reply, () => neighbourhoodMap(embeddings, search, asked, { k, k2, method }));
    },
  );

  app.get<{ Querystring: { context: string; k: number } }>(
    '/api/predict',
    { schema: query({ context: { type: 'string', minLength: 1, maxLength: LIMITS.contextLength }, k: count(LIMITS.k, 10) }, ['context']) },
    async (request, reply) => {
      const { model } = context;
      if (model === undefined) {
        return reply.code(404).send({ error: `${path.basename(context.vectorsPath)} holds vectors only: serve a model file (w2v train --save-model) to predict` });
      }
      const words = request.query.context.trim().split(/\s+/).filter((w) => w.length > 0);
      try {
        return answerPrediction(model, words, request.query.k);
      } catch (error) {
        if (error instanceof UserError) return reply.code(404).send({ context: words, error: error.message });
        throw error;
      }
    },
  );

  app.get('/api/report', async (_request, reply) => {
    if (report === null) return reply.code(404).send({ error: `no training report beside ${path.basename(context.vectorsPath)} (w2v train writes one)` });
    return report;
  });

  // The page's own files: wildcard off, so only the files found in PAGE_DIR at start get a route
  // and no request path is ever joined onto a directory.
  await app.register(fastifyStatic, { root: PAGE_DIR, wildcard: false, index: 'index.html' });
  for (const [file, directory] of VENDOR_SCRIPTS) app.get(`/vendor/${file}`, (_request, reply) => reply.sendFile(file, directory));
  return app;
}

/** Starts listening; a port in use or a host that is not this machine's is the user's to fix. */
export async function startServer(context: ServeContext, listen: { host: string; port: number }): Promise<{ app: FastifyInstance; url: string }> {
  const app = await buildServer(context, { loopbackOnly: isLoopbackAddress(listen.host) });
  try {
    await app.listen(listen);
  } catch (error) {
    await app.close();
    throw listenError(error, listen.host, listen.port);
  }
  const address = app.server.address();
  const port = typeof address === 'object' && address ? address.port : listen.port;
  const host = listen.host.includes(':') ? `[${listen.host}]` : listen.host;
  return { app, url: `http://${host}:${port}/` };
}

function listenError(error: unknown, host: string, port: number): unknown {
  switch (errnoCode(error)) {
    case 'EADDRINUSE':
      return new UserError(`port ${port} on ${host} is already in use: choose another with --port`, { cause: error });
    case 'EACCES':
      return new UserError(`port ${port} on ${host} needs more privileges: choose one above 1023 with --port`, { cause: error });
    case 'EADDRNOTAVAIL':
    case 'ENOTFOUND':
    case 'EAI_AGAIN':
      return new UserError(`--host ${host} is not an address of this machine: give one of its addresses (default 127.0.0.1)`, { cause: error });
    default:
      return error;
  }
}
