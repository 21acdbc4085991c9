import { areaFills, pdfLineWidth, tieStyles, wideLayout, zigzagPoints, type MapMeasures } from '../../src/lib/ecomap/layout.js';
import { m } from '../../src/lib/paraglide/messages.js';
import type { Labels } from './labels.js';
import type { PlanService } from './model.js';

type Doc = PDFKit.PDFDocument;

/*
 * The service map (ecomap) drawn with PDF vector graphics, in the wide layout of the room's map
 * (src/lib/ecomap/layout.ts, shared with ServiceMap.svelte): the client in the middle, the sectors as
 * labelled areas in a column on each side, every service a box in its sector with a line to the
 * client whose style says the tie, and the box's border its status. Every style is also said in words
 * in the box, so nothing depends on colour.
 */
const sizes = { label: 8.5, name: 8.5, meta: 7.5, pad: 5, gap: 6 };

interface BoxText {
	name: string;
	meta: string;
	provider: string;
}

function layout(doc: Doc, services: PlanService[], width: number, l: Labels) {
	const gutter = Math.round(width * 0.26);
	const height = (text: string, font: 'regular' | 'bold', size: number, w: number) => (text ? doc.font(font).fontSize(size).heightOfString(text, { width: w }) : 0);
	const inner = 6;
	const textWidth = (width - gutter) / 2 - inner * 2 - sizes.pad * 2;
	const measures: MapMeasures<PlanService, string, BoxText> = {
		header: (sector, areaWidth) => {
			const label = l.sector(sector);
			return { label, height: sizes.gap + height(label, 'bold', sizes.label, areaWidth - 12) + 4 };
		},
		box: (service) => {
			const name = service.name || m.close_unnamed_service({}, { locale: l.locale });
			const meta = `${l.serviceStatus(service.status)} · ${l.tie(service.tie)}`;
			const provider = service.provider;
			return {
				content: { name, meta, provider },
				height:
					sizes.pad +
					height(name, 'bold', sizes.name, textWidth) +
					height(provider, 'regular', sizes.meta, textWidth) +
					height(meta, 'regular', sizes.meta, textWidth) +
					sizes.pad
			};
		},
		inner,
		boxGap: 5,
		emptyHeight: height('–', 'regular', sizes.meta, textWidth) + 4,
		areaBottom: 3,
		areaGap: sizes.gap
	};
	const map = wideLayout(services, { width, gutter, pad: 0, radius: Math.min(gutter / 2 - 6, 52), clientMargin: 20 }, measures);
	return { ...map, textWidth };
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
	const centre = map.client;
	// Local coordinates start at 0 and a scaled-down map may be taller than a page in them: no text
	// inside the map may start a new page.
	const bottom = doc.page.margins.bottom;
	doc.page.margins.bottom = -1e6;
	doc.save();
	doc.translate(at.x, at.y).scale(at.scale);

	for (const area of map.areas) {
		doc.roundedRect(area.x, area.y, area.w, area.h, 8).fillAndStroke(areaFills[area.sector], '#a8a29e');
		doc.font('bold').fontSize(sizes.label).fillColor('#1c1917').text(area.label, area.x + 6, area.y + sizes.gap, { width: area.w - 12 });
		if (area.empty) {
			doc.font('regular').fontSize(sizes.meta).fillColor('#44403c').text(m.close_map_sector_empty({}, { locale: l.locale }), area.x + 6, doc.y + 1, {
				width: area.w - 12
			});
		}
	}

	doc.lineCap('round').lineJoin('round').strokeColor('#292524');
	for (const line of map.lines) {
		const tie = line.node.service.tie;
		doc.lineWidth(pdfLineWidth(tie));
		if (tieStyles[tie].zigzag) {
			const [first, ...rest] = zigzagPoints(line.x1, line.y1, line.x2, line.y2, 7, 3.5);
			doc.moveTo(...first!);
			for (const point of rest) doc.lineTo(...point);
			doc.stroke();
		} else {
			doc.moveTo(line.x1, line.y1).lineTo(line.x2, line.y2);
			if (tieStyles[tie].dash) doc.dash(4, { space: 3 });
			doc.stroke().undash();
		}
	}

	doc.circle(centre.x, centre.y, centre.r).fill('#14532d');
	doc.font('bold').fontSize(9);
	const nameHeight = doc.heightOfString(clientName, { width: centre.r * 1.6, align: 'center' });
	doc.fillColor('#ffffff').text(clientName, centre.x - centre.r * 0.8, centre.y - Math.min(nameHeight, centre.r * 1.4) / 2, {
		width: centre.r * 1.6,
		height: centre.r * 1.4,
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
		const { name, provider, meta } = node.content;
		doc.font('bold').fontSize(sizes.name).fillColor('#1c1917').text(name, textX, y + sizes.pad, { width: map.textWidth });
		if (provider) doc.font('regular').fontSize(sizes.meta).text(provider, textX, doc.y, { width: map.textWidth });
		doc.font('regular').fontSize(sizes.meta).fillColor('#292524').text(meta, textX, doc.y, { width: map.textWidth });
	}
	doc.restore();
	doc.page.margins.bottom = bottom;
	doc.fillColor('#1c1917').lineWidth(1);
}
