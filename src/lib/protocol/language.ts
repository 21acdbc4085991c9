import * as v from 'valibot';
import { locales } from '$lib/paraglide/runtime';

/**
 * What the header's language picker posts to `/language` when the browser runs no JavaScript (with
 * JavaScript the picker sets Paraglide's cookie itself): a screen language, and the page to go back to.
 */
export const LanguageChoice = v.object({
	locale: v.picklist(locales),
	back: v.optional(v.pipe(v.string(), v.maxLength(2000)), '')
});
