/**
 * Reads a V8 `.cpuprofile` (node --cpu-prof) and tells where the server's time went during the measured
 * window only (V8 stamps samples on the same monotonic clock as process.hrtime): self time per function,
 * time per area (our code by folder, each package, GC, idle), and inclusive time of our own functions.
 */
import { readFileSync } from 'node:fs';

interface CallFrame {
  functionName: string;
  url: string;
  lineNumber: number;
}

interface ProfileNode {
  id: number;
  callFrame: CallFrame;
  children?: number[];
}

interface CpuProfile {
  nodes: ProfileNode[];
  startTime: number;
  samples: number[];
  timeDeltas: number[];
}

export interface HotPath {
  name: string;
  where: string;
  ms: number;
  percent: number;
}

export interface ProfileSummary {
  file: string;
  windowMs: number;
  /** Time the thread ran (all samples but idle), in ms and as a share of the window. */
  busyMs: number;
  busyPercent: number;
  byArea: HotPath[];
  selfTop: HotPath[];
  /** Our own functions (server/dist) by inclusive time: the paths that cost what is under them too. */
  inclusiveOurs: HotPath[];
}

/** Which part of the system a frame belongs to. */
export function areaOf(frame: CallFrame): string {
  const { url, functionName } = frame;
  if (!url) {
    if (functionName === '(idle)') return '(idle)';
    if (functionName === '(garbage collector)') return '(garbage collector)';
    if (functionName === '(program)') return '(program: V8 and native, unattributed)';
    return `(native: ${functionName || 'anonymous'})`;
  }
  const pkg = /node_modules\/((?:@[^/]+\/)?[^/]+)\//.exec(url);
  if (pkg) return pkg[1]!;
  const ours = /\/(server|shared)\/(?:dist|src)\/(?:([^/]+)\/)?/.exec(url);
  if (ours) return `earshot ${ours[1]}/${ours[2] ?? ''}`.replace(/\/$/, '');
  if (url.startsWith('node:')) return `node: ${url.slice(5).split('/').slice(0, 2).join('/')}`;
  return url;
}

function shortWhere(frame: CallFrame): string {
  const file = frame.url.replace(/^.*\/(node_modules\/|server\/|shared\/)/, '$1');
  return file ? `${file}:${frame.lineNumber + 1}` : '';
}

export function summarizeProfile(file: string, fromUs: number, toUs: number, top = 25): ProfileSummary {
  const profile = JSON.parse(readFileSync(file, 'utf8')) as CpuProfile;
  const byId = new Map(profile.nodes.map((n) => [n.id, n]));
  const parent = new Map<number, number>();
  for (const n of profile.nodes) for (const c of n.children ?? []) parent.set(c, n.id);

  // Each sample stands for the time until the next one.
  const weights = new Map<number, number>();
  let t = profile.startTime;
  let windowUs = 0;
  for (let i = 0; i < profile.samples.length; i++) {
    t += profile.timeDeltas[i]!;
    const dt = profile.timeDeltas[i + 1] ?? 0;
    if (t < fromUs || t >= toUs) continue;
    weights.set(profile.samples[i]!, (weights.get(profile.samples[i]!) ?? 0) + dt);
    windowUs += dt;
  }

  const self = new Map<string, { frame: CallFrame; us: number }>();
  const area = new Map<string, number>();
  const inclusive = new Map<string, { frame: CallFrame; us: number }>();
  let idleUs = 0;
  const keyOf = (f: CallFrame) => `${f.functionName}|${f.url}|${f.lineNumber}`;
  for (const [nodeId, us] of weights) {
    const node = byId.get(nodeId)!;
    const f = node.callFrame;
    if (f.functionName === '(idle)') idleUs += us;
    const k = keyOf(f);
    const s = self.get(k) ?? { frame: f, us: 0 };
    s.us += us;
    self.set(k, s);
    const a = areaOf(f);
    area.set(a, (area.get(a) ?? 0) + us);
    // Inclusive: every distinct frame of ours on the stack gets the sample once.
    const seen = new Set<string>();
    for (let id: number | undefined = nodeId; id !== undefined; id = parent.get(id)) {
      const cf = byId.get(id)!.callFrame;
      if (!/\/(server|shared)\/(dist|src)\//.test(cf.url)) continue;
      const ck = keyOf(cf);
      if (seen.has(ck)) continue;
      seen.add(ck);
      const inc = inclusive.get(ck) ?? { frame: cf, us: 0 };
      inc.us += us;
      inclusive.set(ck, inc);
    }
  }
  const busyUs = windowUs - idleUs;
  const pct = (us: number) => Math.round((us / Math.max(1, busyUs)) * 1000) / 10;
  const toPath = ({ frame, us }: { frame: CallFrame; us: number }): HotPath => ({
    name: frame.functionName || '(anonymous)',
    where: shortWhere(frame),
    ms: Math.round(us / 100) / 10,
    percent: pct(us),
  });
  return {
    file,
    windowMs: Math.round(windowUs / 1000),
    busyMs: Math.round(busyUs / 1000),
    busyPercent: Math.round((busyUs / Math.max(1, windowUs)) * 1000) / 10,
    byArea: [...area.entries()]
      .filter(([a]) => a !== '(idle)')
      .sort((a, b) => b[1] - a[1])
      .slice(0, top)
      .map(([a, us]) => ({ name: a, where: '', ms: Math.round(us / 100) / 10, percent: pct(us) })),
    selfTop: [...self.values()]
      .filter((s) => s.frame.functionName !== '(idle)')
      .sort((a, b) => b.us - a.us)
      .slice(0, top)
      .map(toPath),
    inclusiveOurs: [...inclusive.values()]
      .sort((a, b) => b.us - a.us)
      .slice(0, top)
      .map(toPath),
  };
}
