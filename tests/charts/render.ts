import * as Plot from '@observablehq/plot';
import { JSDOM } from 'jsdom';

const { window } = new JSDOM('<!DOCTYPE html><html><body></body></html>');

// Plot paints a continuous colour legend on a canvas, which jsdom lacks: this stand-in keeps the colours
// it was given and returns them as the image's URL, so the ramp's colours are part of the snapshot.
const painted = new WeakMap<object, string[]>();
Object.assign(window.HTMLCanvasElement.prototype, {
  getContext(this: object) {
    const fills: string[] = [];
    painted.set(this, fills);
    return {
      set fillStyle(colour: string) {
        fills.push(colour);
      },
      fillRect() {},
    };
  },
  toDataURL(this: object) {
    return `data:text/plain,${(painted.get(this) ?? []).join(';')}`;
  },
});

/** Draws a builder's options with Plot in Node, on jsdom's document. */
export function render(options: Plot.PlotOptions): (SVGSVGElement | HTMLElement) & Plot.Plot {
  return Plot.plot({ ...options, document: window.document });
}

/**
 * The drawing as text for a snapshot: one tag per line so a diff points at the mark that moved, and
 * the ids of Plot's process-wide clip-path and marker counters replaced, so a test's output does not depend on what ran before.
 */
export function serialize(element: Element): string {
  return `${element.outerHTML.replace(/plot-(clip|marker)-\d+/g, 'plot-$1').replace(/></g, '>\n<')}\n`;
}

/** The marks' group of a drawing by its aria-label, e.g. "rect" or "cell". */
export function marks(element: Element, ariaLabel: string): Element[] {
  return [...element.querySelectorAll(`g[aria-label="${ariaLabel}"]`)];
}

export const num = (el: Element, attr: string) => Number(el.getAttribute(attr));

/** A drawn chart's scale domain as an array (Plot types it as an iterable, possibly missing). */
export function domainOf(chart: Plot.Plot, scale: Plot.ScaleName): unknown[] {
  return [...(chart.scale(scale)?.domain ?? [])];
}
