import { expect, test } from 'vitest';
import { ExclusiveGate } from '../../testing/exclusive-gate';

/** A task that records when it starts and ends, and ends when told to. */
function task(name: string, events: string[]) {
  let finish!: () => void;
  const done = new Promise<void>((resolve) => (finish = resolve));
  return {
    run: async () => {
      events.push(`${name} start`);
      await done;
      events.push(`${name} end`);
    },
    finish: () => finish(),
  };
}

const settle = () => new Promise((resolve) => setImmediate(resolve));

test('shared tasks run together', async () => {
  const gate = new ExclusiveGate();
  const events: string[] = [];
  const [a, b] = [task('a', events), task('b', events)];
  const runs = [gate.shared(a.run), gate.shared(b.run)];
  await settle();
  expect(events).toEqual(['a start', 'b start']);
  b.finish();
  a.finish();
  await Promise.all(runs);
  expect(events).toEqual(['a start', 'b start', 'b end', 'a end']);
});

test('an exclusive task waits for the running ones and holds back the ones that asked after it', async () => {
  const gate = new ExclusiveGate();
  const events: string[] = [];
  const [a, alone, b, c] = ['a', 'alone', 'b', 'c'].map((name) => task(name, events)) as [
    ReturnType<typeof task>,
    ReturnType<typeof task>,
    ReturnType<typeof task>,
    ReturnType<typeof task>,
  ];
  const runs = [gate.shared(a.run), gate.exclusive(alone.run), gate.shared(b.run), gate.shared(c.run)];
  await settle();
  expect(events).toEqual(['a start']);
  a.finish();
  await settle();
  expect(events).toEqual(['a start', 'a end', 'alone start']);
  alone.finish();
  await settle();
  expect(events).toEqual(['a start', 'a end', 'alone start', 'alone end', 'b start', 'c start']);
  b.finish();
  c.finish();
  await Promise.all(runs);
});

test('a failing task leaves the gate open', async () => {
  const gate = new ExclusiveGate();
  await expect(gate.exclusive(() => Promise.reject(new Error('broken')))).rejects.toThrow('broken');
  await expect(gate.exclusive(() => Promise.resolve('next'))).resolves.toBe('next');
  await expect(gate.shared(() => Promise.resolve('shared'))).resolves.toBe('shared');
});
