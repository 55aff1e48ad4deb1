import type { WeightTensor } from '../engine/session.js';

/**
 * The imported graph as .cnn text: layers in order (LNode), written as pipelines where a tensor is
 * used once and as named values where it branches or merges; and the repeated parts found and
 * written as blocks. A block is a region of the graph between two tensors every path passes
 * through (a residual unit, an inception module, a fire module), with any activations right
 * after it; regions with the same layers, arguments and wiring, up to numbers that differ, are
 * instances of one block whose differing numbers become its parameters. Consecutive instances
 * with the same arguments are written `block(…) * n`.
 */

type Shape = readonly number[];

export interface LNode {
  /** The layer call as it is written: `conv(64, 3, pad: 1)`, `relu`; for a merge, `add` or `concat`. */
  readonly call: string;
  /** The name of a layer with weights (its `as`), and of a block instance. */
  readonly name?: string;
  readonly merge?: boolean;
  readonly inputs: readonly string[];
  readonly output: string;
  readonly shape: Shape;
}

interface Chain {
  readonly source: string;
  readonly stages: string[];
}

const quoted = (n: string) => (/^[A-Za-z_]\w*$/.test(n) ? n : `"${n}"`);

/**
 * Statements computing `output` from `input` (written `inputName`): a chain of single-use tensors
 * is one pipeline; a tensor used twice, or merged, is named first. `last` leads the final
 * statement (`return ` in a block, nothing in a model); shape comments where `comments`.
 */
export function emitBody(nodes: readonly LNode[], input: string, inputName: string, output: string, opts: { last?: string; comments?: boolean; indent?: string } = {}): string[] {
  const uses = new Map<string, number>([[output, 1]]);
  for (const n of nodes) for (const i of n.inputs) uses.set(i, (uses.get(i) ?? 0) + 1);
  const chains = new Map<string, Chain>([[input, { source: inputName, stages: [] }]]);
  const lines: string[] = [];
  const indent = opts.indent ?? '  ';
  let values = 0;
  const comment = (n: LNode) => (opts.comments === false ? '' : `  # ${n.shape.join('×')}`);
  const write = (lead: string, c: Chain) => {
    lines.push(`${indent}${lead}${c.source}`, ...c.stages.map((s) => `${indent}${' '.repeat(lead.length)}  -> ${s}`));
  };
  const simple = (c: Chain) => c.stages.length === 0 && /^[A-Za-z_]\w*$/.test(c.source);
  const name = (t: string): string => {
    const c = chains.get(t)!;
    if (simple(c)) return c.source;
    const v = `x${++values}`;
    write(`${v} = `, c);
    chains.set(t, { source: v, stages: [] });
    return v;
  };
  const take = (t: string): Chain => {
    const c = chains.get(t);
    if (!c) throw new Error(`internal: import: ${t} is used before it is computed`);
    return (uses.get(t) ?? 0) > 1 && !simple(c) ? { source: name(t), stages: [] } : c;
  };
  for (const n of nodes) {
    if (n.merge) {
      const parts = n.inputs.map(name);
      chains.set(n.output, { source: `(${parts.join(', ')}) -> ${n.call}${comment(n)}`, stages: [] });
      continue;
    }
    const c = take(n.inputs[0]);
    chains.set(n.output, { source: c.source, stages: [...c.stages, `${n.call}${n.name ? ` as ${quoted(n.name)}` : ''}${comment(n)}`] });
  }
  const last = chains.get(output);
  if (!last) throw new Error(`internal: import: the output ${output} is never computed`);
  write(opts.last ?? '', last);
  return lines;
}

const ACTIVATIONS = new Set(['relu', 'relu6', 'sigmoid', 'tanh', 'hardswish', 'leaky_relu', 'elu']);
const fnOf = (call: string) => /^\w+/.exec(call)![0];

/** `conv(64, 3, stride: 2)` → ['64', '3', 'stride: 2'] (commas outside parentheses). */
function argsOf(call: string): string[] {
  const open = call.indexOf('(');
  if (open < 0) return [];
  const inner = call.slice(open + 1, call.lastIndexOf(')'));
  const out: string[] = [];
  let depth = 0;
  let start = 0;
  for (let i = 0; i < inner.length; i++) {
    if (inner[i] === '(') depth++;
    else if (inner[i] === ')') depth--;
    else if (inner[i] === ',' && depth === 0) {
      out.push(inner.slice(start, i).trim());
      start = i + 1;
    }
  }
  if (inner.trim()) out.push(inner.slice(start).trim());
  return out;
}

interface Region {
  readonly nodes: LNode[];
  readonly input: string;
  readonly output: string;
}

/**
 * Blocks for the regions that repeat, and the model body with each instance as one call. The
 * weights of layers inside instances are renamed `<instance>.<layer>` as the new file names them.
 */
export function findBlocks(nodes: readonly LNode[], weights: Record<string, WeightTensor>): { blocks: string[][]; body: LNode[] } {
  const regions = regionsOf(nodes);
  const groups = new Map<string, Region[]>();
  for (const r of regions) {
    if (!r.nodes.some((n) => n.merge)) continue;
    const key = signature(r);
    groups.set(key, [...(groups.get(key) ?? []), r]);
  }
  const blocks: string[][] = [];
  const instances = new Map<Region, { block: string; args: string[]; prefix?: string; locals: string[] }>();
  const blockNames = new Set<string>();
  for (const [, members] of groups) {
    if (members.length < 2) continue;
    const template = members[0];
    const base = template.nodes.some((n) => n.call === 'add') ? 'residual' : template.nodes.some((n) => n.call === 'concat') ? 'branches' : 'unit';
    let blockName = base;
    for (let k = 2; blockNames.has(blockName); k++) blockName = `${base}${k}`;
    blockNames.add(blockName);
    // Arguments: equal in every instance stay as written; the others become parameters.
    const perNode = members.map((m) => m.nodes.map((n) => argsOf(n.call)));
    const params: { name: string; values: string[] }[] = [];
    const calls = template.nodes.map((n, i) => {
      const args = perNode[0][i].map((a, j) => {
        const all = perNode.map((p) => p[i][j]);
        if (all.every((v) => v === a)) return a;
        const [key, value] = a.includes(':') ? [a.slice(0, a.indexOf(':')), (v: string) => v.slice(v.indexOf(':') + 1).trim()] : [undefined, (v: string) => v];
        const values = all.map(value);
        let p = params.find((q) => q.values.join() === values.join());
        if (!p) {
          const stem = key ?? (j === 0 && /^(conv|dense)$/.test(fnOf(n.call)) ? 'c' : 'n');
          let nm = stem;
          for (let k = 2; params.some((q) => q.name === nm); k++) nm = `${stem}${k}`;
          p = { name: nm, values };
          params.push(p);
        }
        return key ? `${key}: ${p.name}` : p.name;
      });
      return args.length ? `${fnOf(n.call)}(${args.join(', ')})` : n.call;
    });
    // Layer names inside the block: the instances' own where they agree (layer1.0.conv1 → conv1), else kind + counter.
    const locals = localNames(members);
    const body = template.nodes.map((n, i) => ({ ...n, call: calls[i], name: n.name ? locals.names[i] : undefined }));
    blocks.push([
      `# ${members.length} instances in the imported graph.`,
      `block ${blockName}(${params.map((p) => p.name).join(', ')})(x) {`,
      ...emitBody(body, template.input, 'x', template.output, { last: 'return ', comments: false }),
      '}',
    ]);
    members.forEach((m, k) => instances.set(m, { block: blockName, args: params.map((p) => p.values[k]), prefix: locals.prefixes[k], locals: locals.names }));
  }
  // The body: each instance one call; consecutive calls with the same arguments one `* n` stage.
  const body: LNode[] = [];
  const counts = new Map<string, number>();
  const fresh = (block: string) => {
    const k = (counts.get(block) ?? 0) + 1;
    counts.set(block, k);
    return `${block}_${k}`;
  };
  const rename = (r: Region, prefix: string) => {
    const inst = instances.get(r)!;
    r.nodes.forEach((n, i) => {
      if (!n.name) return;
      for (const key of Object.keys(weights)) {
        const suffix = key.slice(n.name.length + 1);
        if (!key.startsWith(`${n.name}.`) || suffix.includes('.')) continue;
        const to = `${prefix}.${inst.locals[i]}.${suffix}`;
        const w = weights[key];
        delete weights[key];
        weights[to] = w;
      }
    });
  };
  for (let i = 0; i < regions.length; ) {
    const r = regions[i];
    const inst = instances.get(r);
    if (!inst) {
      body.push(...r.nodes);
      i++;
      continue;
    }
    const run = [r];
    while (i + run.length < regions.length) {
      const next = instances.get(regions[i + run.length]);
      if (!next || next.block !== inst.block || next.args.join() !== inst.args.join()) break;
      run.push(regions[i + run.length]);
    }
    const call = `${inst.block}${inst.args.length ? `(${inst.args.join(', ')})` : ''}`;
    // Instances named by the exporter keep their names: a run is one `* n` stage only when they
    // are P.0 … P.(n−1), which is what `* n as P` names them.
    const own = run.map((x) => instances.get(x)!.prefix);
    const common = own[0]?.replace(/\.0$/, '');
    const indexed = own[0]?.endsWith('.0') && own.every((p, k) => p === `${common}.${k}`);
    if (own.every(Boolean) && !indexed && run.length > 1) run.length = 1;
    const last = run[run.length - 1];
    if (run.length === 1) {
      const prefix = inst.prefix ?? fresh(inst.block);
      rename(r, prefix);
      body.push({ call, name: prefix, inputs: [r.input], output: r.output, shape: r.nodes[r.nodes.length - 1].shape });
    } else {
      const alias = indexed ? common! : fresh(inst.block);
      run.forEach((x, k) => rename(x, `${alias}.${k}`));
      body.push({ call: `${call} * ${run.length}`, name: alias, inputs: [r.input], output: last.output, shape: last.nodes[last.nodes.length - 1].shape });
    }
    i += run.length;
  }
  return { blocks, body };
}

/** Regions between tensors every path passes through, each with the activations right after it. */
function regionsOf(nodes: readonly LNode[]): Region[] {
  const lastUse = new Map<string, number>();
  nodes.forEach((n, i) => n.inputs.forEach((t) => lastUse.set(t, Math.max(lastUse.get(t) ?? -1, i))));
  const regions: Region[] = [];
  let start = 0;
  let input = nodes[0]?.inputs[0];
  // The latest use of anything made before node k (the input included): node k's output is a cut
  // (every path passes through it) when nothing made before it is read after it.
  let live = lastUse.get(input!) ?? -1;
  for (let k = 0; k < nodes.length; k++) {
    if (live <= k) {
      regions.push({ nodes: nodes.slice(start, k + 1), input: input!, output: nodes[k].output });
      input = nodes[k].output;
      start = k + 1;
    }
    live = Math.max(live, lastUse.get(nodes[k].output) ?? -1);
  }
  if (start < nodes.length) regions.push({ nodes: nodes.slice(start), input: input!, output: nodes[nodes.length - 1].output });
  // Fold an activation right after a region with a merge into it (a residual unit ends with its relu).
  const out: Region[] = [];
  for (const r of regions) {
    const prev = out[out.length - 1];
    if (prev && prev.nodes.some((n) => n.merge) && r.nodes.length === 1 && ACTIVATIONS.has(fnOf(r.nodes[0].call)) && !r.nodes[0].name) {
      out[out.length - 1] = { nodes: [...prev.nodes, ...r.nodes], input: prev.input, output: r.output };
    } else out.push(r);
  }
  // Where the layers keep module names, the layers just before a region that carry its prefix
  // belong to it too (features.3.squeeze before the expand branches of features.3).
  for (let i = out.length - 1; i > 0; i--) {
    const r = out[i];
    if (!r.nodes.some((n) => n.merge)) continue;
    const prefix = commonPrefix(r.nodes.flatMap((n) => (n.name ? [n.name] : [])));
    if (!prefix) continue;
    let j = i;
    let take = i;
    while (j > 0 && out[j - 1].nodes.length === 1 && !out[j - 1].nodes[0].merge) {
      const n = out[j - 1].nodes[0];
      if (n.name?.startsWith(`${prefix}.`)) take = j - 1;
      else if (n.name || !ACTIVATIONS.has(fnOf(n.call))) break;
      j--;
    }
    if (take < i) out.splice(take, i - take + 1, { nodes: out.slice(take, i + 1).flatMap((x) => x.nodes), input: out[take].input, output: r.output });
  }
  return out;
}

/** The longest dotted prefix shared by names (`layer1.0` of layer1.0.conv1 and layer1.0.bn1), or undefined. */
function commonPrefix(names: readonly string[]): string | undefined {
  if (names.length === 0) return undefined;
  let prefix = names[0].includes('.') ? names[0].slice(0, names[0].lastIndexOf('.')) : '';
  for (const n of names) while (prefix && !n.startsWith(`${prefix}.`)) prefix = prefix.includes('.') ? prefix.slice(0, prefix.lastIndexOf('.')) : '';
  return prefix || undefined;
}

/** A region's layers, argument names and wiring, without the numbers that may differ. */
function signature(r: Region): string {
  const index = new Map<string, number>([[r.input, -1]]);
  r.nodes.forEach((n, i) => index.set(n.output, i));
  return JSON.stringify(r.nodes.map((n) => [fnOf(n.call), argsOf(n.call).map((a) => (a.includes(':') ? a.slice(0, a.indexOf(':')) : '#')), n.inputs.map((t) => index.get(t) ?? 'outside'), Boolean(n.name)]));
}

/** Names for the weighted layers of a block: the instances' own local names where they agree. */
function localNames(members: readonly Region[]): { names: string[]; prefixes: (string | undefined)[] } {
  const weighted = members[0].nodes.map((n, i) => (n.name ? i : -1)).filter((i) => i >= 0);
  const split = members.map((m) => {
    const names = weighted.map((i) => m.nodes[i].name!);
    // The longest dotted prefix all of them share, ending at a dot.
    let prefix = names[0] ?? '';
    for (const n of names) while (prefix && !n.startsWith(`${prefix}.`)) prefix = prefix.includes('.') ? prefix.slice(0, prefix.lastIndexOf('.')) : '';
    return { prefix: prefix || undefined, locals: names.map((n) => (prefix ? n.slice(prefix.length + 1) : n)) };
  });
  const agree = split.every((s) => s.prefix && s.locals.join() === split[0].locals.join());
  const counters = new Map<string, number>();
  const names = members[0].nodes.map((n, i) => {
    if (!n.name) return '';
    if (agree) return split[0].locals[weighted.indexOf(i)];
    const kind = fnOf(n.call) === 'batchnorm' ? 'bn' : fnOf(n.call) === 'dense' ? 'fc' : fnOf(n.call);
    const k = (counters.get(kind) ?? 0) + 1;
    counters.set(kind, k);
    return `${kind}${k}`;
  });
  return { names, prefixes: agree ? split.map((s) => s.prefix) : members.map(() => undefined) };
}
