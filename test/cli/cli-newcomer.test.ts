// What a new user meets first: the w2v command itself, and mistakes answered in plain words.
import { before, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { mkdirSync, readFileSync, statSync, symlinkSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { pathToFileURL } from 'node:url';
import { MAIN, ROOT, assertOneLineFailure, runCli, w2v } from '../support/cli.js';
import { caseDirectories } from '../support/case-dirs.js';
import { writePlantedCorpus } from '../support/planted-corpus.js';
import { TOY_WORDS, writeToyVectors } from '../support/toy-vectors.js';

const cases = caseDirectories('w2v-newcomer-');
const BIN = path.join(ROOT, 'bin', 'w2v.js');
const INVOCATION = path.join(ROOT, 'dist', 'src', 'cli', 'invocation.js');

function run(command: string, args: string[], cwd: string, env: Record<string, string | undefined> = {}) {
  const r = spawnSync(command, args, { cwd, encoding: 'utf8', input: '', env: { ...process.env, W2V_DEBUG: '', npm_command: undefined, ...env } });
  return { code: r.status, stdout: r.stdout, stderr: r.stderr };
}

/** The command w2v would tell a user to type, had it been started as `script` from `cwd`. */
function nameWhenStartedAs(script: string, cwd: string, env: Record<string, string | undefined> = {}): string {
  const code = `process.argv[1] = ${JSON.stringify(script)}; const { commandName } = await import(${JSON.stringify(pathToFileURL(INVOCATION).href)}); console.log(commandName());`;
  const r = run(process.execPath, ['--input-type=module', '-e', code], cwd, env);
  assert.equal(r.code, 0, r.stderr);
  return r.stdout.trim();
}

describe('the w2v command', () => {
  it('bin/w2v.js is the package bin, carries its run bit and runs the CLI', () => {
    const pkg = JSON.parse(readFileSync(path.join(ROOT, 'package.json'), 'utf8')) as { bin: Record<string, string> };
    assert.equal(pkg.bin.w2v, 'bin/w2v.js');
    assert.ok((statSync(BIN).mode & 0o111) !== 0, 'bin/w2v.js can be run');
    const tracked = spawnSync('git', ['ls-files', '--stage', 'bin/w2v.js'], { cwd: ROOT, encoding: 'utf8' });
    // In a clone, git keeps the mode that reinstalling cannot lose.
    if (tracked.status === 0) assert.match(tracked.stdout, /^100755 /);
    const r = run(BIN, ['--version'], ROOT);
    assert.equal(r.code, 0, r.stderr);
    assert.match(r.stdout, /^\d+\.\d+\.\d+/);
  });

  it('w2v --help says where each command lists its options', () => {
    const r = w2v('--help');
    assert.equal(r.code, 0);
    assert.match(r.stdout.replace(/\s+/g, ' '), /w2v <command> --help lists them/);
  });

  it('names itself as it was started: w2v on the PATH, npx w2v, the script otherwise', () => {
    const { dir } = cases.next();
    const linkDir = path.join(dir, 'path-bin');
    mkdirSync(linkDir);
    symlinkSync(BIN, path.join(linkDir, 'w2v'));
    const withLink = `${linkDir}${path.delimiter}${process.env.PATH ?? ''}`;
    assert.equal(nameWhenStartedAs(path.join(linkDir, 'w2v'), dir, { PATH: withLink }), 'w2v');
    assert.equal(nameWhenStartedAs(BIN, dir, { npm_command: 'exec' }), 'npx w2v');
    assert.equal(nameWhenStartedAs(BIN, ROOT), 'bin/w2v.js');
    assert.equal(nameWhenStartedAs(MAIN, ROOT), 'node dist/src/cli/main.js');
    assert.equal(nameWhenStartedAs(BIN, dir), BIN, 'from elsewhere, the full path');
  });

  it('the resume command it prints after a stop works, pasted as it is', async () => {
    const { dir, tmp } = cases.next();
    const corpus = writePlantedCorpus(dir, 2000, 5);
    const out = path.join(dir, 'v.bin');
    let sent = false;
    const stopped = await runCli(['train', corpus, '--out', out, '--epochs', '300', '--sample', '0', '--dim', '16', '--min-count', '1', '--workers', '1'], {
      tmp,
      onStderr: (child, stderr) => {
        if (sent || !/w2v: training /.test(stderr)) return;
        sent = true;
        setTimeout(() => child.kill('SIGINT'), 100);
      },
    });
    assert.equal(stopped.code, 130, stopped.stderr);
    const match = /resume with: (.+)$/m.exec(stopped.stderr);
    assert.ok(match, stopped.stderr);
    assert.match(match[1], /^node dist\/src\/cli\/main\.js train --resume \S+v\.bin\.checkpoint$/);
    // runCli starts the CLI from the project root; the command runs from there as printed.
    const resumed = spawnSync('sh', ['-c', `${match[1]} --no-progress`], { cwd: ROOT, encoding: 'utf8', env: { ...process.env, TMPDIR: tmp } });
    assert.equal(resumed.status, 0, resumed.stderr);
    assert.match(resumed.stdout, /^wrote .*v\.bin: 48 words/);
  });
});

describe('mistakes a newcomer makes get one plain line', () => {
  let dir = '';
  let vectors = '';
  before(async () => {
    dir = cases.next().dir;
    vectors = path.join(dir, 'v.bin');
    await writeToyVectors(vectors);
  });

  it('a folder named as vectors', () => {
    assertOneLineFailure(w2v('neighbors', dir, 'king'), /is a folder, not a vectors file: name the file that w2v train --out wrote/);
  });

  it('a gzip corpus named as vectors', () => {
    assertOneLineFailure(w2v('neighbors', path.join(ROOT, 'corpora', 'brown.txt.gz'), 'king'), /brown\.txt\.gz is a gzip file, not vectors: a corpus goes to w2v train/);
  });

  it('a tsv export onto an existing file', () => {
    const r = w2v('export', vectors, '--format', 'tsv', '--out', path.join(dir, 'taken.txt'));
    assert.equal(r.code, 0, 'a path that does not exist yet becomes the folder');
    writeFileSync(path.join(dir, 'file.txt'), 'x');
    assertOneLineFailure(w2v('export', vectors, '--format', 'tsv', '--out', path.join(dir, 'file.txt')), /file\.txt is a file, and the tsv export writes a folder .*: name a folder for --out/);
  });

  it('a word where a number goes, named as typed', () => {
    assertOneLineFailure(w2v('train', 'c.txt', '--out', path.join(dir, 'x.bin'), '--dim', 'abc'), /^w2v: --dim takes a number, got "abc"$/, 2);
    assertOneLineFailure(w2v('neighbors', vectors, 'king', '-n', 'ten'), /^w2v: -n takes a number, got "ten"$/, 2);
  });

  it('an unknown option, with its nearest spelling and where the options are listed', () => {
    assertOneLineFailure(w2v('train', 'c.txt', '--out', 'x.bin', '--epoch', '1'), /^w2v: unknown option --epoch \(did you mean --epochs\?\); w2v train --help lists what it takes$/, 2);
    assertOneLineFailure(w2v('neighbors', vectors, 'king', '--zzzz'), /^w2v: unknown option --zzzz; w2v neighbors --help lists what it takes$/, 2);
    assertOneLineFailure(w2v('index', vectors, 'extra'), /^w2v: unexpected argument "extra"; w2v index --help lists what it takes$/, 2);
  });

  it('too few words for an analogy', () => {
    assertOneLineFailure(w2v('analogy', vectors, 'man', 'king'), /^w2v: analogy takes <vectors> <a> <b> <c>, and got 3 \(.*v\.bin man king\); w2v analogy --help says what each is$/, 2);
  });

  it("w2v's own CSV export reads back through the query commands", () => {
    const csv = path.join(dir, 'v.csv');
    assert.equal(w2v('export', vectors, '--format', 'csv', '--out', csv).code, 0);
    const fromBin = JSON.parse(w2v('neighbors', vectors, 'king', '--exact', '--json').stdout);
    const fromCsv = JSON.parse(w2v('neighbors', csv, 'king', '--exact', '--json').stdout);
    assert.deepEqual(fromCsv.neighbors, fromBin.neighbors);
    const analogy = JSON.parse(w2v('analogy', csv, 'man', 'king', 'woman', '--json').stdout);
    assert.equal(analogy.answers[0].word, 'queen');
    const back = path.join(dir, 'back.txt');
    assert.equal(w2v('export', csv, '--format', 'text', '--out', back).code, 0);
    const text = path.join(dir, 'v.txt');
    assert.equal(w2v('export', vectors, '--format', 'text', '--out', text).code, 0);
    assert.equal(readFileSync(back, 'utf8'), readFileSync(text, 'utf8'), 'CSV → text equals bin → text');
    const index = w2v('index', csv, '--ef', '20', '--json');
    assert.equal(index.code, 0, index.stderr);
    assert.equal(JSON.parse(index.stdout).words, readFileSync(text, 'utf8').split('\n').length - 2);
    assert.ok(TOY_WORDS.every((w) => readFileSync(csv, 'utf8').includes(`\n${w},`)));
  });

  it('a damaged CSV export gets one line that says to export it again', () => {
    const bad = path.join(dir, 'bad.csv');
    writeFileSync(bad, 'word,v1,v2\nking,1,2\nqueen,3\n');
    assertOneLineFailure(w2v('neighbors', bad, 'king'), /bad\.csv: line 3 has 1 values, the header 2; export it again/);
    writeFileSync(bad, 'word,v1,v2\nking,1,two\n');
    assertOneLineFailure(w2v('neighbors', bad, 'king'), /bad\.csv: line 2: "two" is not a number; export it again/);
  });
});
