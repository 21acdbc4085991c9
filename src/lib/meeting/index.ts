/** The meeting document model (v3): typed accessors and mutators over the Y.Doc. */
export * from './document';
export * from './order';
export * from './plan';
export * from './room';
export * from './services';
export * from './sequence';
export * from './vocabulary';
export * from './diff';
export * from './gas';
export * from './seed';
export * from './migrate';
