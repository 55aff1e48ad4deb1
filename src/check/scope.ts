import type { Span } from '../diagnostics/source.js';

/**
 * Names layers the way PyTorch names modules: a dotted path through block instances, with a
 * per-scope counter per kind (conv1, conv2, bn1) unless the source names it (`as conv1`).
 */
export class NameScope {
  private readonly counters = new Map<string, number>();
  private readonly taken = new Map<string, Span | undefined>();

  constructor(
    readonly path: readonly string[],
    /** The block each level of `path` instantiates (`basic`, `bottleneck`). */
    readonly blocks: readonly string[] = [],
  ) {}

  /** A fresh name for a layer or block instance of this kind in this scope. */
  fresh(prefix: string): string {
    let n = this.counters.get(prefix) ?? 0;
    let name: string;
    do {
      n++;
      name = `${prefix}${n}`;
    } while (this.taken.has(name));
    this.counters.set(prefix, n);
    this.taken.set(name, undefined);
    return name;
  }

  /** Claims an explicit name; when it is already used, returns where (or true if generated). */
  claim(name: string, span?: Span): { readonly first?: Span } | undefined {
    if (this.taken.has(name)) return { first: this.taken.get(name) };
    this.taken.set(name, span);
    return undefined;
  }

  child(name: string, block: string): NameScope {
    return new NameScope([...this.path, name], [...this.blocks, block]);
  }

  qualified(name: string): string {
    return [...this.path, name].join('.');
  }
}
