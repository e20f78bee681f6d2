// w2v train in a real terminal: a tmux pane of 80 columns, Ctrl-C typed as a user types it.
import { after, before, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { execFileSync, spawnSync } from 'node:child_process';
import { MAIN } from '../support/cli.js';
import { caseDirectories } from '../support/case-dirs.js';
import { writePlantedCorpus } from '../support/planted-corpus.js';

const COLUMNS = 80;
const BAR_CHARACTERS = /[\u2588\u2591]/;
const cases = caseDirectories('w2v-terminal-');
const socket = `w2v-test-${process.pid}`;

function tmux(...args: string[]): string {
  return execFileSync('tmux', ['-L', socket, ...args], { encoding: 'utf8' });
}

/** The pane's text, wrapped lines joined back (-J), so a line wider than the pane shows as such. */
function screen(): string[] {
  return tmux('capture-pane', '-p', '-J', '-t', 'w2v').split('\n');
}

async function waitFor(what: string, test: (lines: string[]) => boolean, timeoutMs = 60_000): Promise<string[]> {
  const end = Date.now() + timeoutMs;
  for (;;) {
    const lines = screen();
    if (test(lines)) return lines;
    if (Date.now() > end) assert.fail(`timed out waiting for ${what}; the pane shows:\n${lines.join('\n')}`);
    await new Promise((resolve) => setTimeout(resolve, 100));
  }
}

describe('the progress bar in an 80-column terminal', () => {
  let dir = '';
  before(() => {
    const found = spawnSync('tmux', ['-V'], { encoding: 'utf8' });
    assert.equal(found.status, 0, 'this test drives tmux: install it (apt-get install tmux)');
    dir = cases.next().dir;
    // Large enough for several seconds of training, so the bar is seen and Ctrl-C lands in it.
    writePlantedCorpus(dir, 20000, 5);
    tmux('new-session', '-d', '-s', 'w2v', '-x', String(COLUMNS), '-y', '40', 'env -i PATH="$PATH" HOME="$HOME" TERM=xterm bash --norc --noprofile');
    tmux('send-keys', '-t', 'w2v', `cd ${dir} && PS1='$ ' && clear`, 'Enter');
  });
  after(() => {
    spawnSync('tmux', ['-L', socket, 'kill-server']);
  });

  it('fits the line, gives way to the stop notice, and is not drawn again after Ctrl-C or the end', async () => {
    const command = `node ${MAIN} train planted.txt --out ck.bin --model sg --epochs 150 --sample 0 --dim 16 --min-count 1 --workers 1`;
    tmux('send-keys', '-t', 'w2v', `${command}; echo "exit $?"`, 'Enter');
    const running = await waitFor('the bar', (lines) => lines.some((l) => BAR_CHARACTERS.test(l) && l.includes('loss')));
    const bar = running.find((l) => BAR_CHARACTERS.test(l))!;
    assert.ok(bar.length < COLUMNS, `the bar fits in ${COLUMNS} columns: ${JSON.stringify(bar)} is ${bar.length}`);
    assert.match(bar, /^\u2588*\u2591* +\d+% \| ETA .* \| epoch \d+ \| .*loss \d+\.\d{4}$/);

    tmux('send-keys', '-t', 'w2v', 'C-c');
    const stopped = await waitFor('the stop', (lines) => lines.some((l) => l === 'exit 130'));
    const notice = stopped.findIndex((l) => l.includes('SIGINT: stopping after the running tasks'));
    assert.ok(notice >= 0, stopped.join('\n'));
    const resumeLine = stopped.find((l) => l.includes('resume with:'));
    assert.ok(resumeLine, stopped.join('\n'));
    // The notice stands alone, and the command ends where the path ends: nothing glued to it.
    assert.match(resumeLine, /^w2v: stopped; checkpoint written to ck\.bin\.checkpoint; resume with: node \S+main\.js train --resume ck\.bin\.checkpoint$/);
    assert.ok(stopped.slice(notice).every((l) => !BAR_CHARACTERS.test(l)), `no bar after the stop:\n${stopped.join('\n')}`);

    // The printed command, pasted where the user stands, finishes the run; the bar goes with it.
    const resume = resumeLine.slice(resumeLine.indexOf('resume with: ') + 'resume with: '.length);
    tmux('send-keys', '-t', 'w2v', 'clear', 'Enter');
    tmux('send-keys', '-t', 'w2v', `${resume}; echo "exit $?"`, 'Enter');
    const finished = await waitFor('the end of the resumed run', (lines) => lines.some((l) => /^exit \d+$/.test(l)));
    assert.ok(finished.includes('exit 0'), finished.join('\n'));
    assert.ok(finished.some((l) => l.startsWith(`wrote ck.bin: 48 words`)), finished.join('\n'));
    assert.ok(finished.every((l) => !BAR_CHARACTERS.test(l)), `no bar left on the screen:\n${finished.join('\n')}`);
  });
});
