import { describe, expect, it } from 'vitest';
import { configFrom } from './config.js';
import { isStateChanging, OriginPolicy } from './origins.js';

describe('OriginPolicy', () => {
	const configured = new OriginPolicy({ origin: 'https://verkosto.example.fi', allowedOrigins: ['https://tyokyky.example.fi'] });

	it('with ORIGIN: allows exactly it and the allow-list, whatever the Host says', () => {
		expect(configured.allows('https://verkosto.example.fi', 'verkosto.example.fi')).toBe(true);
		expect(configured.allows('https://tyokyky.example.fi', 'verkosto.example.fi')).toBe(true);
		// A sibling of the same site, the http twin, another port, a spoofed Host: all foreign.
		expect(configured.allows('https://muu.example.fi', 'verkosto.example.fi')).toBe(false);
		expect(configured.allows('http://verkosto.example.fi', 'verkosto.example.fi')).toBe(false);
		expect(configured.allows('https://verkosto.example.fi:8443', 'verkosto.example.fi')).toBe(false);
		expect(configured.allows('https://evil.example', 'evil.example')).toBe(false);
	});

	it('refuses opaque, malformed and repeated Origin headers; lets a request without one through', () => {
		expect(configured.allows('null', 'verkosto.example.fi')).toBe(false);
		expect(configured.allows('verkosto.example.fi', 'verkosto.example.fi')).toBe(false);
		expect(configured.allows('file:///etc/passwd', undefined)).toBe(false);
		expect(configured.allows(['https://verkosto.example.fi', 'https://evil.example'], undefined)).toBe(false);
		expect(configured.allows(undefined, 'verkosto.example.fi')).toBe(true);
	});

	it('without ORIGIN: the request’s own Host (with its port) is its origin', () => {
		const bare = new OriginPolicy({ origin: null, allowedOrigins: [] });
		expect(bare.allows('http://127.0.0.1:4173', '127.0.0.1:4173')).toBe(true);
		expect(bare.allows('http://Verkosto.Example.fi', 'verkosto.example.fi')).toBe(true);
		expect(bare.allows('http://127.0.0.1:4174', '127.0.0.1:4173')).toBe(false);
		expect(bare.allows('http://localhost:4173', '127.0.0.1:4173')).toBe(false);
		expect(bare.allows('http://127.0.0.1:4173', undefined)).toBe(false);
	});

	it('checks the methods that change state', () => {
		expect(['POST', 'PUT', 'PATCH', 'DELETE'].every(isStateChanging)).toBe(true);
		expect(['GET', 'HEAD', 'OPTIONS', undefined].some(isStateChanging)).toBe(false);
	});
});

describe('configuration of origins and sessions', () => {
	it('reads ORIGIN and ALLOWED_ORIGINS as origins, and refuses anything else at start', () => {
		const config = configFrom({ ORIGIN: 'https://verkosto.example.fi/', ALLOWED_ORIGINS: ' https://a.example.fi , https://b.example.fi:8443 ' });
		expect(config.origin).toBe('https://verkosto.example.fi');
		expect(config.allowedOrigins).toEqual(['https://a.example.fi', 'https://b.example.fi:8443']);
		expect(() => configFrom({ ORIGIN: 'verkosto.example.fi' })).toThrow(/ORIGIN/);
		expect(() => configFrom({ ALLOWED_ORIGINS: 'ftp://a.example.fi' })).toThrow(/ALLOWED_ORIGINS/);
	});

	it('reads SESSION_LIFETIME_SECONDS, a positive integer', () => {
		expect(configFrom({}).sessionLifetimeSeconds).toBe(12 * 60 * 60);
		expect(configFrom({ SESSION_LIFETIME_SECONDS: '600' }).sessionLifetimeSeconds).toBe(600);
		expect(() => configFrom({ SESSION_LIFETIME_SECONDS: '0' })).toThrow(/SESSION_LIFETIME_SECONDS/);
	});
});
