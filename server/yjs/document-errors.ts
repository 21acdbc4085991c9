/** Why a live document refused a write or a task; the connection turns each into its close code. */

/** An update that would make the document larger than the configured maximum. */
export class DocumentTooLargeError extends Error {
	constructor(
		meetingId: string,
		readonly bytes: number
	) {
		super(`document of meeting ${meetingId} would grow to ${bytes} bytes`);
		this.name = 'DocumentTooLargeError';
	}
}

/** The document failed to load, or has unloaded: it runs no more tasks. */
export class DocumentUnavailableError extends Error {
	constructor(meetingId: string, cause?: unknown) {
		super(`document of meeting ${meetingId} is not available`, { cause });
		this.name = 'DocumentUnavailableError';
	}
}
