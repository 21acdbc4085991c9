import { describe, expect, it } from 'vitest';
import { sectors, type Sector, type Tie } from '../meeting/vocabulary';
import { areaFills, leftSectors, narrowLayout, rightSectors, tieStyles, wideLayout, zigzagPoints, type MapMeasures } from './layout';

interface Svc {
	id: string;
	sector: Sector;
	tie: Tie;
	name: string;
}

// A renderer's sizes: a box grows with its name (as wrapped text would), a header is one line.
const measures: MapMeasures<Svc, string, string> = {
	header: (sector) => ({ label: sector, height: 20 }),
	box: (service, boxWidth) => ({ content: service.name, height: 20 + Math.ceil((service.name.length * 7) / boxWidth) * 16 }),
	inner: 8,
	boxGap: 8,
	emptyHeight: 22,
	areaBottom: 4,
	areaGap: 8
};

const names = ['Työterveyshuolto', 'Sosiaalityö Äänekoski', 'Kelan kuntoutus', 'TE-palvelut, Jyväskylä', 'Ammattiopisto Sjöström', 'Seurakunnan diakoniatyö', 'Åsan vertaistukiryhmä'];
const services: Svc[] = sectors.flatMap((sector, i) =>
	Array.from({ length: (i % 3) + 1 }, (_, j) => ({ id: `${sector}-${j}`, sector, tie: (['strong', 'moderate', 'tenuous', 'stressful'] as const)[(i + j) % 4]!, name: names[(i + j) % names.length]!.repeat(j + 1) }))
);

const wide = wideLayout(services, { width: 900, gutter: 216, pad: 4, radius: 60, clientMargin: 40 }, measures);
const narrow = narrowLayout(services, { width: 360, gutter: 60, pad: 4, radius: 24, clientMargin: 12 }, measures);

describe('the ecomap layout, shared by the room and the PDF', () => {
	it('gives every service exactly one box and one tie line', () => {
		for (const map of [wide, narrow]) {
			expect(map.nodes.map((n) => n.service.id).sort()).toEqual(services.map((s) => s.id).sort());
			expect(map.lines.map((l) => l.node.service.id).sort()).toEqual(services.map((s) => s.id).sort());
		}
	});

	it('keeps the boxes of a column apart and inside their sector area', () => {
		for (const map of [wide, narrow]) {
			const columns = Map.groupBy(map.nodes, (n) => n.x);
			for (const column of columns.values()) {
				const sorted = [...column].sort((a, b) => a.y - b.y);
				for (let i = 1; i < sorted.length; i++) expect(sorted[i]!.y).toBeGreaterThanOrEqual(sorted[i - 1]!.y + sorted[i - 1]!.h);
			}
			for (const node of map.nodes) {
				const area = map.areas.find((a) => a.sector === node.service.sector)!;
				expect(node.x).toBeGreaterThanOrEqual(area.x);
				expect(node.x + node.w).toBeLessThanOrEqual(area.x + area.w);
				expect(node.y).toBeGreaterThanOrEqual(area.y);
				expect(node.y + node.h).toBeLessThanOrEqual(area.y + area.h);
			}
			expect(Math.max(...map.areas.map((a) => a.y + a.h))).toBeLessThanOrEqual(map.height);
		}
	});

	it('puts care and everyday life on the left and work, money and learning on the right', () => {
		expect([...leftSectors, ...rightSectors].sort()).toEqual([...sectors].sort());
		const middle = 900 / 2;
		for (const area of wide.areas) {
			if (leftSectors.includes(area.sector)) expect(area.x + area.w).toBeLessThan(middle - 60);
			else expect(area.x).toBeGreaterThan(middle + 60);
		}
		expect(wide.areas.filter((a) => a.x < middle).map((a) => a.sector)).toEqual(leftSectors);
		expect(wide.areas.filter((a) => a.x > middle).map((a) => a.sector)).toEqual(rightSectors);
		// Narrow: one column, in the vocabulary's order, right of the client's trunk.
		expect(narrow.areas.map((a) => a.sector)).toEqual([...sectors]);
		for (const area of narrow.areas) expect(area.x).toBeGreaterThan(narrow.client.x + narrow.client.r);
	});

	it('ends each tie line on the side of its box that faces the client, starting at the client', () => {
		for (const line of wide.lines) {
			const { node } = line;
			expect(line.x2).toBe(node.x < wide.client.x ? node.x + node.w : node.x);
			expect(line.y2).toBe(node.y + node.h / 2);
			expect(Math.hypot(line.x1 - wide.client.x, line.y1 - wide.client.y)).toBeCloseTo(wide.client.r);
		}
		for (const line of narrow.lines) {
			expect(line.x1).toBe(narrow.trunk!.x);
			expect(line.x2).toBe(line.node.x);
			expect(line.y1).toBe(line.y2);
		}
		expect(narrow.trunk!.y2).toBe(narrow.lines.at(-1)!.y1);
	});

	it('marks empty sectors and draws an empty map with the client alone', () => {
		const empty = wideLayout([], { width: 900, gutter: 216, pad: 4, radius: 60, clientMargin: 40 }, measures);
		expect(empty.nodes).toEqual([]);
		expect(empty.areas.every((a) => a.empty)).toBe(true);
		expect(empty.height).toBeGreaterThanOrEqual(60 * 2 + 40);
		expect(narrowLayout([], { width: 360, gutter: 60, pad: 4, radius: 24, clientMargin: 12 }, measures).trunk).toBeNull();
	});

	it('has a colour for every sector and a style for every tie that does not rely on colour', () => {
		expect(Object.keys(areaFills).sort()).toEqual([...sectors].sort());
		const kinds = Object.values(tieStyles).map((s) => `${s.width}/${s.dash?.join(' ') ?? ''}/${s.zigzag ?? false}`);
		expect(new Set(kinds).size).toBe(4);
		const zig = zigzagPoints(0, 0, 90, 0, 9, 5);
		expect(zig[0]).toEqual([0, 0]);
		expect(zig.at(-1)).toEqual([90, 0]);
		expect(zig.slice(1, -1).every(([, y]) => Math.abs(y) === 5)).toBe(true);
	});
});
