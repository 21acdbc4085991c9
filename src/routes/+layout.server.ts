import type { LayoutServerLoad } from './$types';

/** Who is signed in, for the header: a name and what kind of visitor, nothing more. */
export const load: LayoutServerLoad = ({ locals }) => {
	const principal = locals.principal;
	return {
		viewer: principal.kind === 'anonymous' ? null : { kind: principal.kind, name: principal.name }
	};
};
