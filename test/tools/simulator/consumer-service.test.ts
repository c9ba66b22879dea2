import { describe, expect, it } from 'vitest';
import { ConsumerService, DEFAULT_SERVICE_MODEL, groupCapacity } from '../../../tools/simulator/consumer-service.js';

const model = DEFAULT_SERVICE_MODEL;

describe('group capacity: 100 msgs/s per task, paced by the consumer holding the most of 48 partitions', () => {
  it.each([
    [1, 100],
    [2, 200],
    [16, 1600], // busiest consumer holds 3 partitions
    [17, 1600], // ... and still 3 with 17 to 23 tasks: no gain
    [23, 1600],
    [24, 2400], // 2 each
    [47, 2400], // one consumer still holds 2
    [48, 4800], // 1 each
    [60, 4800], // consumers beyond the partition count sit idle
  ])('%i tasks consume %i msgs/s', (tasks, capacity) => {
    expect(groupCapacity(model, tasks)).toBe(capacity);
  });

  it('never decreases as tasks are added', () => {
    for (let n = 1; n < 60; n++) expect(groupCapacity(model, n + 1)).toBeGreaterThanOrEqual(groupCapacity(model, n));
  });

  it('is 0 with no consumers', () => {
    expect(groupCapacity(model, 0)).toBe(0);
  });
});

describe('the ECS service', () => {
  it('bills a requested task at once but lets it consume only 60 s later', () => {
    const service = new ConsumerService(model, 1);
    service.setDesired(3, 0);
    expect(service.desiredTasks).toBe(3);
    expect(service.runningTasks).toBe(1);
    service.startDueTasks(59);
    expect(service.runningTasks).toBe(1);
    service.startDueTasks(60);
    expect(service.runningTasks).toBe(3);
  });

  it('pauses the whole group for 10 s whenever the running count changes', () => {
    const service = new ConsumerService(model, 1);
    expect(service.capacityAt(0)).toBe(100);
    service.setDesired(2, 0);
    service.startDueTasks(60);
    expect(service.capacityAt(60)).toBe(0);
    expect(service.capacityAt(69)).toBe(0);
    expect(service.capacityAt(70)).toBe(200);
  });

  it('restarts the pause when the count changes again during one', () => {
    const service = new ConsumerService(model, 4);
    service.setDesired(3, 100);
    service.setDesired(2, 105);
    expect(service.capacityAt(114)).toBe(0);
    expect(service.capacityAt(115)).toBe(200);
  });

  it('stops removed tasks at once, pending ones first, without a pause if none was running', () => {
    const service = new ConsumerService(model, 2);
    service.setDesired(6, 0); // 4 pending
    service.setDesired(3, 30); // cancels 3 pending
    expect([service.runningTasks, service.pendingTasks]).toEqual([2, 1]);
    expect(service.capacityAt(30)).toBe(200);

    service.setDesired(1, 40); // cancels the last pending, stops one running
    expect([service.runningTasks, service.pendingTasks]).toEqual([1, 0]);
    expect(service.capacityAt(40)).toBe(0);
    expect(service.capacityAt(50)).toBe(100);
  });

  it('keeps the desired count within 1..48 and whole', () => {
    const service = new ConsumerService(model, 5);
    expect(service.setDesired(0, 0)).toBe(1);
    expect(service.setDesired(100, 0)).toBe(48);
    expect(service.setDesired(2.4, 0)).toBe(2);
  });
});
