import { readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { inflateSync } from 'node:zlib';

/*
 * DejaVu Sans from the `@fontsource/dejavu-sans` package, embedded and subset by PDFKit: real,
 * selectable text with ä, ö, å, the minus sign of GAS levels and the letters of names from any
 * European language (PDF's standard 14 fonts are WinAnsi only). The package ships WOFF files;
 * fontkit inflates a WOFF table again on every access, which made one PDF take seconds, so the
 * fonts are unpacked to plain TrueType once per process.
 */
const require = createRequire(import.meta.url);
let fonts: { regular: Buffer; bold: Buffer } | undefined;

export function pdfFonts(): { regular: Buffer; bold: Buffer } {
	fonts ??= {
		regular: woffToSfnt(readFileSync(require.resolve('@fontsource/dejavu-sans/files/dejavu-sans-latin-400-normal.woff'))),
		bold: woffToSfnt(readFileSync(require.resolve('@fontsource/dejavu-sans/files/dejavu-sans-latin-700-normal.woff')))
	};
	return fonts;
}

/** WOFF 1.0 (W3C) to the SFNT (TrueType/OpenType) font it wraps: the tables, inflated, 4-byte aligned. */
export function woffToSfnt(woff: Buffer): Buffer {
	if (woff.toString('latin1', 0, 4) !== 'wOFF') throw new Error('not a WOFF 1.0 font');
	const flavor = woff.readUInt32BE(4);
	const count = woff.readUInt16BE(12);
	const tables = Array.from({ length: count }, (_, i) => {
		const at = 44 + i * 20;
		const offset = woff.readUInt32BE(at + 4);
		const compressed = woff.readUInt32BE(at + 8);
		const original = woff.readUInt32BE(at + 12);
		const data = woff.subarray(offset, offset + compressed);
		return { tag: woff.readUInt32BE(at), checksum: woff.readUInt32BE(at + 16), data: compressed < original ? inflateSync(data) : data };
	});
	let searchRange = 1;
	let entrySelector = 0;
	while (searchRange * 2 <= count) {
		searchRange *= 2;
		entrySelector++;
	}
	const header = Buffer.alloc(12 + 16 * count);
	header.writeUInt32BE(flavor, 0);
	header.writeUInt16BE(count, 4);
	header.writeUInt16BE(searchRange * 16, 6);
	header.writeUInt16BE(entrySelector, 8);
	header.writeUInt16BE(count * 16 - searchRange * 16, 10);
	const parts: Buffer[] = [header];
	let offset = header.length;
	tables.forEach((table, i) => {
		const at = 12 + i * 16;
		header.writeUInt32BE(table.tag, at);
		header.writeUInt32BE(table.checksum, at + 4);
		header.writeUInt32BE(offset, at + 8);
		header.writeUInt32BE(table.data.length, at + 12);
		const padding = (4 - (table.data.length % 4)) % 4;
		parts.push(table.data, Buffer.alloc(padding));
		offset += table.data.length + padding;
	});
	return Buffer.concat(parts);
}
