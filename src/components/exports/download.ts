/** Saves text or a blob as a file the user downloads; nothing leaves the device. */
export function downloadBlob(name: string, blob: Blob): void {
  const url = URL.createObjectURL(blob);
  const a = document.createElement('a');
  a.href = url;
  a.download = name;
  document.body.append(a);
  a.click();
  a.remove();
  setTimeout(() => URL.revokeObjectURL(url), 1000);
}

export function downloadText(name: string, text: string, type: string): void {
  downloadBlob(name, new Blob([text], { type }));
}

export function svgDataUrl(svg: string): string {
  return `data:image/svg+xml;charset=utf-8,${encodeURIComponent(svg)}`;
}

/** PNG of an SVG chart at `scale` (2x unless asked): drawn onto a canvas from a data: URL image (same origin, so the canvas stays readable). */
export async function svgToPng(svg: string, width: number, height: number, scale = 2): Promise<Blob> {
  const img = new Image();
  img.src = svgDataUrl(svg);
  await img.decode();
  const canvas = document.createElement('canvas');
  canvas.width = width * scale;
  canvas.height = height * scale;
  const ctx = canvas.getContext('2d');
  if (!ctx) throw new Error('This browser cannot draw on a canvas, so PNG export is unavailable; use SVG.');
  // An opaque background: a transparent PNG shows black text on black in many viewers.
  ctx.fillStyle = '#ffffff';
  ctx.fillRect(0, 0, canvas.width, canvas.height);
  ctx.scale(scale, scale);
  ctx.drawImage(img, 0, 0, width, height);
  return new Promise((resolve, reject) => canvas.toBlob((b) => (b ? resolve(b) : reject(new Error('PNG encoding failed.'))), 'image/png'));
}

/** File-name friendly form of a title. */
export function slug(s: string): string {
  return (
    s
      .replace(/[^\w.-]+/g, '-')
      .replace(/^-+|-+$/g, '')
      .slice(0, 60) || 'chart'
  );
}

/**
 * A drawn Plot chart as a standalone SVG file: the largest <svg> of the figure (the plot, not a legend
 * swatch), with its namespace and pixel size, and Plot's own <style> element inside it.
 */
export function chartSvg(host: Element): { svg: string; width: number; height: number } | null {
  const svgs = [...host.querySelectorAll('svg')];
  const area = (s: SVGSVGElement) => s.getBoundingClientRect().width * s.getBoundingClientRect().height;
  const plot = svgs.sort((a, b) => area(b) - area(a))[0];
  if (!plot) return null;
  const { width, height } = plot.getBoundingClientRect();
  const copy = plot.cloneNode(true) as SVGSVGElement;
  copy.setAttribute('xmlns', 'http://www.w3.org/2000/svg');
  copy.setAttribute('width', String(Math.round(width)));
  copy.setAttribute('height', String(Math.round(height)));
  // Text drawn in currentColor keeps the page's colour outside the page.
  copy.setAttribute('color', getComputedStyle(plot).color);
  return { svg: new XMLSerializer().serializeToString(copy), width: Math.round(width), height: Math.round(height) };
}
