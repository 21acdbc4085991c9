import type { App as VerkostoApp } from '../server/app';

declare global {
	namespace App {
		interface Locals {
			/** The process's one composition root (server/app.ts). */
			app: VerkostoApp;
		}
		interface Error {
			message: string;
		}
	}
}

export {};
