export * from './agents.js';
export * from './api.js';
export * from './labels.js';
export * from './markers.js';
export * from './pod.js';
