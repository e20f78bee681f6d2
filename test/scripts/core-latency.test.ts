import assert from 'node:assert/strict';
import { test } from 'node:test';
import { crossCoreRoundTripNs } from '../../scripts/bench/core-latency.js';

test('the cross-core probe hands the counter back and forth and ends its thread', async () => {
  // Two calls in a row: a probe out of step with its echo thread throws after 30 s, and one
  // that left the thread spinning would keep the test run from ending.
  for (const count of [1_000, 5_000]) {
    const ns = await crossCoreRoundTripNs(count);
    assert.ok(Number.isFinite(ns) && ns > 0, `round trip ${ns} ns`);
  }
});
