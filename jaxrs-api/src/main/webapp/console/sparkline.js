// A tiny SVG line chart of the last values of a series; no library needed for this.
const SVG = 'http://www.w3.org/2000/svg';

/** An SVG element showing values (oldest first) as a line scaled to their maximum; label names it for readers. */
export function sparkline(values, label, width = 160, height = 36) {
  const svg = document.createElementNS(SVG, 'svg');
  svg.setAttribute('width', width);
  svg.setAttribute('height', height);
  svg.setAttribute('viewBox', `0 0 ${width} ${height}`);
  svg.setAttribute('role', 'img');
  svg.setAttribute('aria-label', label);
  const max = Math.max(1, ...values);
  const step = values.length > 1 ? width / (values.length - 1) : width;
  const points = values.map((v, i) => `${(i * step).toFixed(1)},${(height - 2 - (v / max) * (height - 4)).toFixed(1)}`);
  const line = document.createElementNS(SVG, 'polyline');
  line.setAttribute('points', points.join(' '));
  line.setAttribute('class', 'spark');
  svg.append(line);
  return svg;
}
