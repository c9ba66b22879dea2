/**
 * What the demo shows while it runs. On a terminal: a compact block redrawn in place every second
 * (produce rate, lag, time lag against the SLO, task counts, the last decision and its reason). In
 * a log (CI, tests): one plain line every few seconds.
 */
import type { TickRecord } from './controller-loop.js';
import type { TimelinePoint } from './timeline.js';

export type ViewMode = 'live' | 'lines' | 'none';

export interface ViewState {
  elapsedSeconds: number;
  runSeconds: number;
  /** The spike's phase, if any. */
  phase: string;
  sloTimeLagSeconds: number;
  dryRun: boolean;
  point: TimelinePoint | undefined;
  lastTick: TickRecord | undefined;
  /** Seconds into the run of the last tick. */
  lastTickSeconds: number;
  /** Faults in effect or just injected, e.g. "broker 1 down". */
  notes: string[];
}

export interface LiveView {
  update(state: ViewState): void;
  close(): void;
}

const LINE_INTERVAL_SECONDS = 5;

export function createLiveView(mode: ViewMode, out: NodeJS.WriteStream | NodeJS.WritableStream): LiveView {
  if (mode === 'none') return { update: () => undefined, close: () => undefined };
  if (mode === 'lines') {
    let nextLineAt = 0;
    return {
      update: (state) => {
        if (state.elapsedSeconds < nextLineAt) return;
        nextLineAt = state.elapsedSeconds + LINE_INTERVAL_SECONDS;
        out.write(`${statusLine(state)}\n`);
      },
      close: () => undefined,
    };
  }
  let drawnLines = 0;
  return {
    update: (state) => {
      const width = ('columns' in out && out.columns) || 100;
      const lines = statusBlock(state).map((line) => (line.length > width ? `${line.slice(0, width - 1)}…` : line));
      // Back to the block's first line, clear to the end of the screen, draw again.
      out.write(`${drawnLines > 0 ? `\x1b[${drawnLines}F\x1b[J` : ''}${lines.join('\n')}\n`);
      drawnLines = lines.length;
    },
    close: () => out.write('\n'),
  };
}

function statusBlock(state: ViewState): string[] {
  const p = state.point;
  const slo = state.sloTimeLagSeconds;
  const timeLag = p?.timeLagSeconds;
  const meter = timeLag === null || timeLag === undefined ? '' : `  ${bar(timeLag / slo, 20)}${timeLag > slo ? ' over the SLO' : ''}`;
  return [
    `\x1b[1mkafka-lag-scaler demo\x1b[0m  ${clock(state.elapsedSeconds)} of ${clock(state.runSeconds)}${state.phase ? `  · ${state.phase}` : ''}${state.dryRun ? '  · dry run' : ''}`,
    `  produce    ${column(rate(p?.offeredRate))}    capacity  ${rate(p?.capacity)} (${p?.running ?? 0} running workers)`,
    `  lag        ${column(messages(p?.lag))}    time lag  ${seconds(timeLag)} (SLO ${slo} s)${meter}`,
    `  tasks      desired ${p?.desired ?? '–'}   running ${p?.running ?? '–'}   pending ${p?.pending ?? '–'}`,
    `  last tick  ${state.lastTick ? `${clock(state.lastTickSeconds)}  ${decisionText(state.lastTick)}` : 'none yet'}`,
    `             ${state.lastTick ? explanation(state.lastTick) : ''}`,
    ...(state.notes.length > 0 ? [`  faults     ${state.notes.join('; ')}`] : []),
    '  Ctrl-C stops everything and prints the summary.',
  ];
}

function statusLine(state: ViewState): string {
  const p = state.point;
  return [
    `[${clock(state.elapsedSeconds)}]`,
    `produce ${rate(p?.offeredRate)}`,
    `lag ${messages(p?.lag)}`,
    `time lag ${seconds(p?.timeLagSeconds)}`,
    `tasks ${p?.desired ?? '–'} desired/${p?.running ?? '–'} running/${p?.pending ?? '–'} pending`,
    `tick ${state.lastTick ? decisionText(state.lastTick) : '–'}`,
    ...state.notes,
  ].join('  ');
}

/** "scale-up 2 → 7", "within-tolerance (7)", or why the tick failed. */
function decisionText(tick: TickRecord): string {
  const decision = tick.result?.decisions[0];
  if (!decision) return tick.error ? `failed: ${tick.error}` : (tick.result?.skipped ?? 'no decision');
  const counts = decision.desired !== decision.current ? `${decision.current} → ${decision.desired}` : `(${decision.current ?? '–'})`;
  return `${decision.reason} ${counts}${decision.dryRun && decision.desired !== decision.current ? ' not applied: dry run' : ''}`;
}

function explanation(tick: TickRecord): string {
  return tick.result?.decisions[0]?.explanation ?? '';
}

function clock(totalSeconds: number): string {
  const whole = Math.max(0, Math.floor(totalSeconds));
  return `${Math.floor(whole / 60)}:${String(whole % 60).padStart(2, '0')}`;
}

/** Right-aligned in the block's first value column. */
function column(text: string): string {
  return text.padStart(12);
}

function rate(value: number | null | undefined): string {
  return value === null || value === undefined ? '–' : `${Math.round(value)} msgs/s`;
}

function messages(value: number | null | undefined): string {
  return value === null || value === undefined ? '–' : `${value.toLocaleString('en-US')} msgs`;
}

function seconds(value: number | null | undefined): string {
  return value === null || value === undefined ? '–' : `${value.toFixed(1)} s`;
}

function bar(fraction: number, width: number): string {
  const filled = Math.round(Math.min(1, Math.max(0, fraction)) * width);
  return `${'█'.repeat(filled)}${'░'.repeat(width - filled)}`;
}
