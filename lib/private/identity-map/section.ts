import type { MapContext } from './context';

export const cmp = (a: string, b: string) => (a < b ? -1 : a > b ? 1 : 0);

/** Sorts rows by a key (stable for equal keys): the map is the same bytes for the same input. */
export function sortBy<T>(rows: T[], key: (row: T) => string): T[] {
  return rows.map(r => [key(r), r] as const).sort(([a], [b]) => cmp(a, b)).map(([, r]) => r);
}

/** Mermaid's defaults (`maxEdges`, `maxTextSize`): a bigger flowchart is not drawn, on GitHub either. */
export const MERMAID_MAX_EDGES = 500;
export const MERMAID_MAX_TEXT = 50_000;

/**
 * The Mermaid flowchart the sections draw into: one node per key, edges once. Past Mermaid's
 * limits it stops taking nodes and edges (`overflow`; sections stop drawing) and renders a note.
 */
export class Diagram {
  public readonly lines: string[] = [];
  /** more than Mermaid draws: the sections stop drawing */
  public overflow = false;
  private size = 0;
  private readonly ids = new Map<string, string>();
  private readonly edges = new Set<string>();
  private readonly tags = new Map<string, string[]>();

  /** The node of `key` (drawn on first use); `tag` lets other sections find it (`tagged`). */
  public node(key: string, label: string, prefix: string, tag?: string): string {
    let id = this.ids.get(key);
    if (!id) {
      id = `${prefix}${this.ids.size}`;
      this.ids.set(key, id);
      this.lines.push(this.counted(`  ${id}[${quote(label)}]`));
      if (tag !== undefined) {
        const list = this.tags.get(tag);
        if (list) list.push(id);
        else this.tags.set(tag, [id]);
      }
    }
    return id;
  }

  /** The ids of the nodes drawn so far with this tag. */
  public tagged(tag: string): string[] {
    return this.tags.get(tag) ?? [];
  }

  public edge(from: string, to: string, label?: string): void {
    const line = label ? `  ${from} -- ${label} --> ${to}` : `  ${from} --> ${to}`;
    if (this.edges.has(line)) return;
    if (this.edges.size >= MERMAID_MAX_EDGES) this.overflow = true;
    else this.edges.add(this.counted(line));
  }

  public render(): string[] {
    if (this.overflow) {
      return [`The diagram is left out: it would have more than ${MERMAID_MAX_EDGES} edges or ${MERMAID_MAX_TEXT} characters, `
        + 'more than Mermaid draws. The tables below list everything.'];
    }
    return ['```mermaid', 'flowchart LR', ...this.lines, ...this.edges, '```'];
  }

  private counted(line: string): string {
    this.size += line.length + 1;
    if (this.size > MERMAID_MAX_TEXT) this.overflow = true;
    return line;
  }
}

const quote = (s: string) => `"${s.replace(/"/g, '#quot;')}"`;

/** A Markdown table cell. */
export const cell = (s: string) => (s.includes('|') || s.includes('\n') ? s.replace(/\|/g, '\\|').replace(/\n/g, ' ') : s);

/**
 * One section of the identity map: its key in the JSON, its rows (sorted), its Markdown table
 * and what it draws. A new section is a file exporting one of these, listed in `sections.ts`.
 */
export interface MapSection<Row> {
  readonly key: string;
  readonly title: string;
  readonly columns: ReadonlyArray<readonly [string, (row: Row) => string]>;
  build(ctx: MapContext): Row[];
  draw?(rows: Row[], d: Diagram): void;
}

/** The section's table (`None.` when it has no rows). */
export function renderTable<Row>(section: MapSection<Row>, rows: Row[]): string[] {
  const lines = [`## ${section.title}`, ''];
  if (rows.length === 0) return [...lines, 'None.', ''];
  lines.push(`| ${section.columns.map(([h]) => h).join(' | ')} |`, `|${section.columns.map(() => '---').join('|')}|`);
  for (const row of rows) lines.push(`| ${section.columns.map(([, f]) => cell(f(row))).join(' | ')} |`);
  return [...lines, ''];
}
