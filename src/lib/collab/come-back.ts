/**
 * Calls `reconnect` when the browser is back online or the page comes into view again (a phone
 * unlocked, a tab brought forward): moments when a connection may have been lost, noticed or not,
 * and a person expects it back at once rather than at the end of a reconnection backoff (up to 5 s),
 * or of socket.io's 20 s wait for an attempt that hangs. Returns the function that stops listening.
 */
export function onComeBack(reconnect: () => void): () => void {
	const onOnline = () => reconnect();
	const onVisible = () => {
		if (document.visibilityState === 'visible') reconnect();
	};
	addEventListener('online', onOnline);
	document.addEventListener('visibilitychange', onVisible);
	return () => {
		removeEventListener('online', onOnline);
		document.removeEventListener('visibilitychange', onVisible);
	};
}
