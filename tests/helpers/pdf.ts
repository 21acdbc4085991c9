import { getDocument } from 'pdfjs-dist/legacy/build/pdf.mjs';

/**
 * A PDF's text as a reader sees it: every page's text items in order, a space at each end of line,
 * runs of white space squashed to one. For asserting what an export says.
 */
export async function pdfText(bytes: Uint8Array): Promise<string> {
	const pdf = await getDocument({ data: new Uint8Array(bytes), useSystemFonts: false, isEvalSupported: false }).promise;
	const parts: string[] = [];
	for (let n = 1; n <= pdf.numPages; n++) {
		const content = await (await pdf.getPage(n)).getTextContent();
		for (const item of content.items) if ('str' in item) parts.push(item.str, item.hasEOL ? ' ' : '');
	}
	await pdf.destroy();
	return parts.join('').replace(/\s+/g, ' ');
}
