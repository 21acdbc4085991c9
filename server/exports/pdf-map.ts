import type { Sector, Tie } from '../../src/lib/meeting/vocabulary.js';
import { m } from '../../src/lib/paraglide/messages.js';
import type { Labels } from './labels.js';
import type { PlanService } from './model.js';

type Doc = PDFKit.PDFDocument;

/*
 * The service map (ecomap) drawn with PDF vector graphics, by the same conventions as the room's map
 * (src/lib/components/ServiceMap.svelte): the client in the middle, the sectors as labelled areas in a
 * column on each side (care and everyday life on the left, work, money and learning on the right),
 * every service a box in its sector with a line to the client whose style says the tie, and the box's
 * border its status. Every style is also said in words in the box, so nothing depends on colour.
 */
const leftSectors: readonly Sector[] = ['health', 'social', 'third_sector', 'other'];
const rightSectors: readonly Sector[] = ['employment', 'kela', 'education'];

const areaFill: Record<Sector, string> = {
	health: '#eff6ff',
	social: '#fdf4ff',
	employment: '#f0fdf4',
	kela: '#fefce8',
	education: '#fff7ed',
	third_sector: '#f0fdfa',
	other: '#f5f5f4'
};

const tieWidth: Record<Tie, number> = { strong: 3.5, moderate: 1.5, tenuous: 1.2, stressful: 1.2 };

const sizes = { label: 8.5, name: 8.5, meta: 7.5, pad: 5, gap: 6 };

interface NodeBox {
	service: PlanService;
	x: number;
	y: number;
	w: number;
	h: number;
	side: 'left' | 'right';
	name: string;
	meta: string;
	provider: string;
}

interface Area {
	sector: Sector;
	x: number;
	y: number;
	w: number;
	h: number;
	label: string;
	empty: boolean;
}

function layout(doc: Doc, services: PlanService[], width: number, l: Labels) {
	const centre = Math.round(width * 0.26);
	const columnWidth = (width - centre) / 2;
	const inner = 6;
	const nodeWidth = columnWidth - inner * 2;
	const textWidth = nodeWidth - sizes.pad * 2;
	const areas: Area[] = [];
	const nodes: NodeBox[] = [];
	const height = (text: string, font: 'regular' | 'bold', size: number, w: number) => (text ? doc.font(font).fontSize(size).heightOfString(text, { width: w }) : 0);

	const placeColumn = (column: readonly Sector[], side: 'left' | 'right') => {
		const x = side === 'left' ? 0 : width - columnWidth;
		let y = 0;
		for (const sector of column) {
			const label = l.sector(sector);
			const top = y;
			y += sizes.gap + height(label, 'bold', sizes.label, columnWidth - 12) + 4;
			const members = services.filter((s) => s.sector === sector);
			for (const service of members) {
				const name = service.name || m.close_unnamed_service({}, { locale: l.locale });
				const meta = `${l.serviceStatus(service.status)} · ${l.tie(service.tie)}`;
				const provider = service.provider;
				const h =
					sizes.pad +
					height(name, 'bold', sizes.name, textWidth) +
					height(provider, 'regular', sizes.meta, textWidth) +
					height(meta, 'regular', sizes.meta, textWidth) +
					sizes.pad;
				nodes.push({ service, x: x + inner, y, w: nodeWidth, h, side, name, meta, provider });
				y += h + 5;
			}
			if (members.length === 0) y += height('–', 'regular', sizes.meta, textWidth) + 4;
			y += 3;
			areas.push({ sector, x, y: top, w: columnWidth, h: y - top, label, empty: members.length === 0 });
			y += sizes.gap;
		}
		return y;
	};
	const leftHeight = placeColumn(leftSectors, 'left');
	const rightHeight = placeColumn(rightSectors, 'right');
	const radius = Math.min(centre / 2 - 6, 52);
	const total = Math.max(leftHeight, rightHeight, radius * 2 + 20);
	return { areas, nodes, radius, height: total, textWidth };
}

/** The map's height at `width` points, before any scaling. */
export function measureServiceMap(doc: Doc, services: PlanService[], width: number, l: Labels): { height: number } {
	return { height: layout(doc, services, width, l).height };
}

/** Draws the map with its top left corner at (x, y), scaled down by `scale` when it would not fit a page. */
export function drawServiceMap(
	doc: Doc,
	services: PlanService[],
	clientName: string,
	l: Labels,
	at: { x: number; y: number; width: number; scale: number }
): void {
	const map = layout(doc, services, at.width / at.scale, l);
	const centre = { x: at.width / at.scale / 2, y: map.height / 2 };
	// Local coordinates start at 0 and a scaled-down map may be taller than a page in them: no text
	// inside the map may start a new page.
	const bottom = doc.page.margins.bottom;
	doc.page.margins.bottom = -1e6;
	doc.save();
	doc.translate(at.x, at.y).scale(at.scale);

	for (const area of map.areas) {
		doc.roundedRect(area.x, area.y, area.w, area.h, 8).fillAndStroke(areaFill[area.sector], '#a8a29e');
		doc.font('bold').fontSize(sizes.label).fillColor('#1c1917').text(area.label, area.x + 6, area.y + sizes.gap, { width: area.w - 12 });
		if (area.empty) {
			doc.font('regular').fontSize(sizes.meta).fillColor('#44403c').text(m.close_map_sector_empty({}, { locale: l.locale }), area.x + 6, doc.y + 1, {
				width: area.w - 12
			});
		}
	}

	doc.lineCap('round').lineJoin('round').strokeColor('#292524');
	for (const node of map.nodes) {
		const endX = node.side === 'left' ? node.x + node.w : node.x;
		const endY = node.y + node.h / 2;
		const angle = Math.atan2(endY - centre.y, endX - centre.x);
		const startX = centre.x + Math.cos(angle) * map.radius;
		const startY = centre.y + Math.sin(angle) * map.radius;
		doc.lineWidth(tieWidth[node.service.tie]);
		if (node.service.tie === 'stressful') {
			zigzag(doc, startX, startY, endX, endY);
		} else {
			doc.moveTo(startX, startY).lineTo(endX, endY);
			if (node.service.tie === 'tenuous') doc.dash(4, { space: 3 });
			doc.stroke().undash();
		}
	}

	doc.circle(centre.x, centre.y, map.radius).fill('#14532d');
	doc.font('bold').fontSize(9);
	const nameHeight = doc.heightOfString(clientName, { width: map.radius * 1.6, align: 'center' });
	doc.fillColor('#ffffff').text(clientName, centre.x - map.radius * 0.8, centre.y - Math.min(nameHeight, map.radius * 1.4) / 2, {
		width: map.radius * 1.6,
		height: map.radius * 1.4,
		align: 'center',
		ellipsis: true
	});

	for (const node of map.nodes) {
		const { x, y, w, h } = node;
		const status = node.service.status;
		doc.lineWidth(1.2).strokeColor('#292524');
		if (status === 'planned') doc.dash(4, { space: 2.5 });
		if (status === 'ended') doc.dash(1.5, { space: 2 });
		doc.roundedRect(x, y, w, h, 4).fillAndStroke(status === 'ended' ? '#e7e5e4' : '#ffffff', '#292524');
		doc.undash();
		if (status === 'suggested') doc.lineWidth(0.7).roundedRect(x + 2.5, y + 2.5, w - 5, h - 5, 3).stroke();
		const textX = x + sizes.pad;
		doc.font('bold').fontSize(sizes.name).fillColor('#1c1917').text(node.name, textX, y + sizes.pad, { width: map.textWidth });
		if (node.provider) doc.font('regular').fontSize(sizes.meta).text(node.provider, textX, doc.y, { width: map.textWidth });
		doc.font('regular').fontSize(sizes.meta).fillColor('#292524').text(node.meta, textX, doc.y, { width: map.textWidth });
	}
	doc.restore();
	doc.page.margins.bottom = bottom;
	doc.fillColor('#1c1917').lineWidth(1);
}

/** The ecomap's sign of a stressful tie: a zig-zag from one end to the other. */
function zigzag(doc: Doc, x1: number, y1: number, x2: number, y2: number, step = 7, amplitude = 3.5) {
	const length = Math.hypot(x2 - x1, y2 - y1);
	const count = Math.max(2, Math.round(length / step));
	const nx = -(y2 - y1) / length;
	const ny = (x2 - x1) / length;
	doc.moveTo(x1, y1);
	for (let i = 1; i < count; i++) {
		const t = i / count;
		const side = i % 2 === 0 ? -1 : 1;
		doc.lineTo(x1 + (x2 - x1) * t + nx * amplitude * side, y1 + (y2 - y1) * t + ny * amplitude * side);
	}
	doc.lineTo(x2, y2).stroke();
}
