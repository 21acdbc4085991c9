import { DomainError } from '../src/lib/domain-error.js';

export { DomainError, isDomainError, type DomainErrorCode } from '../src/lib/domain-error.js';

export const refusal = {
	unauthenticated: () => new DomainError('unauthenticated', 'Sign in first.'),
	forbidden: () => new DomainError('forbidden', 'You do not have access to this. Ask the meeting coordinator.'),
	notFound: (what = 'Meeting') => new DomainError('not_found', `${what} not found. Check the link.`)
};
