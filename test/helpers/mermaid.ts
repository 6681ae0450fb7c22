/**
 * Mermaid's own parser, run in Node. mermaid sanitises labels with DOMPurify, which needs a window: a jsdom one
 * is made before mermaid is loaded. Parsing needs no layout, so nothing is drawn.
 */
import { JSDOM } from 'jsdom';

type Parse = (text: string) => Promise<{ diagramType: string }>;
let parse: Parse | undefined;

async function parser(): Promise<Parse> {
  if (parse) return parse;
  const { window } = new JSDOM('<!doctype html><html><body></body></html>');
  Object.assign(globalThis, { window, document: window.document });
  const mermaid = (await import('mermaid')).default;
  parse = (text) => mermaid.parse(text) as Promise<{ diagramType: string }>;
  return parse;
}

/** The diagram type Mermaid read, or the parse error's message. */
export async function mermaidParse(text: string): Promise<{ type?: string; error?: string }> {
  const run = await parser();
  try {
    return { type: (await run(text)).diagramType };
  } catch (error) {
    return { error: (error as Error).message };
  }
}
