import assert from 'node:assert/strict';
import { spawn, type ChildProcess } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import net from 'node:net';
import os from 'node:os';
import path from 'node:path';
import { after, before, describe, it } from 'node:test';
import { reportPathFor } from '../../src/train/training-report.js';
import { MAIN, assertOneLineFailure, runCli, w2v } from '../support/cli.js';
import { writeToyVectors } from '../support/toy-vectors.js';

const dir = mkdtempSync(path.join(os.tmpdir(), 'w2v-serve-cli-'));
const vectors = path.join(dir, 'toy.bin');

interface Running {
  child: ChildProcess;
  /** The URL from the line the command prints once it listens. */
  url: string;
  stderr: () => string;
}

/** Starts `w2v serve ...args` and waits for the line with its URL. */
function startServe(...args: string[]): Promise<Running> {
  const child = spawn(process.execPath, [MAIN, 'serve', ...args], { stdio: ['ignore', 'pipe', 'pipe'] });
  let stdout = '';
  let stderr = '';
  child.stderr!.on('data', (chunk) => (stderr += chunk));
  return new Promise((resolve, reject) => {
    child.stdout!.on('data', (chunk) => {
      stdout += chunk;
      const url = /at (http:\/\/\S+)\n/.exec(stdout)?.[1];
      if (url) resolve({ child, url, stderr: () => stderr });
    });
    child.on('exit', (code) => reject(new Error(`w2v serve exited with ${code} before listening: ${stderr}`)));
  });
}

function exited(child: ChildProcess): Promise<{ code: number | null; signal: NodeJS.Signals | null }> {
  if (child.exitCode !== null || child.signalCode !== null) return Promise.resolve({ code: child.exitCode, signal: child.signalCode });
  return new Promise((resolve) => child.once('exit', (code, signal) => resolve({ code, signal })));
}

/** Whether a TCP connection to host:port is accepted. */
function accepts(host: string, port: number): Promise<boolean> {
  return new Promise((resolve) => {
    const socket = net.connect(port, host);
    socket.once('connect', () => {
      socket.destroy();
      resolve(true);
    });
    socket.once('error', () => resolve(false));
  });
}

describe('w2v serve (command)', () => {
  before(() => writeToyVectors(vectors));
  after(() => rmSync(dir, { recursive: true, force: true }));

  it('listens on 127.0.0.1 by default, prints the URL, answers, and stops cleanly on SIGTERM', async () => {
    const running = await startServe(vectors, '--port', '0');
    try {
      const { hostname, port } = new URL(running.url);
      assert.equal(hostname, '127.0.0.1');
      const response = await fetch(`${running.url}api/neighbors?word=king&k=2`);
      assert.equal(response.status, 200);
      assert.deepEqual(((await response.json()) as { neighbors: { word: string }[] }).neighbors.map((n: { word: string }) => n.word), ['man', 'queen']);
      // Another loopback address reaches a server listening on every address, not this one.
      assert.equal(await accepts('127.0.0.2', Number(port)), false, 'not listening beyond 127.0.0.1');
    } finally {
      running.child.kill('SIGTERM');
    }
    assert.deepEqual(await exited(running.child), { code: 0, signal: null });
    assert.equal(running.stderr(), '', 'small vectors need no index, so nothing to report');
  });

  it('builds the index beside the vectors when asked to search through one, with progress, and reuses it next time', async () => {
    const indexed = path.join(dir, 'indexed.bin');
    await writeToyVectors(indexed);
    const first = await startServe(indexed, '--port', '0', '--index');
    try {
      const body = (await (await fetch(`${first.url}api/neighbors?word=king&k=2`)).json()) as { search: string; neighbors: { word: string }[] };
      assert.equal(body.search, 'index');
      assert.deepEqual(body.neighbors.map((n) => n.word), ['man', 'queen']);
    } finally {
      first.child.kill('SIGTERM');
    }
    await exited(first.child);
    assert.match(first.stderr(), /^w2v: building the index \(no index yet\): .*indexed\.bin\.hnsw\n(w2v: indexing words: .*\n)*w2v: indexing words: 306 of 306\n$/);
    const second = await startServe(indexed, '--port', '0', '--index');
    second.child.kill('SIGTERM');
    await exited(second.child);
    assert.equal(second.stderr(), '', 'the saved index matched the vectors');
  });

  it('a port in use fails with one line that suggests --port', async () => {
    const blocker = net.createServer();
    await new Promise<void>((resolve) => blocker.listen(0, '127.0.0.1', resolve));
    const { port } = blocker.address() as net.AddressInfo;
    try {
      const r = await runCli(['serve', vectors, '--port', String(port)]);
      assertOneLineFailure(r, new RegExp(`port ${port} on 127\\.0\\.0\\.1 is already in use: choose another with --port`));
    } finally {
      blocker.close();
    }
  });

  it('bad arguments and a missing vectors file fail with one line', () => {
    assertOneLineFailure(w2v('serve', path.join(dir, 'missing.bin')), /missing\.bin: no such vectors file/);
    assertOneLineFailure(w2v('serve', vectors, '--port', '70000'), /--port must be a whole number from 0 to 65535/);
    assertOneLineFailure(w2v('serve', vectors, '--port', '0', '--exact', '--index'), /--exact and --index/);
    assertOneLineFailure(w2v('serve', vectors, '--port', '0', '--host', '192.0.2.1'), /--host 192\.0\.2\.1 is not an address of this machine/);
  });

  it('a broken training report is a warning: the vectors are served without it', async () => {
    const broken = path.join(dir, 'broken.bin');
    await writeToyVectors(broken);
    writeFileSync(reportPathFor(broken), '{"options": ');
    const running = await startServe(broken, '--port', '0');
    try {
      assert.equal((await fetch(`${running.url}api/report`)).status, 404);
      assert.equal((await fetch(`${running.url}api/neighbors?word=queen`)).status, 200);
    } finally {
      running.child.kill('SIGTERM');
    }
    await exited(running.child);
    assert.match(running.stderr(), /^w2v: warning: .*broken\.bin\.report\.json: not valid JSON.*serving without the training report\n$/);
  });
});
