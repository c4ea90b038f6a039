import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { sparkline } from '../../src/core/health/sparkline';

describe('sparkline', () => {
  it('scales to the busiest minute and marks empty minutes with a dot', () => {
    assert.equal(sparkline([0, 1, 2, 4, 8]), '·▁▂▄█');
  });
  it('is all dots for a quiet window and empty for no minutes', () => {
    assert.equal(sparkline([0, 0, 0]), '···');
    assert.equal(sparkline([]), '');
  });
});
