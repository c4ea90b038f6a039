// The detail panel's pictures (issue 16, "Pictures"), rendered in jsdom: intent and entity
// confidence as meters whose bars match the value and whose exact value stays readable, and the
// Watson call as a timeline (a call strip and each turn's response times as bars on one scale)
// instead of a table per turn.
import assert from 'node:assert/strict';
import { after, describe, it } from 'node:test';
import { JSDOM } from 'jsdom';
import { senderViewOfText } from '../../src/core/senders/senderView';
import { renderSenderView } from '../../webview-ui/src/senderViews';
import { watsonCdr, watsonMessageLogged } from './detailBuilders';

const dom = new JSDOM('<!DOCTYPE html><html><body></body></html>');
Object.assign(globalThis, { window: dom.window, document: dom.window.document });
after(() => dom.window.close());

function render(body: unknown, sender: string, event: string): HTMLElement {
  const view = senderViewOfText(JSON.stringify(body), sender, event);
  assert.ok(view, 'the body has a sender view');
  return renderSenderView(view);
}

/** The width of a meter's or step's bar, in its 0..100 user space. */
function barWidth(element: Element): number {
  const fill = element.querySelector('svg rect.bar-fill');
  assert.ok(fill, 'a bar');
  return Number(fill.getAttribute('width'));
}

describe('confidence as a meter', () => {
  it('intents and entities: a bar as long as the confidence, the value as text and in the meter', () => {
    const root = render(watsonMessageLogged(), 'watson', 'message_logged');
    const meters = [...root.querySelectorAll('[role="meter"]')];
    assert.equal(meters.length, 2, 'the intent and the entity');
    const [intent, entity] = meters;
    assert.ok(intent && entity);
    assert.equal(intent.getAttribute('aria-valuenow'), '0.9412');
    assert.equal(intent.getAttribute('aria-valuemin'), '0');
    assert.equal(intent.getAttribute('aria-valuemax'), '1');
    assert.equal(intent.getAttribute('aria-valuetext'), '94.1% confidence (0.9412)');
    assert.equal(intent.querySelector('.confidence-value')?.textContent, '94.1%');
    assert.equal((intent as HTMLElement).title, 'Confidence 0.9412');
    assert.equal(barWidth(intent), 94.12);
    assert.equal(barWidth(entity), 100);
    assert.equal(entity.querySelector('.confidence-value')?.textContent, '100%');
    // The bar is a picture only: the meter's own text says it.
    assert.equal(intent.querySelector('svg')?.getAttribute('aria-hidden'), 'true');
  });

  it('a confidence that is not a number in 0..1 stays the text it is, with no bar', () => {
    for (const confidence of ['1.5', '-0.1', 'high', '']) {
      const body = watsonMessageLogged();
      const payload = body.payload as { response: { output: { intents: unknown[] } } };
      payload.response.output.intents = [{ intent: 'odd', confidence }];
      const root = render(body, 'watson', 'message_logged');
      const chip = [...root.querySelectorAll('.chip')].find((element) =>
        element.textContent?.includes('#odd'),
      );
      assert.ok(chip, confidence);
      if (confidence === '') continue;
      assert.equal(chip.querySelector('[role="meter"]'), null, confidence);
      assert.ok(chip.textContent?.includes(confidence), confidence);
    }
  });
});

describe('the call as a timeline', () => {
  const root = render(watsonCdr(), 'watson', 'cdr_logged');
  const timeline = [...root.querySelectorAll('section')].find((section) =>
    section.querySelector('h2')?.textContent?.startsWith('Timeline'),
  );

  it('a call strip: setup from the INVITE, the call, a tick per timed turn, said in words', () => {
    assert.ok(timeline);
    const strip = timeline.querySelector('svg.call-strip');
    assert.ok(strip);
    assert.equal(strip.getAttribute('role'), 'img');
    // INVITE 20:54:00.565, start 20:54:02.591, stop 20:54:20.375: 19.81 s in all.
    const setup = strip.querySelector('rect.call-setup');
    const talk = strip.querySelector('rect.call-talk');
    assert.ok(setup && talk);
    const span = Date.parse('2021-10-12T20:54:20.375Z') - Date.parse('2021-10-12T20:54:00.565Z');
    const setupWidth = Math.round((2026 / span) * 1000 * 10) / 10;
    assert.equal(Number(setup.getAttribute('width')), setupWidth);
    assert.equal(Number(talk.getAttribute('x')), setupWidth);
    assert.ok(Math.abs(Number(talk.getAttribute('width')) - (1000 - setupWidth)) < 0.2);
    // The first turn started 20:54:00.722, during setup.
    assert.equal(strip.querySelectorAll('rect.call-tick').length, 1);
    const words =
      'INVITE, then 2.0 s of setup · a 17.8 s call · 1 turn marked · ended: assistant_hangup';
    assert.equal(strip.getAttribute('aria-label'), `Call timeline: ${words}`);
    assert.ok(timeline.querySelector('figcaption')?.textContent?.includes(words));
  });

  it('each turn’s response times as bars on the call’s slowest, the times as text; no tables', () => {
    assert.ok(timeline);
    assert.equal(timeline.querySelectorAll('table').length, 0, 'no table per turn');
    const turns = [...timeline.querySelectorAll('li.turn')];
    assert.equal(turns.length, 3);
    const steps = (turn: Element | undefined) =>
      [...(turn?.querySelectorAll('li.step') ?? [])].map((step) => [
        step.querySelector('.step-label')?.textContent,
        step.querySelector('.step-time')?.textContent,
        barWidth(step),
      ]);
    // The slowest step of the call is text to speech's 535 ms (its maximum), the scale.
    assert.deepEqual(steps(turns[0]), [
      ['Assistant', '339 ms', Math.round((339 / 535) * 100 * 1000) / 1000],
      ['text_to_speechbarge-in', '301 ms', Math.round((301 / 535) * 100 * 1000) / 1000],
    ]);
    assert.deepEqual(steps(turns[1]), [
      ['Assistant', '158 ms', Math.round((158 / 535) * 100 * 1000) / 1000],
      ['Speech to text', '121 ms', Math.round((121 / 535) * 100 * 1000) / 1000],
    ]);
    // Responses without a time are chips; the speech confidence is a meter.
    assert.deepEqual(
      [...(turns[1]?.querySelectorAll('.turn-responses .chip') ?? [])].map(
        (chip) => chip.textContent,
      ),
      ['disable_speech_barge_in', 'text_to_speech'],
    );
    assert.equal(
      turns[1]?.querySelector('[role="meter"]')?.getAttribute('aria-valuetext'),
      '87% confidence (0.87)',
    );
    // Times from the INVITE (20:54:00.565): the first turn began 0.157 s after it.
    assert.match(
      turns[0]?.querySelector('.turn-head')?.textContent ?? '',
      /start\+0:00\.2Barge-in/,
    );
    assert.match(turns[0]?.querySelector('.turn-ids')?.textContent ?? '', /Log ID 58bebfd1/);
    assert.match(
      timeline.querySelector('.call-maxima')?.textContent ?? '',
      /Assistant 339 ms · Text to speech 535 ms · Speech to text 0 ms/,
    );
  });

  it('no call times: no strip, the turns still listed', () => {
    const body = watsonCdr();
    const payload = body.payload as Record<string, unknown>;
    payload.call = { end_reason: 'caller_hangup' };
    const other = render(body, 'watson', 'cdr_logged');
    assert.equal(other.querySelector('svg.call-strip'), null);
    assert.equal(other.querySelectorAll('li.turn').length, 3);
  });
});
