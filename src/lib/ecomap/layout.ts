import { sectors, type Sector, type Tie } from '../meeting/vocabulary.js';

/*
 * The ecomap's layout, one for the room's SVG (ServiceMap.svelte) and the PDF export
 * (server/exports/pdf-map.ts): the client in the middle, the sectors as labelled areas in a column on
 * each side, every service a box in its sector with a line to the client whose style says the tie.
 * Lines end on the side of a box that faces the client, so no line runs under another service's box.
 * Pure: the renderer measures its own text (canvas, PDFKit) and gives the sizes.
 */

/** Care and everyday life on the left, work, money and learning on the right. */
export const leftSectors: readonly Sector[] = ['health', 'social', 'third_sector', 'other'];
export const rightSectors: readonly Sector[] = ['employment', 'kela', 'education'];

/** Each sector's area colour; never the only sign of the sector (every area has its name). */
export const areaFills: Record<Sector, string> = {
	health: '#eff6ff',
	social: '#fdf4ff',
	employment: '#f0fdf4',
	kela: '#fefce8',
	education: '#fff7ed',
	third_sector: '#f0fdfa',
	other: '#f5f5f4'
};

/**
 * How each tie is drawn, in screen pixels (the PDF scales them by `pdfLineScale`): strong thick,
 * moderate plain, tenuous dashed, stressful a zig-zag, so the tie never depends on colour.
 */
export const tieStyles: Record<Tie, { width: number; dash?: readonly [number, number]; zigzag?: boolean }> = {
	strong: { width: 6 },
	moderate: { width: 2.5 },
	tenuous: { width: 2, dash: [7, 6] },
	stressful: { width: 2, zigzag: true }
};

/** The PDF's lines are thinner than the screen's: 6 px → 3.5 pt, rounded to a tenth. */
export const pdfLineWidth = (tie: Tie): number => Math.round(tieStyles[tie].width * (3.5 / 6) * 10) / 10;

/** The corners of a zig-zag from (x1,y1) to (x2,y2): the ecomap's sign of a stressful tie. */
export function zigzagPoints(x1: number, y1: number, x2: number, y2: number, step: number, amplitude: number): [number, number][] {
	const length = Math.hypot(x2 - x1, y2 - y1);
	const count = Math.max(2, Math.round(length / step));
	const nx = length === 0 ? 0 : -(y2 - y1) / length;
	const ny = length === 0 ? 0 : (x2 - x1) / length;
	const points: [number, number][] = [[x1, y1]];
	for (let i = 1; i < count; i++) {
		const t = i / count;
		const side = i % 2 === 0 ? -1 : 1;
		points.push([x1 + (x2 - x1) * t + nx * amplitude * side, y1 + (y2 - y1) * t + ny * amplitude * side]);
	}
	points.push([x2, y2]);
	return points;
}

/** What the layout needs to know of a service. */
export interface MapService {
	sector: string;
}

/**
 * The renderer's sizes. `header` is what a sector area holds above its first box (its label as the
 * renderer draws it, and that height); `box` a service's content and height at a box width.
 */
export interface MapMeasures<S extends MapService, Label, Content> {
	header(sector: Sector, areaWidth: number): { label: Label; height: number };
	box(service: S, boxWidth: number): { content: Content; height: number };
	/** Indent of the boxes inside their area. */
	inner: number;
	/** Space below each box. */
	boxGap: number;
	/** Extra height of an area without services (for its "none" note). */
	emptyHeight: number;
	/** Space between an area's last box and its bottom edge. */
	areaBottom: number;
	/** Space between two areas. */
	areaGap: number;
}

export interface MapArea<Label> {
	sector: Sector;
	x: number;
	y: number;
	w: number;
	h: number;
	label: Label;
	empty: boolean;
}

export interface MapNode<S, Content> {
	service: S;
	x: number;
	y: number;
	w: number;
	h: number;
	/** The side of the box that faces the client: its tie line ends there. */
	facing: 'left' | 'right';
	content: Content;
}

export interface TieLine<S, Content> {
	node: MapNode<S, Content>;
	x1: number;
	y1: number;
	x2: number;
	y2: number;
}

export interface MapLayout<S, Label, Content> {
	areas: MapArea<Label>[];
	nodes: MapNode<S, Content>[];
	/** From the client (its circle's edge or the trunk) to the facing side of each box. */
	lines: TieLine<S, Content>[];
	height: number;
	client: { x: number; y: number; r: number };
	/** Narrow layout: the thin vertical line below the client that the tie lines leave from. */
	trunk: { x: number; y1: number; y2: number } | null;
	columnWidth: number;
}

/** Stacks the areas of `column` from `top` at `x`; services keep their order within a sector. */
function placeColumn<S extends MapService, Label, Content>(
	services: readonly S[],
	column: readonly Sector[],
	at: { x: number; top: number; width: number; facing: 'left' | 'right' },
	measures: MapMeasures<S, Label, Content>,
	areas: MapArea<Label>[],
	nodes: MapNode<S, Content>[]
): number {
	const boxWidth = at.width - measures.inner * 2;
	let y = at.top;
	for (const sector of column) {
		const areaTop = y;
		const header = measures.header(sector, at.width);
		y += header.height;
		const members = services.filter((s) => s.sector === sector);
		for (const service of members) {
			const box = measures.box(service, boxWidth);
			nodes.push({ service, x: at.x + measures.inner, y, w: boxWidth, h: box.height, facing: at.facing, content: box.content });
			y += box.height + measures.boxGap;
		}
		if (members.length === 0) y += measures.emptyHeight;
		y += measures.areaBottom;
		areas.push({ sector, x: at.x, y: areaTop, w: at.width, h: y - areaTop, label: header.label, empty: members.length === 0 });
		y += measures.areaGap;
	}
	return y;
}

/** The map's width, the client's gutter and circle (`radius`), the margin around the map (`pad`). */
export interface MapFrame {
	width: number;
	gutter: number;
	pad: number;
	radius: number;
	/** Wide: the least space above and below the circle; narrow: the space between it and the first area. */
	clientMargin: number;
}

/**
 * Wide: the client in a middle `gutter`, the left sectors in a column at the left edge and the right
 * ones at the right (each `pad` from the edge), a straight line from the client's circle (`radius`)
 * to each box. The map is at least `radius * 2 + clientMargin` tall.
 */
export function wideLayout<S extends MapService, Label, Content>(
	services: readonly S[],
	options: MapFrame,
	measures: MapMeasures<S, Label, Content>
): MapLayout<S, Label, Content> {
	const { width, gutter, pad, radius: r } = options;
	const columnWidth = (width - gutter - pad * 2) / 2;
	const areas: MapArea<Label>[] = [];
	const nodes: MapNode<S, Content>[] = [];
	const leftHeight = placeColumn(services, leftSectors, { x: pad, top: pad, width: columnWidth, facing: 'right' }, measures, areas, nodes);
	const rightHeight = placeColumn(services, rightSectors, { x: width - pad - columnWidth, top: pad, width: columnWidth, facing: 'left' }, measures, areas, nodes);
	const height = Math.max(leftHeight, rightHeight, r * 2 + options.clientMargin);
	const client = { x: width / 2, y: height / 2, r };
	const lines = nodes.map((node) => {
		const x2 = node.facing === 'right' ? node.x + node.w : node.x;
		const y2 = node.y + node.h / 2;
		const angle = Math.atan2(y2 - client.y, x2 - client.x);
		return { node, x1: client.x + Math.cos(angle) * r, y1: client.y + Math.sin(angle) * r, x2, y2 };
	});
	return { areas, nodes, lines, height, client, trunk: null, columnWidth };
}

/**
 * Narrow (a phone, or 200 % zoom): every sector in one column right of a `gutter`, the client above
 * a thin trunk in the gutter, and from the trunk a short line of the tie's style to each box, so text
 * stays readable and lines never overlap.
 */
export function narrowLayout<S extends MapService, Label, Content>(
	services: readonly S[],
	options: MapFrame,
	measures: MapMeasures<S, Label, Content>
): MapLayout<S, Label, Content> {
	const { width, gutter, pad, radius: r } = options;
	const columnWidth = width - pad * 2 - gutter;
	const areas: MapArea<Label>[] = [];
	const nodes: MapNode<S, Content>[] = [];
	const client = { x: pad + gutter / 2, y: pad + r, r };
	const top = pad + 2 * r + options.clientMargin;
	const height = placeColumn(services, sectors, { x: pad + gutter, top, width: columnWidth, facing: 'left' }, measures, areas, nodes);
	const lines = nodes.map((node) => ({ node, x1: client.x, y1: node.y + node.h / 2, x2: node.x, y2: node.y + node.h / 2 }));
	const trunkEnd = lines.length > 0 ? lines[lines.length - 1]!.y1 : client.y;
	return { areas, nodes, lines, height, client, trunk: lines.length > 0 ? { x: client.x, y1: client.y + r, y2: trunkEnd } : null, columnWidth };
}
